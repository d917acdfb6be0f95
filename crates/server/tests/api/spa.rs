use crate::both_engines;
use crate::helpers::*;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

const INDEX: &str = "<!DOCTYPE html><html><head><title>议事</title>\
    <script type=\"module\">import init from '/yishi-0123456789abcdef.js';</script></head>\
    <body><script>if (typeof WebAssembly !== \"object\") {}</script></body></html>";

pub fn dist() -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("yishi-dist-{}-{}", std::process::id(), rand_like()));
    std::fs::create_dir_all(&dir).expect("dist dir");
    std::fs::write(dir.join("index.html"), INDEX).expect("index");
    std::fs::write(dir.join("yishi-0123456789abcdef.js"), "export default 1;").expect("asset");
    // What the build's precompress step writes beside each asset (here, marked bytes).
    std::fs::write(dir.join("yishi-0123456789abcdef.js.br"), "BROTLI-BYTES").expect("asset");
    std::fs::write(dir.join("favicon.svg"), "<svg/>").expect("asset");
    dir
}

fn rand_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn sha(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
}

both_engines!(
    serves_the_app_with_csp_meta_tags_and_caching,
    |_app: TestApp| async move {
        let dir = dist();
        let app = TestApp::spawn_with(_app.engine, |c| c.dist_dir = dir.clone()).await;
        let http = reqwest::Client::new();

        // Client routes fall back to index.html with page meta and the CSP.
        let res = http
            .get(format!("{}/micro-consultations", app.base))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .to_owned();
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let html = res.text().await.expect("html");
        assert!(
            html.contains("<title>微协商 · 议事 · 鹤岗市政协</title>"),
            "{html}"
        );
        assert!(html.contains("property=\"og:title\""));
        assert!(html.contains("name=\"description\""));
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(
            csp.contains(&format!(
                "'sha256-{}'",
                sha("import init from '/yishi-0123456789abcdef.js';")
            )),
            "{csp}"
        );
        assert!(
            csp.contains(&format!(
                "'sha256-{}'",
                sha("if (typeof WebAssembly !== \"object\") {}")
            )),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"));

        // Hashed assets are cached for a year; other files briefly; missing files are 404.
        let res = http
            .get(format!("{}/yishi-0123456789abcdef.js", app.base))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["cache-control"]
            .to_str()
            .expect("header")
            .contains("immutable"));
        // The precompressed file goes to browsers that accept it, the plain one to others.
        let res = http
            .get(format!("{}/yishi-0123456789abcdef.js", app.base))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .expect("request");
        assert_eq!(res.headers()["content-encoding"], "br");
        assert!(res.headers()["cache-control"]
            .to_str()
            .expect("header")
            .contains("immutable"));
        assert_eq!(res.bytes().await.expect("body").as_ref(), b"BROTLI-BYTES");
        let res = http
            .get(format!("{}/yishi-0123456789abcdef.js", app.base))
            .header("accept-encoding", "identity")
            .send()
            .await
            .expect("request");
        assert!(res.headers().get("content-encoding").is_none());
        assert_eq!(res.text().await.expect("body"), "export default 1;");
        let res = http
            .get(format!("{}/favicon.svg", app.base))
            .send()
            .await
            .expect("request");
        assert!(!res.headers()["cache-control"]
            .to_str()
            .expect("header")
            .contains("immutable"));
        let res = http
            .get(format!("{}/missing-file.js", app.base))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        // Compression is negotiated.
        let res = http
            .get(format!("{}/", app.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("request");
        assert_eq!(
            res.headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap_or("")),
            Some("gzip")
        );

        // Unknown API paths and methods answer in the API's error shape, not with the app.
        let (s, b) = app.client().await.get("/api/v1/nothing-here").await;
        assert_error(s, &b, StatusCode::NOT_FOUND, "not_found");
        let (s, b) = app
            .client()
            .await
            .send(reqwest::Method::PATCH, "/api/v1/session", None)
            .await;
        assert_error(s, &b, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        let _ = std::fs::remove_dir_all(dir);
    }
);

both_engines!(
    a_public_thread_page_carries_its_first_page_and_nothing_else_does,
    |_app: TestApp| async move {
        let dir = dist();
        let app = TestApp::spawn_with(_app.engine, |c| c.dist_dir = dir.clone()).await;
        let admin = app.admin().await;
        let id = open_consultation(&admin).await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let (s, b) = member
            .post(
                &format!("/api/v1/consultations/{id}/posts"),
                serde_json::json!({"kind": "comment",
                    "body": "建议<script>alert(1)</script>增设**错时停车**泊位 </script><b>"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, reply) = admin
            .post(
                &format!("/api/v1/consultations/{id}/posts"),
                serde_json::json!({"kind": "reply", "body": "收到，转交交通部门研究",
                    "parent_id": b["id"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{reply}");
        let page = |cookie: Option<&'static str>| {
            let url = format!("{}/consultations/{id}", app.base);
            async move {
                let mut req = reqwest::Client::new().get(url);
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                let res = req.send().await.expect("request");
                assert_eq!(res.headers()["vary"], "cookie");
                res.text().await.expect("html")
            }
        };

        // Anonymous: the thread as HTML (title, description, the post, its author), the
        // page titled after it, and the app's initial data in a data block.
        let html = page(None).await;
        assert!(html.contains("<main id=\"first-page\">"), "{html}");
        assert!(html.contains("<h1>关于城区停车难的远程协商</h1>"), "{html}");
        assert!(
            html.contains("<title>关于城区停车难的远程协商 · 远程协商"),
            "{html}"
        );
        assert!(html.contains("请各位委员发表意见。"));
        assert!(html.contains("<strong>错时停车</strong>"), "{html}");
        let author = b["author_name"].as_str().expect("author");
        assert!(html.contains(&format!("<strong class=\"post-author\">{author}</strong>")));
        // The reply sits below the post it answers.
        let post_at = html.find("错时停车").expect("post");
        let children_at = html.find("<ol class=\"children\">").expect("replies");
        let reply_at = html.find("收到，转交交通部门研究").expect("reply");
        assert!(post_at < children_at && children_at < reply_at, "{html}");
        // Nothing the member wrote runs, and the data block cannot be closed from inside.
        assert!(!html.contains("<script>alert"), "{html}");
        let start = html
            .find("<script type=\"application/json\" id=\"initial-data\">")
            .expect("initial data");
        let block = &html[start..];
        let json = &block[block.find('>').expect("tag") + 1..block.find("</script>").expect("end")];
        let data: serde_json::Value = serde_json::from_str(json).expect("initial data is JSON");
        let (_, detail) = app
            .client()
            .await
            .get(&format!("/api/v1/consultations/{id}"))
            .await;
        assert_eq!(data[format!("/consultations/{id}")], detail);
        assert_eq!(data["/site"]["committee_name"], "鹤岗市政协");
        assert!(data.get(format!("/consultations/{id}/posts")).is_none());
        // Where the app's stream of the room resumes: the log as the data was read.
        let resume = data[format!("events:consultation:{id}")]
            .as_i64()
            .expect("resume point");
        assert!(resume > 0, "{data}");

        // Signed in: the plain app page (its answers depend on who asks).
        let cookie = "yishi_session=whatever";
        let html = page(Some(cookie)).await;
        assert!(!html.contains("first-page"), "{html}");
        assert!(!html.contains("initial-data"));

        // A members-only consultation, a missing one and other routes: nothing of them.
        let (s, created) = admin
            .post(
                "/api/v1/consultations",
                serde_json::json!({"kind": "remote", "title": "内部协商题目甲乙",
                       "description": "内部材料", "visibility": "members",
                       "starts_at": 1_800_000_000_000i64, "ends_at": 1_800_010_000_000i64,
                       "invited_sectors": [account(&admin, "member1").await["sector_id"]]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let secret = created["summary"]["id"].as_i64().expect("id");
        for path in [
            format!("/consultations/{secret}"),
            "/consultations/999999".to_owned(),
            "/consultations/new".to_owned(),
            "/consultations/-1".to_owned(),
            format!("/consultations/{id}/edit"),
        ] {
            let html = reqwest::get(format!("{}{path}", app.base))
                .await
                .expect("request")
                .text()
                .await
                .expect("html");
            assert!(!html.contains("first-page"), "{path}: {html}");
            assert!(!html.contains("内部协商题目甲乙"), "{path}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
);

/// `dist()` with the readers built beside the app (`dist/reader/<kind>/`), each starting
/// with `reader_script(kind)`.
fn dist_with_readers() -> std::path::PathBuf {
    let dir = dist();
    for kind in ["consultations", "reading"] {
        let reader = dir.join("reader").join(kind);
        std::fs::create_dir_all(&reader).expect("reader dir");
        std::fs::write(
            reader.join("index.html"),
            format!(
                "<!DOCTYPE html><html><head><title>议事</title><script type=\"module\">\
                 {}</script></head><body></body></html>",
                reader_script(kind)
            ),
        )
        .expect("reader index");
        std::fs::write(
            reader.join("yishi-fedcba9876543210.js"),
            format!("export default '{kind}';"),
        )
        .expect("asset");
    }
    dir
}

fn reader_script(kind: &str) -> String {
    format!("import init from '/reader/{kind}/yishi-fedcba9876543210.js';")
}

both_engines!(
    a_visitor_gets_the_reader_for_public_threads_and_the_whole_app_elsewhere,
    |_app: TestApp| async move {
        let dir = dist_with_readers();
        let app = TestApp::spawn_with(_app.engine, |c| c.dist_dir = dir.clone()).await;
        let admin = app.admin().await;
        let id = open_consultation(&admin).await;
        let get = |path: String, cookie: Option<&'static str>| {
            let url = format!("{}{path}", app.base);
            async move {
                let mut req = reqwest::Client::new().get(url);
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                let res = req.send().await.expect("request");
                assert_eq!(res.status(), StatusCode::OK, "{path}");
                let csp = res.headers()["content-security-policy"]
                    .to_str()
                    .expect("csp")
                    .to_owned();
                (csp, res.text().await.expect("html"))
            }
        };
        for (path, kind, other) in [
            (format!("/consultations/{id}"), "consultations", "reading"),
            ("/reading-groups/1".to_owned(), "reading", "consultations"),
            (
                "/reading-groups/1/posts/2".to_owned(),
                "reading",
                "consultations",
            ),
        ] {
            let (csp, html) = get(path.clone(), None).await;
            assert!(html.contains(&reader_script(kind)), "{path}: {html}");
            assert!(!html.contains(&reader_script(other)), "{path}: {html}");
            // Its own start-up script is the one the policy allows.
            assert!(csp.contains(&sha(&reader_script(kind))), "{path}: {csp}");
            assert!(!csp.contains(&sha("import init from '/yishi-0123456789abcdef.js';")));
            // Titles and the first page are the same as with the whole app.
            assert!(
                html.contains("<title>") && html.contains("og:title"),
                "{html}"
            );
        }
        let (_, html) = get(format!("/consultations/{id}"), None).await;
        assert!(html.contains("<main id=\"first-page\">"), "{html}");

        // A member, and every other page, get the whole app.
        let (csp, html) = get(format!("/consultations/{id}"), Some("yishi_session=x")).await;
        assert!(!html.contains("/reader/"), "{html}");
        assert!(csp.contains(&sha("import init from '/yishi-0123456789abcdef.js';")));
        for path in [
            "/",
            "/consultations",
            "/consultations/new",
            "/reading-groups/1/edit",
            "/micro-consultations/1",
            "/signin",
        ] {
            let (_, html) = get(path.to_owned(), None).await;
            assert!(!html.contains("/reader/"), "{path}: {html}");
        }

        // The readers' files are served; their pages only as pages (with their policy).
        for kind in ["consultations", "reading"] {
            let res = reqwest::get(format!(
                "{}/reader/{kind}/yishi-fedcba9876543210.js",
                app.base
            ))
            .await
            .expect("request");
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(
                res.text().await.expect("body"),
                format!("export default '{kind}';")
            );
            let (_, html) = get(format!("/reader/{kind}/index.html"), None).await;
            assert!(!html.contains(&reader_script(kind)), "{html}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
);
