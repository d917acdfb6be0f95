use crate::both_engines;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

both_engines!(public_home_and_site_info, |app: TestApp| async move {
    let c = app.client().await;
    let (s, home) = c.get("/api/v1/home").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(home["committee_name"], "鹤岗市政协");
    assert_eq!(home["member_count"], 40);
    assert_eq!(home["sector_count"], 8);
    assert!(home["open_items"].as_array().is_some());
    let (_, site) = c.get("/api/v1/site").await;
    assert_eq!(site["time_zone"], "Asia/Shanghai");
    assert!(site["footer_text"]
        .as_str()
        .is_some_and(|f| f.contains("ICP")));
});

both_engines!(only_admins_change_settings, |app: TestApp| async move {
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let (s, b) = member
        .put("/api/v1/admin/settings", json!({"committee_name": "改名"}))
        .await;
    assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");
    let anon = app.client().await;
    let (s, b) = anon
        .put("/api/v1/admin/settings", json!({"committee_name": "改名"}))
        .await;
    assert_error(s, &b, StatusCode::UNAUTHORIZED, "unauthenticated");

    let admin = app.admin().await;
    let (s, b) = admin
        .put(
            "/api/v1/admin/settings",
            json!({"time_zone": "Mars/Olympus"}),
        )
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(b["fields"]["time_zone"], "invalid");
    let (s, b) = admin.put("/api/v1/admin/settings", json!({"committee_name": "萝北县政协", "footer_text": "黑ICP备12345678号", "time_zone": "Asia/Harbin"})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, site) = anon.get("/api/v1/site").await;
    assert_eq!(site["committee_name"], "萝北县政协");
    assert_eq!(site["footer_text"], "黑ICP备12345678号");
    assert_eq!(site["time_zone"], "Asia/Harbin");
});

both_engines!(openapi_document_lists_the_api, |app: TestApp| async move {
    let c = app.client().await;
    let (s, doc) = c.get("/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in [
        "/api/v1/session",
        "/api/v1/admin/accounts",
        "/api/v1/admin/accounts/import",
        "/api/v1/org",
        "/api/v1/members/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["schemas"]["ApiError"].is_object());
});

both_engines!(storage_engine_is_durable, |app: TestApp| async move {
    if let Engine::Sqlite = app.engine {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&app.db.pool)
            .await
            .expect("pragma");
        assert_eq!(mode.to_lowercase(), "wal");
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&app.db.pool)
            .await
            .expect("pragma");
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&app.db.pool)
            .await
            .expect("pragma");
        assert_eq!(fk, 1);
    } else {
        let sync: String = sqlx::query_scalar("SHOW synchronous_commit")
            .fetch_one(&app.db.pool)
            .await
            .expect("show");
        assert_eq!(sync, "on");
    }
});

both_engines!(
    reset_demo_erases_everything_and_reloads,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let (_, c) = admin
            .post(
                "/api/v1/consultations",
                json!({"kind": "online", "title": "将被清除", "visibility": "public"}),
            )
            .await;
        let id = c["summary"]["id"].as_i64().expect("id");
        admin
            .post(
                &format!("/api/v1/consultations/{id}/state"),
                json!({"to": "published"}),
            )
            .await;
        admin
            .post(
                &format!("/api/v1/consultations/{id}/posts"),
                json!({"kind": "comment", "body": "x"}),
            )
            .await;
        yishi_server::demo::reset(&app.db, yishi_server::config::HashCost::Cheap)
            .await
            .expect("reset works with data in every area");
        let (_, list) = app.client().await.get("/api/v1/consultations").await;
        assert_eq!(list["total"], 0);
        let (_, home) = app.client().await.get("/api/v1/home").await;
        assert_eq!(home["member_count"], 40);
        app.signed_in("member1", DEMO_PASSWORD).await;
        // The reset list names every table the migrations create.
        if let Engine::Sqlite = app.engine {
            let mut tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
            )
            .fetch_all(&app.db.pool)
            .await
            .expect("tables");
            tables.sort();
            let mut listed: Vec<String> = yishi_server::demo::ALL_TABLES
                .iter()
                .map(|t| t.to_string())
                .collect();
            listed.sort();
            assert_eq!(tables, listed);
        }
    }
);
