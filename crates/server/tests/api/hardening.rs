//! Response headers, cookie attributes and rate limits (OWASP ASVS level 2 where it applies).

use crate::both_engines;
use crate::consultations::create_published;
use crate::helpers::*;
use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The headers every response carries, whatever produced it.
fn assert_hardened(what: &str, headers: &HeaderMap) {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "same-origin", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    let csp = get("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
}

both_engines!(
    every_kind_of_response_carries_the_security_headers,
    |app: TestApp| async move {
        let (_, id) = create_published(&app, "public").await;
        let visitor = app.client().await;
        let paths = [
            "/healthz".to_owned(),
            "/api/v1/health".to_owned(),
            "/api/v1/consultations".to_owned(),
            format!("/api/v1/consultations/{id}"),
            format!("/api/v1/consultations/{id}/posts"),
            "/api/v1/openapi.json".to_owned(),
            "/api/v1/no-such-route".to_owned(),
            "/api/v1/consultations/abc".to_owned(),
            "/some/page".to_owned(),
        ];
        for path in &paths {
            let res = visitor.raw(Method::GET, path).send().await.expect("GET");
            assert_hardened(path, res.headers());
            // Plain HTTP: no HSTS (it would pin a site that has no certificate).
            assert!(res.headers().get("strict-transport-security").is_none());
        }
        // Errors of state-changing requests too (CSRF refusal, bad JSON, unauthenticated).
        let res = reqwest::Client::new()
            .post(format!("{}/api/v1/session", app.base))
            .header("X-CSRF-Token", "forged")
            .json(&json!({}))
            .send()
            .await
            .expect("POST");
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_hardened("csrf refusal", res.headers());
        let res = visitor
            .raw(Method::POST, "/api/v1/session")
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("POST");
        assert!(res.status().is_client_error());
        assert_hardened("bad json", res.headers());
        // Cookies over plain HTTP: HttpOnly, SameSite, whole site, no prefix (it needs Secure).
        let res = reqwest::Client::new()
            .get(format!("{}/api/v1/session", app.base))
            .send()
            .await
            .expect("GET");
        let cookies = set_cookies(res.headers());
        let csrf = cookies
            .iter()
            .find(|c| c.starts_with("yishi_csrf="))
            .expect("anonymous CSRF cookie");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(csrf.contains(attribute), "{csrf}");
        }
        assert!(!csrf.contains("Secure"), "{csrf}");
    }
);

fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect()
}

/// `name=value` of the cookie called `name` among `Set-Cookie` headers.
fn cookie_pair(cookies: &[String], name: &str) -> String {
    let line = cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} among {cookies:?}"));
    line.split(';').next().unwrap_or_default().to_owned()
}

both_engines!(
    over_https_cookies_are_secure_host_cookies_and_hsts_is_sent,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| c.secure_cookies = true).await;
        // A cookie store would not send Secure cookies over plain HTTP: carry them by hand,
        // as a browser behind the TLS proxy would.
        let http = reqwest::Client::new();
        let res = http
            .get(format!("{}/api/v1/session", app.base))
            .send()
            .await
            .expect("GET");
        assert!(res
            .headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("max-age=31536000")));
        let cookies = set_cookies(res.headers());
        let anon = cookies
            .iter()
            .find(|c| c.starts_with("__Host-yishi_csrf="))
            .expect("prefixed CSRF cookie");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] {
            assert!(anon.contains(attribute), "{anon}");
        }
        assert!(!anon.contains("Domain"), "{anon}");
        let anon_pair = cookie_pair(&cookies, "__Host-yishi_csrf");
        let token: serde_json::Value = res.json().await.expect("json");
        let token = token["csrf_token"].as_str().expect("token").to_owned();
        let sign_in_with = |cookie: String| {
            http.post(format!("{}/api/v1/session", app.base))
                .header("cookie", cookie)
                .header("X-CSRF-Token", &token)
                .json(&json!({"login": "member1", "password": DEMO_PASSWORD}))
                .send()
        };
        // The unprefixed name is not accepted in its place (a subdomain could set that one).
        let plain = anon_pair.replacen("__Host-", "", 1);
        let res = sign_in_with(plain).await.expect("POST");
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = sign_in_with(anon_pair.clone()).await.expect("POST");
        assert_eq!(res.status(), StatusCode::OK);
        let cookies = set_cookies(res.headers());
        let session = cookies
            .iter()
            .find(|c| c.starts_with("__Host-yishi_session="))
            .expect("prefixed session cookie");
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] {
            assert!(session.contains(attribute), "{session}");
        }
        let session_pair = cookie_pair(&cookies, "__Host-yishi_session");
        let me: serde_json::Value = http
            .get(format!("{}/api/v1/session", app.base))
            .header("cookie", &session_pair)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json");
        assert_eq!(me["user"]["username"], "member1", "{me}");
        // The same token under a percent-encoded name (which a sibling subdomain could set for
        // the whole domain) is not the prefixed cookie.
        let planted = session_pair.replacen("__Host-", "__Host%2D", 1);
        let them: serde_json::Value = http
            .get(format!("{}/api/v1/session", app.base))
            .header("cookie", &planted)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json");
        assert!(them["user"].is_null(), "{them}");
        // Signing out clears the prefixed cookie with the attributes it was set with.
        let res = http
            .delete(format!("{}/api/v1/session", app.base))
            .header("cookie", &session_pair)
            .header(
                "X-CSRF-Token",
                me["csrf_token"].as_str().unwrap_or_default(),
            )
            .send()
            .await
            .expect("DELETE");
        assert!(res.status().is_success(), "{}", res.status());
        let cleared = set_cookies(res.headers());
        let removal = cleared
            .iter()
            .find(|c| c.starts_with("__Host-yishi_session="))
            .expect("removal cookie");
        assert!(
            removal.contains("Secure") && removal.contains("Path=/"),
            "{removal}"
        );
        assert!(removal.contains("Max-Age=0"), "{removal}");
    }
);

/// A 429 with a Retry-After of a positive number of seconds, in the error shape.
async fn assert_limited(what: &str, res: reqwest::Response) {
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{what}");
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{what}: Retry-After in {:?}", res.headers()));
    assert!(retry >= 1, "{what}: {retry}");
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["code"], "rate_limited", "{what}: {body}");
}

both_engines!(
    sign_in_posting_reporting_and_public_submissions_answer_429_with_retry_after,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| {
            c.limits.login_per_ip_per_minute = 3;
            c.limits.posts_per_minute = 2;
            c.limits.public_issues_per_hour = 1;
        })
        .await;
        // Sign-in: per client address, whatever the account.
        let visitor = app.client().await;
        for _ in 0..3 {
            let (s, _) = visitor
                .post(
                    "/api/v1/session",
                    json!({"login": "nobody", "password": "wrong-password"}),
                )
                .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let res = visitor
            .post_response(
                "/api/v1/session",
                &json!({"login": "member1", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_limited("sign-in", res).await;

        // Public submissions: per client address.
        let issue = json!({"title": "路灯不亮", "description": "小区门口路灯坏了一个月。",
            "location": "萝北县", "name": "李女士", "contact": "13900002222", "consent": true});
        let (s, b) = visitor
            .post("/api/v1/micro-consultations/public", issue.clone())
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{b}");
        let res = visitor
            .post_response("/api/v1/micro-consultations/public", &issue)
            .await;
        assert_limited("public submission", res).await;
    }
);

both_engines!(
    posting_and_reporting_share_a_budget_answered_with_retry_after,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| c.limits.posts_per_minute = 2).await;
        let id = open_consultation(&app.admin().await).await;
        let posts = format!("/api/v1/consultations/{id}/posts");
        let author = app.signed_in("member1", DEMO_PASSWORD).await;
        let mut ids = Vec::new();
        for n in 0..2 {
            let (s, b) = author
                .post(
                    &posts,
                    json!({"kind": "comment", "body": format!("意见{n}")}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{b}");
            ids.push(b["id"].as_i64().expect("post id"));
        }
        let res = author
            .post_response(&posts, &json!({"kind": "comment", "body": "第三条"}))
            .await;
        assert_limited("posting", res).await;
        // Reports draw on the reporter's posting budget.
        let reporter = app.signed_in("member2", DEMO_PASSWORD).await;
        for post in &ids {
            let (s, b) = reporter
                .post(
                    &format!("/api/v1/posts/{post}/reports"),
                    json!({"reason": "与议题无关"}),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
        }
        let (s, b) = reporter
            .post(&posts, json!({"kind": "comment", "body": "我也说一句"}))
            .await;
        assert_error(s, &b, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
        let third = app.signed_in("member3", DEMO_PASSWORD).await;
        let (s, b) = third
            .post(
                &posts,
                json!({"kind": "comment", "body": "别人的额度不受影响"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let fresh = b["id"].as_i64().expect("post id");
        let res = reporter
            .post_response(
                &format!("/api/v1/posts/{fresh}/reports"),
                &json!({"reason": "重复"}),
            )
            .await;
        assert_limited("reporting", res).await;
    }
);

both_engines!(
    an_admin_cannot_issue_a_one_time_password_to_themselves,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let me = account(&admin, "admin").await;
        let (s, b) = admin
            .post(
                &format!("/api/v1/admin/accounts/{}/reset-password", me["id"]),
                json!({}),
            )
            .await;
        assert_error(s, &b, StatusCode::CONFLICT, "own_account");
        // The session goes on as before.
        let (s, me) = admin.get("/api/v1/session").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["user"]["must_change_password"], false);
    }
);
