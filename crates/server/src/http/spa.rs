//! Serves the built app: hashed assets with long cache headers, and `index.html` for every
//! client route, with per-page title/description/Open Graph tags and a strict CSP whose
//! script hashes are computed from the built file at start-up.

use crate::http::site::load_site_info;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// `index.html` as Trunk built it, split around `</head>` so tags can be inserted.
pub struct IndexPage {
    html: String,
    pub csp: String,
}

impl IndexPage {
    pub fn load(dist: &Path) -> anyhow::Result<Option<IndexPage>> {
        let path = dist.join("index.html");
        if !path.exists() {
            return Ok(None);
        }
        let html = std::fs::read_to_string(&path)?;
        let hashes: Vec<String> = inline_scripts(&html)
            .into_iter()
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
        Ok(Some(IndexPage { html, csp }))
    }

    /// The page with its `<title>` replaced and description / Open Graph tags added.
    pub fn render(&self, title: &str, description: &str, url_path: &str) -> String {
        let (title, description, url_path) = (escape(title), escape(description), escape(url_path));
        let head = format!(
            "<meta name=\"description\" content=\"{description}\">\
             <meta property=\"og:type\" content=\"website\">\
             <meta property=\"og:title\" content=\"{title}\">\
             <meta property=\"og:description\" content=\"{description}\">\
             <meta property=\"og:url\" content=\"{url_path}\">\
             <meta name=\"twitter:card\" content=\"summary\"></head>"
        );
        let html = match (self.html.find("<title>"), self.html.find("</title>")) {
            (Some(a), Some(b)) if a < b => format!(
                "{}<title>{title}</title>{}",
                &self.html[..a],
                &self.html[b + 8..]
            ),
            _ => self.html.clone(),
        };
        html.replacen("</head>", &head, 1)
    }
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
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
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
    if looks_like_file && path != "/index.html" {
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
    let (title, description) = match public_group_meta(&state, &path, &committee).await {
        Some(meta) => meta,
        None => page_meta(&path, &committee),
    };
    let mut response = Response::new(Body::from(index.render(&title, &description, &path)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(csp) = HeaderValue::from_str(&index.csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
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
    fn finds_inline_scripts_only() {
        let html = "<head><script src=\"/a.js\"></script><script type=\"module\">import x;</script></head>";
        assert_eq!(inline_scripts(html), vec!["import x;"]);
    }

    #[test]
    fn meta_is_escaped_and_hashes_recognised() {
        let page = IndexPage {
            html: "<html><head><title>x</title></head></html>".into(),
            csp: String::new(),
        };
        let out = page.render("a<b", "\"q\"", "/");
        assert!(out.contains("<title>a&lt;b</title>"));
        assert!(out.contains("content=\"&quot;q&quot;\""));
        assert!(is_hashed_asset("/yishi-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/main-89abcdef01234567.css"));
        assert!(!is_hashed_asset("/favicon.svg"));
    }
}
