use crate::both_engines;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

both_engines!(
    sign_in_with_username_or_phone_and_out,
    |app: TestApp| async move {
        let c = app.signed_in("member1", DEMO_PASSWORD).await;
        let (_, me) = c.get("/api/v1/session").await;
        assert_eq!(me["user"]["username"], "member1");
        assert_eq!(me["user"]["role"], "member");
        let (status, _) = c.send(Method::DELETE, "/api/v1/session", None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, after) = c.get("/api/v1/session").await;
        assert!(after["user"].is_null(), "signed out: {after}");

        // member1's phone from the demo data works as a login too.
        let by_phone = app.signed_in("13904680001", DEMO_PASSWORD).await;
        let (_, me) = by_phone.get("/api/v1/session").await;
        assert_eq!(me["user"]["username"], "member1");
    }
);

both_engines!(
    wrong_password_is_refused_without_revealing_which,
    |app: TestApp| async move {
        let c = app.client().await;
        let (s1, b1) = c
            .post(
                "/api/v1/session",
                json!({"login": "member1", "password": "nope-nope"}),
            )
            .await;
        assert_error(s1, &b1, StatusCode::UNAUTHORIZED, "invalid_credentials");
        let (s2, b2) = c
            .post(
                "/api/v1/session",
                json!({"login": "nobody", "password": "nope-nope"}),
            )
            .await;
        assert_error(s2, &b2, StatusCode::UNAUTHORIZED, "invalid_credentials");
        assert_eq!(b1["message"], b2["message"]);
    }
);

both_engines!(
    state_changes_need_the_csrf_token,
    |app: TestApp| async move {
        let mut c = app.client().await;
        let good = c.csrf().to_owned();
        c.set_csrf("");
        let (s, b) = c
            .post(
                "/api/v1/session",
                json!({"login": "member1", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "csrf_failed");
        c.set_csrf(&good);
        let signed = app.signed_in("admin", ADMIN_PASSWORD).await;
        // A signed-in session's token is its own: the anonymous token no longer works.
        let mut other = app.admin().await;
        other.set_csrf(&good);
        let (s, b) = other
            .put("/api/v1/admin/settings", json!({"committee_name": "X"}))
            .await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "csrf_failed");
        // A foreign Origin is refused even with the right token.
        let res = signed
            .raw(Method::PUT, "/api/v1/admin/settings")
            .header("Origin", "https://evil.example")
            .json(&json!({"committee_name": "X"}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (_, site) = signed.get("/api/v1/site").await;
        assert_ne!(site["committee_name"], "X", "nothing changed");
    }
);

both_engines!(
    sign_in_is_rate_limited_per_address,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| c.limits.login_per_ip_per_minute = 3).await;
        let c = app.client().await;
        for _ in 0..3 {
            let (s, _) = c
                .post(
                    "/api/v1/session",
                    json!({"login": "member1", "password": "bad-password"}),
                )
                .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let (s, b) = c
            .post(
                "/api/v1/session",
                json!({"login": "member1", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_error(s, &b, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    }
);

both_engines!(
    failures_lock_the_account_not_others,
    |_app: TestApp| async move {
        let app =
            TestApp::spawn_with(_app.engine, |c| c.limits.login_failures_per_account = 2).await;
        let c = app.client().await;
        for _ in 0..2 {
            c.post(
                "/api/v1/session",
                json!({"login": "member2", "password": "bad-password"}),
            )
            .await;
        }
        let (s, b) = c
            .post(
                "/api/v1/session",
                json!({"login": "member2", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_error(s, &b, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
        let _other = app.signed_in("member3", DEMO_PASSWORD).await;
    }
);

both_engines!(
    change_password_and_sign_out_everywhere,
    |app: TestApp| async move {
        let first = app.signed_in("member4", DEMO_PASSWORD).await;
        let second = app.signed_in("member4", DEMO_PASSWORD).await;
        let (s, b) = first
            .post(
                "/api/v1/me/password",
                json!({"current_password": "wrong-one", "new_password": "new-password-1"}),
            )
            .await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(b["fields"]["current_password"], "wrong");
        let (s, b) = first
            .post(
                "/api/v1/me/password",
                json!({"current_password": DEMO_PASSWORD, "new_password": "short"}),
            )
            .await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(b["fields"]["new_password"], "too_short");
        // Long enough but in the bundled list of common passwords.
        let (s, b) = first
            .post(
                "/api/v1/me/password",
                json!({"current_password": DEMO_PASSWORD, "new_password": "ILoveYou1314"}),
            )
            .await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(b["fields"]["new_password"], "too_common");
        let (s, b) = first
            .post(
                "/api/v1/me/password",
                json!({"current_password": DEMO_PASSWORD, "new_password": "新的登录密码-2026年"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // The other browser was signed out by the change; the old password no longer works.
        let (_, other) = second.get("/api/v1/session").await;
        assert!(other["user"].is_null());
        let c = app.client().await;
        let (s, _) = c
            .post(
                "/api/v1/session",
                json!({"login": "member4", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let again = app.signed_in("member4", "新的登录密码-2026年").await;
        let also = app.signed_in("member4", "新的登录密码-2026年").await;
        let (s, _) = again.post("/api/v1/session/everywhere", json!({})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, gone) = also.get("/api/v1/session").await;
        assert!(gone["user"].is_null());
    }
);

both_engines!(idle_sessions_expire, |_app: TestApp| async move {
    let app = TestApp::spawn_with(_app.engine, |c| c.session_idle_minutes = 0).await;
    let c = app.signed_in("member5", DEMO_PASSWORD).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let (_, me) = c.get("/api/v1/session").await;
    assert!(me["user"].is_null(), "idle session ended: {me}");
});

both_engines!(bad_bodies_get_clear_4xx, |app: TestApp| async move {
    let c = app.client().await;
    let res = c
        .raw(Method::POST, "/api/v1/session")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.expect("json error");
    assert_eq!(body["code"], "invalid_json");
    let res = c
        .raw(Method::POST, "/api/v1/session")
        .body("login=a")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = "x".repeat(3 * 1024 * 1024);
    let res = c
        .raw(Method::POST, "/api/v1/session")
        .header("content-type", "application/json")
        .body(format!("{{\"login\":\"{huge}\",\"password\":\"p\"}}"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (s, b) = c.get("/api/v1/no-such-thing").await;
    assert_error(s, &b, StatusCode::NOT_FOUND, "not_found");
});

both_engines!(
    absolute_timeout_ends_sessions_even_when_active,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| c.session_absolute_hours = 0).await;
        let c = app.signed_in("member12", DEMO_PASSWORD).await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let (_, me) = c.get("/api/v1/session").await;
        assert!(me["user"].is_null(), "absolute limit reached: {me}");
    }
);
