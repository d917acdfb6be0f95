//! Moving up from SQLite to PostgreSQL: everything arrives, verified, and the copy serves.

use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_sqlite_database_moves_to_postgresql_whole() {
    if std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
        eprintln!("SKIPPED: PostgreSQL not available (YISHI_SKIP_POSTGRES)");
        return;
    }
    let app = TestApp::spawn(Engine::Sqlite).await;
    let admin = app.admin().await;
    // Some of everything: a group with a cover (bytes), posts with a reply and a quote.
    let (_, period) = admin
        .post(
            "/api/v1/reading-periods",
            json!({"name": "读书月", "starts_on": "2026-04-01", "ends_on": "2026-04-30"}),
        )
        .await;
    let (_, book) = admin
        .post(
            "/api/v1/books",
            json!({"title": "乡土中国", "chapters": ["乡土本色", "文字下乡"]}),
        )
        .await;
    let cover: Vec<u8> = std::iter::once(0x89)
        .chain(*b"PNG\r\n\x1a\n")
        .chain((0..200u8).cycle().take(4000))
        .collect();
    let res = admin
        .raw(Method::PUT, &format!("/api/v1/books/{}/cover", book["id"]))
        .body(cover.clone())
        .send()
        .await
        .expect("cover");
    assert_eq!(res.status(), StatusCode::OK);
    let owner = account(&admin, "member1").await["id"].clone();
    let (_, group) = admin
        .post(
            "/api/v1/reading-groups",
            json!({"name": "迁移测试群", "period_id": period["id"], "visibility": "public",
                   "owner_id": owner, "book_ids": [book["id"]],
                   "plan": [{"chapter_id": book["chapters"][0]["id"], "week": 1}]}),
        )
        .await;
    let g = group["summary"]["id"].as_i64().expect("group");
    admin
        .post(
            &format!("/api/v1/reading-groups/{g}/state"),
            json!({"state": "open"}),
        )
        .await;
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let (_, first) = member
        .post(
            &format!("/api/v1/reading-groups/{g}/posts"),
            json!({"kind": "note", "body": "第一篇", "chapter_id": book["chapters"][0]["id"],
                   "quote": {"text": "中国社会是乡土性的。", "page": "6"}}),
        )
        .await;
    member
        .post(
            &format!("/api/v1/reading-groups/{g}/posts"),
            json!({"kind": "reply", "body": "回复", "parent_id": first["id"]}),
        )
        .await;

    let target_url = database_url(Engine::Postgres).await;
    let target = yishi_server::db::Db::connect(&target_url, 4)
        .await
        .expect("target");
    let report = yishi_server::db::copy::sqlite_to_postgres(&app.db, &target)
        .await
        .expect("copies and verifies");
    assert_eq!(report.len(), yishi_server::demo::ALL_TABLES.len());
    let rows = |t: &str| report.iter().find(|r| r.table == t).map(|r| r.rows);
    assert_eq!(rows("posts"), Some(2));
    assert_eq!(rows("books"), Some(1));
    assert!(rows("accounts").is_some_and(|n| n >= 44));
    // A second copy into the same database is refused: nothing is overwritten.
    let again = yishi_server::db::copy::sqlite_to_postgres(&app.db, &target).await;
    assert!(again.is_err());

    // The copy serves: sessions sign in, the thread and the cover are there, new ids follow.
    let moved =
        TestApp::spawn_with(Engine::Postgres, |c| c.database_url = target_url.clone()).await;
    let member = moved.signed_in("member1", DEMO_PASSWORD).await;
    let (_, page) = member
        .get(&format!("/api/v1/reading-groups/{g}/posts"))
        .await;
    assert_eq!(
        page["entries"][0]["post"]["quote"]["text"],
        "中国社会是乡土性的。"
    );
    assert_eq!(page["entries"][1]["depth"], 1);
    let res = member
        .raw(Method::GET, &format!("/api/v1/books/{}/cover", book["id"]))
        .send()
        .await
        .expect("cover");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), cover);
    let (s, next) = member
        .post(
            &format!("/api/v1/reading-groups/{g}/posts"),
            json!({"kind": "reflection", "body": "迁移之后"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{next}");
    assert!(next["id"].as_i64() > first["id"].as_i64());
}
