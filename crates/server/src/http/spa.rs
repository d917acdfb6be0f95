//! Serves the built app: hashed assets with long cache headers, and `index.html` for every
//! client route, with per-page title/description/Open Graph tags and a strict CSP whose
//! script hashes are computed from the built file at start-up. A public consultation's page
//! also carries its first page as plain HTML (what a visitor reads while the app loads, and
//! all a browser without WebAssembly gets) and as the app's initial data.

use crate::http::site::load_site_info;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;
use yishi_api::{ConsultationDetail, Page, Post};

/// `index.html` as Trunk built it, split around `</head>` so tags can be inserted.
pub struct IndexPage {
    html: String,
    /// The same page for a first page of a thread (`FirstPage`): the app's download starts
    /// once that was painted, not before (see `paint_first`). `None` when Trunk's start-up
    /// script is not the one expected.
    html_paint_first: Option<String>,
    pub csp: String,
}

impl IndexPage {
    pub fn load(dist: &Path) -> anyhow::Result<Option<IndexPage>> {
        let path = dist.join("index.html");
        if !path.exists() {
            return Ok(None);
        }
        let html = std::fs::read_to_string(&path)?;
        let html_paint_first = paint_first(&html);
        let hashes: Vec<String> = inline_scripts(&html)
            .into_iter()
            .chain(
                html_paint_first
                    .as_deref()
                    .map(inline_scripts)
                    .unwrap_or_default(),
            )
            .map(|s| {
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
                )
            })
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            hashes.join(" ")
        );
        Ok(Some(IndexPage {
            html,
            html_paint_first,
            csp,
        }))
    }

    /// The page with its `<title>` replaced, description / Open Graph tags added and, for a
    /// public thread, its first page at the end of the body.
    pub fn render(
        &self,
        title: &str,
        description: &str,
        url_path: &str,
        first: Option<&FirstPage>,
    ) -> String {
        let (title, description, url_path) = (escape(title), escape(description), escape(url_path));
        let head = format!(
            "<meta name=\"description\" content=\"{description}\">\
             <meta property=\"og:type\" content=\"website\">\
             <meta property=\"og:title\" content=\"{title}\">\
             <meta property=\"og:description\" content=\"{description}\">\
             <meta property=\"og:url\" content=\"{url_path}\">\
             <meta name=\"twitter:card\" content=\"summary\"></head>"
        );
        let base = match (first, &self.html_paint_first) {
            (Some(_), Some(html)) => html,
            _ => &self.html,
        };
        let html = match (base.find("<title>"), base.find("</title>")) {
            (Some(a), Some(b)) if a < b => {
                format!("{}<title>{title}</title>{}", &base[..a], &base[b + 8..])
            }
            _ => base.clone(),
        };
        let html = html.replacen("</head>", &head, 1);
        match first {
            Some(first) => html.replacen("</body>", &format!("{}</body>", first.body()), 1),
            None => html,
        }
    }
}

/// Posts a first page shows (the app then loads the whole record).
const FIRST_PAGE_POSTS: usize = 50;
/// Larger API answers are not embedded.
const MAX_EMBEDDED: usize = 2 * 1024 * 1024;

/// A public consultation as an anonymous visitor reads it, for the page's first response:
/// shown as plain HTML until the app starts (the app removes it), and handed to the app as
/// initial data so its first requests need no round trip. Read through the API router
/// itself, so its permission checks and its response cache apply unchanged.
pub struct FirstPage {
    /// The detail, for the page's title.
    detail: ConsultationDetail,
    posts: Vec<Post>,
    /// API paths as the app asks for them (`api.rs`), with their JSON answers, and
    /// `events:<topic>`: the event id the app's stream resumes after (`live.rs`).
    data: Vec<(String, Bytes)>,
}

impl FirstPage {
    async fn read(state: &AppState, api: &Router, path: &str) -> Option<FirstPage> {
        let id: i64 = path.strip_prefix("/consultations/")?.parse().ok()?;
        if id <= 0 {
            return None;
        }
        // Read before the data: the app follows the room's events from here, so a change in
        // between (the meeting opening, a post) reaches it although its data is older.
        let resume = state.db.last_event_id().await.ok()?;
        let detail_path = format!("/consultations/{id}");
        let detail_json = anonymous_get(api, &detail_path).await?;
        let detail: ConsultationDetail = serde_json::from_slice(&detail_json).ok()?;
        let posts_json = anonymous_get(
            api,
            &format!("/consultations/{id}/posts?limit={FIRST_PAGE_POSTS}"),
        )
        .await?;
        let posts: Page<Post> = serde_json::from_slice(&posts_json).ok()?;
        // Not the posts: the app reads them after it follows the room's events, so nothing
        // written in between is missed.
        let mut data = vec![
            (detail_path, detail_json),
            (
                format!("events:consultation:{id}"),
                Bytes::from(resume.to_string()),
            ),
        ];
        if let Some(site) = anonymous_get(api, "/site").await {
            data.push(("/site".to_owned(), site));
        }
        Some(FirstPage {
            detail,
            posts: posts.items,
            data,
        })
    }

    /// The thread as HTML with the app's classes, and the initial data. Every text is
    /// escaped; the only HTML is the server's sanitised Markdown rendering.
    fn body(&self) -> String {
        let mut h = String::from(
            "<main id=\"first-page\"><section class=\"page consultation\">\
             <header class=\"consultation-head\"><h1>",
        );
        h.push_str(&escape(&self.detail.summary.title));
        h.push_str("</h1></header><div class=\"prose\">");
        h.push_str(&self.detail.description_html);
        h.push_str("</div>");
        post_list(&mut h, &self.posts, None, "posts");
        h.push_str("</section></main>");
        // A data block, never run (so the CSP needs no hash for it). JSON has `<` only inside
        // strings, where `\u003c` means the same: no `</script>` can end the block early.
        let mut json = String::from("{");
        for (i, (path, body)) in self.data.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::Value::String(path.clone()).to_string());
            json.push(':');
            json.push_str(&String::from_utf8_lossy(body));
        }
        json.push('}');
        h.push_str("<script type=\"application/json\" id=\"initial-data\">");
        h.push_str(&json.replace('<', "\\u003c"));
        h.push_str("</script>");
        h
    }
}

/// The posts answering `parent` (the thread itself for `None`) as a list, each with its own
/// replies below it (one level, as the app shows them).
fn post_list(h: &mut String, posts: &[Post], parent: Option<i64>, class: &str) {
    let mut items = posts.iter().filter(|p| p.parent_id == parent).peekable();
    if items.peek().is_none() {
        return;
    }
    h.push_str(&format!("<ol class=\"{class}\">"));
    for post in items {
        h.push_str("<li class=\"post\">");
        post_html(h, post);
        if parent.is_none() {
            post_list(h, posts, Some(post.id), "children");
        }
        h.push_str("</li>");
    }
    h.push_str("</ol>");
}

fn post_html(h: &mut String, post: &Post) {
    h.push_str("<p class=\"post-meta\"><strong class=\"post-author\">");
    h.push_str(&escape(&post.author_name));
    h.push_str("</strong></p>");
    if !post.hidden && !post.deleted {
        h.push_str("<div class=\"prose post-body\">");
        h.push_str(&post.body_html);
        h.push_str("</div>");
    }
}

/// `GET path` on the API as a visitor without a session; the body when it answered 200.
async fn anonymous_get(api: &Router, path: &str) -> Option<Bytes> {
    let request = Request::get(path).body(Body::empty()).ok()?;
    let Ok(response) = api.clone().oneshot(request).await;
    if response.status() != StatusCode::OK {
        return None;
    }
    axum::body::to_bytes(response.into_body(), MAX_EMBEDDED)
        .await
        .ok()
}

/// Trunk's page changed so the app (about 800 KB compressed) starts downloading only after
/// the page was painted once: without the wasm preload, and with the start-up script waiting
/// two frames (or 200 ms, where a hidden tab runs no frames) before it fetches the module.
/// On a slow connection the thread's text then reaches the screen without competing with the
/// app for bandwidth. `None` when the script is not Trunk's usual one.
fn paint_first(html: &str) -> Option<String> {
    const START: &str = "const wasm = await init(";
    const WAIT: &str = "await new Promise((go) => { requestAnimationFrame(() => \
        requestAnimationFrame(go)); setTimeout(go, 200); });\n";
    if html.matches(START).count() != 1 {
        return None;
    }
    let mut out = html.replacen(START, &format!("{WAIT}{START}"), 1);
    // The preload of the wasm (`<link rel="preload" … type="application/wasm">`).
    if let Some(at) = out.find("type=\"application/wasm\"") {
        let start = out[..at].rfind("<link")?;
        let end = at + out[at..].find('>')? + 1;
        out.replace_range(start..end, "");
    }
    Some(out)
}

/// The bodies of `<script>` elements without `src`, exactly as the browser hashes them.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Title and description for a client route, so shared links preview properly.
fn page_meta(path: &str, committee: &str) -> (String, String) {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let (page, description) = match first {
        "" => (
            "",
            format!("{committee}在线协商议政平台：远程协商、微协商、委员读书。"),
        ),
        "consultations" => ("远程协商", format!("{committee}远程协商与网络议政。")),
        "suggestions" => (
            "微建议",
            format!("{committee}委员微建议：提出、交办、答复、评价，全程跟踪办理。"),
        ),
        "follow-ups" => ("办理跟踪", format!("{committee}建议办理跟踪。")),
        "micro-consultations" => (
            "微协商",
            format!("{committee}微协商：群众点单、委员买单、协商解单、跟进查单。"),
        ),
        "reading-groups" => ("委员读书", format!("{committee}委员读书与书香政协。")),
        "signin" => ("登录", format!("登录{committee}议事平台。")),
        _ => ("", format!("{committee}在线协商议政平台。")),
    };
    let title = if page.is_empty() {
        format!("议事 · {committee}")
    } else {
        format!("{page} · 议事 · {committee}")
    };
    (title, description)
}

/// A public reading group's own title and theme for its pages (shared links show them);
/// members-only groups get the generic area title, so nothing about them leaks.
async fn public_group_meta(
    state: &AppState,
    path: &str,
    committee: &str,
) -> Option<(String, String)> {
    let id: i64 = path
        .strip_prefix("/reading-groups/")?
        .split('/')
        .next()?
        .parse()
        .ok()?;
    let group = state.db.group(id).await.ok().flatten()?;
    if group.visibility() != yishi_api::Visibility::Public {
        return None;
    }
    let description = if group.theme.is_empty() {
        format!("{committee}委员读书：{}", group.name)
    } else {
        format!("{committee}委员读书：{}。{}", group.name, group.theme)
    };
    Some((
        format!("{} · 委员读书 · 议事 · {committee}", group.name),
        description,
    ))
}

/// Static file if it exists, else the app's `index.html` (SPA fallback).
pub async fn serve(State(state): State<AppState>, api: Router, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/api/") || path == "/api" {
        return crate::error::AppError::not_found().into_response();
    }
    let Some(index) = state.index.clone() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The app is not built: run ./run",
        )
            .into_response();
    };
    let looks_like_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if looks_like_file && !path.ends_with("/index.html") {
        // The build writes .br and .gz beside each asset (scripts/precompress.mjs).
        let Ok(mut response) = ServeDir::new(&state.config.dist_dir)
            .precompressed_br()
            .precompressed_gzip()
            .oneshot(request)
            .await;
        if response.status() == StatusCode::OK {
            let cache = if is_hashed_asset(&path) {
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=3600"
            };
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            // Precompressed or not depends on Accept-Encoding: shared caches must know.
            response
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            return response.map(Body::new);
        }
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let committee = load_site_info(&state.db)
        .await
        .map(|s| s.committee_name)
        .unwrap_or_else(|_| "政协".into());
    let signed_in = crate::http::cache::signed_in(request.headers());
    let first = if signed_in {
        None
    } else {
        FirstPage::read(&state, &api, &path).await
    };
    let index = match reader_for(&path).and_then(|kind| state.readers.get(kind)) {
        Some(reader) if !signed_in => reader,
        _ => index,
    };
    let (title, description) = match (&first, public_group_meta(&state, &path, &committee).await) {
        (Some(first), _) => (
            format!(
                "{} · 远程协商 · 议事 · {committee}",
                first.detail.summary.title
            ),
            format!("{committee}远程协商：{}", first.detail.summary.title),
        ),
        (None, Some(meta)) => meta,
        (None, None) => page_meta(&path, &committee),
    };
    let page = index.render(&title, &description, &path, first.as_ref());
    let mut response = Response::new(Body::from(page));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // With a session cookie the page comes without the anonymous first page.
    headers.insert(header::VARY, HeaderValue::from_static("cookie"));
    if let Ok(csp) = HeaderValue::from_str(&index.csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// Where the readers' builds are, inside the app's (`scripts/tools.sh`): one folder each.
pub const READER_DIR: &str = "reader";

/// The readers (`src/reader.rs`), one per kind of public thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderKind {
    /// `/consultations/<id>`.
    Consultations,
    /// `/reading-groups/<id>` and `/reading-groups/<id>/posts/<id>`.
    Reading,
}

impl ReaderKind {
    pub const ALL: [ReaderKind; 2] = [ReaderKind::Consultations, ReaderKind::Reading];

    /// Its folder under `READER_DIR` (and its URL prefix under `/reader/`).
    pub fn dir(self) -> &'static str {
        match self {
            ReaderKind::Consultations => "consultations",
            ReaderKind::Reading => "reading",
        }
    }
}

/// The readers' pages, each loaded when its build is there.
#[derive(Clone, Default)]
pub struct Readers {
    pub consultations: Option<Arc<IndexPage>>,
    pub reading: Option<Arc<IndexPage>>,
}

impl Readers {
    /// Loads each reader built under `dist/reader/`.
    pub fn load(dist: &Path) -> anyhow::Result<Readers> {
        let load = |kind: ReaderKind| -> anyhow::Result<Option<Arc<IndexPage>>> {
            Ok(IndexPage::load(&dist.join(READER_DIR).join(kind.dir()))?.map(Arc::new))
        };
        Ok(Readers {
            consultations: load(ReaderKind::Consultations)?,
            reading: load(ReaderKind::Reading)?,
        })
    }

    pub fn get(&self, kind: ReaderKind) -> Option<Arc<IndexPage>> {
        match kind {
            ReaderKind::Consultations => self.consultations.clone(),
            ReaderKind::Reading => self.reading.clone(),
        }
    }
}

/// The reader whose pages (`src/reader.rs`) include `path`. Only these, exactly: a reader
/// loads any other page afresh, which must then bring the other reader or the whole app.
fn reader_for(path: &str) -> Option<ReaderKind> {
    let id = |s: &str| !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    match parts.as_slice() {
        ["consultations", c] if id(c) => Some(ReaderKind::Consultations),
        ["reading-groups", g] if id(g) => Some(ReaderKind::Reading),
        ["reading-groups", g, "posts", p] if id(g) && id(p) => Some(ReaderKind::Reading),
        _ => None,
    }
}

/// Trunk names built files `name-<16 hex>.ext`; those never change and can be cached forever.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("").trim_end_matches("_bg");
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_variant_fetches_the_app_after_a_paint() {
        let trunk = "<head><script type=\"module\">\nimport init from '/y.js';\n\
            const wasm = await init({ module_or_path: '/y_bg.wasm' });\n</script>\
            <link rel=\"modulepreload\" href=\"/y.js\"><link rel=\"preload\" href=\"/y_bg.wasm\" \
            as=\"fetch\" type=\"application/wasm\"><meta name=\"x\"></head>";
        let out = paint_first(trunk).expect("Trunk's script");
        assert!(!out.contains("application/wasm"), "{out}");
        assert!(out.contains("<link rel=\"modulepreload\" href=\"/y.js\"><meta name=\"x\">"));
        let script = inline_scripts(&out)[0];
        let wait = script.find("requestAnimationFrame").expect("waits");
        assert!(wait < script.find("await init(").expect("init"), "{script}");
        assert_eq!(paint_first("<script>other()</script>"), None);
    }

    #[test]
    fn each_reader_takes_exactly_its_own_routes() {
        assert_eq!(
            reader_for("/consultations/7"),
            Some(ReaderKind::Consultations)
        );
        for path in ["/reading-groups/12", "/reading-groups/12/posts/345"] {
            assert_eq!(reader_for(path), Some(ReaderKind::Reading), "{path}");
        }
        for path in [
            "/",
            "/consultations",
            "/consultations/new",
            "/consultations/7/edit",
            "/consultations/7/",
            "/consultations/",
            "/reading-groups/new",
            "/reading-groups/12/edit",
            "/reading-groups/12/posts",
            "/reading-groups/12/posts/x",
            "/micro-consultations/3",
            "/consultations/99999999999999999999",
        ] {
            assert_eq!(reader_for(path), None, "{path}");
        }
    }

    #[test]
    fn finds_inline_scripts_only() {
        let html = "<head><script src=\"/a.js\"></script><script type=\"module\">import x;</script></head>";
        assert_eq!(inline_scripts(html), vec!["import x;"]);
    }

    #[test]
    fn meta_is_escaped_and_hashes_recognised() {
        let page = IndexPage {
            html: "<html><head><title>x</title></head></html>".into(),
            html_paint_first: None,
            csp: String::new(),
        };
        let out = page.render("a<b", "\"q\"", "/", None);
        assert!(out.contains("<title>a&lt;b</title>"));
        assert!(out.contains("content=\"&quot;q&quot;\""));
        assert!(is_hashed_asset("/yishi-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/main-89abcdef01234567.css"));
        assert!(!is_hashed_asset("/favicon.svg"));
    }
}
