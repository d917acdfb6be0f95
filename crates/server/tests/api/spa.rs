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
