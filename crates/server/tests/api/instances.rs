//! Several stateless servers on one PostgreSQL database, as separate processes: a session
//! made on one works on the other, a post made through one reaches a subscriber of the other,
//! a scheduled job fires once, and a stopping server ends its event streams with a retry hint.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_yishi-server");

pub struct Server {
    pub child: Child,
    pub base: String,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A server process on `database_url` and a free port. The server binds its port before
/// anything else, so once it is alive and `/readyz` answers, the answer is its own; if the
/// port was taken meanwhile it exits, and another port is tried.
pub async fn start(database_url: &str, demo: bool) -> Server {
    for _ in 0..5 {
        let port = free_port();
        let mut args = vec![
            "--database-url".to_owned(),
            database_url.to_owned(),
            "--bind".into(),
            format!("127.0.0.1:{port}"),
            "--dist".into(),
            "/nonexistent-dist".into(),
            "--password-hashing".into(),
            "cheap".into(),
            "--schedule-seconds".into(),
            "1".into(),
            "--login-per-ip-per-minute".into(),
            "1000".into(),
            "--posts-per-minute".into(),
            "100000".into(),
        ];
        if demo {
            args.push("--demo".into());
        }
        args.push("serve".into());
        let mut child = Command::new(BIN)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("server starts");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if !matches!(child.try_wait(), Ok(None)) {
                break;
            }
            if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
                // Alive after answering: the port is ours (the other case exits at once).
                tokio::time::sleep(Duration::from_millis(200)).await;
                if r.status() == StatusCode::OK && matches!(child.try_wait(), Ok(None)) {
                    return Server { child, base };
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = child.kill().await;
    }
    panic!("no server on {database_url} became ready");
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[tokio::test]
async fn two_server_processes_share_one_postgresql_database() {
    if std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
        eprintln!("SKIPPED: PostgreSQL not available (YISHI_SKIP_POSTGRES)");
        return;
    }
    let url = database_url(Engine::Postgres).await;
    let migrated = Command::new(BIN)
        .args(["--database-url", &url, "migrate"])
        .stdout(Stdio::null())
        .status()
        .await
        .expect("migrate runs");
    assert!(migrated.success());
    let a = start(&url, true).await;
    let mut b = start(&url, false).await;

    // A session made on A works on B, including state-changing requests (CSRF token).
    let mut admin = client_at(&a.base).await;
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    let admin_b = admin.at(&b.base);
    let (s, me) = admin_b.get("/api/v1/session").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["user"]["username"], "admin", "{me}");
    let (s, period) = admin_b
        .post(
            "/api/v1/reading-periods",
            json!({"name": "读书月", "starts_on": "2026-04-01", "ends_on": "2026-04-30"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{period}");

    // Sign-in failures count across both servers (10 per account by default).
    let guesser = client_at(&a.base).await;
    for n in 0..10 {
        let at = if n % 2 == 0 {
            guesser.at(&a.base)
        } else {
            guesser.at(&b.base)
        };
        let (s, _) = at
            .post(
                "/api/v1/session",
                json!({"login": "member2", "password": "wrong-guess"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    for base in [&a.base, &b.base] {
        let (s, body) = guesser
            .at(base)
            .post(
                "/api/v1/session",
                json!({"login": "member2", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_error(s, &body, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    }

    // A post made through A reaches a subscriber of B.
    let (_, book) = admin
        .post(
            "/api/v1/books",
            json!({"title": "乡土中国", "chapters": ["乡土本色"]}),
        )
        .await;
    let owner = account(&admin, "member1").await["id"].clone();
    let (_, group) = admin
        .post(
            "/api/v1/reading-groups",
            json!({"name": "跨实例读书群", "period_id": period["id"], "visibility": "public",
                   "owner_id": owner, "book_ids": [book["id"]], "plan": []}),
        )
        .await;
    let g = group["summary"]["id"].as_i64().expect("group");
    admin_b
        .post(
            &format!("/api/v1/reading-groups/{g}/state"),
            json!({"state": "open"}),
        )
        .await;
    let watcher = client_at(&b.base).await;
    let mut stream = watcher.stream(&format!("reading:{g}")).await;
    let mut member = client_at(&a.base).await;
    member.sign_in("member1", DEMO_PASSWORD).await;
    let (s, post) = member
        .post(
            &format!("/api/v1/reading-groups/{g}/posts"),
            json!({"kind": "reflection", "body": "从实例 A 发出"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{post}");
    let events = crate::events::read_events(&mut stream, 1).await;
    match &events[0].event {
        yishi_api::EventKind::PostCreated { post: p } => assert_eq!(p.id, post["id"]),
        other => panic!("expected the post, got {other:?}"),
    }

    // Both servers run the scheduler every second: the topic closes once.
    let now = now_ms();
    let (_, c) = admin
        .post(
            "/api/v1/consultations",
            json!({"kind": "online", "title": "两台服务器上的网络议政", "visibility": "public",
                   "starts_at": now - 60_000, "ends_at": now + 1_500}),
        )
        .await;
    let id = c["summary"]["id"].as_i64().expect("id");
    let (s, _) = admin_b
        .post(
            &format!("/api/v1/consultations/{id}/state"),
            json!({"to": "published"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let mut detail = serde_json::Value::Null;
    for _ in 0..100 {
        detail = admin.get(&format!("/api/v1/consultations/{id}")).await.1;
        if detail["summary"]["state"] == "concluded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(detail["summary"]["state"], "concluded");
    // Give the other server's scheduler a few more ticks to (not) act again.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let detail = admin_b.get(&format!("/api/v1/consultations/{id}")).await.1;
    let closings = detail["transitions"]
        .as_array()
        .expect("transitions")
        .iter()
        .filter(|t| t["to"] == "concluded")
        .count();
    assert_eq!(closings, 1, "{detail}");
    let db = yishi_server::db::Db::connect(&url, 1).await.expect("db");
    let changes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE topic = $1 AND payload LIKE '%state_changed%'",
    )
    .bind(format!("consultation:{id}"))
    .fetch_one(&db.pool)
    .await
    .expect("count");
    assert_eq!(changes, 2, "published, then concluded once");

    // SIGTERM: B stops being ready, ends its event streams with a retry hint and exits.
    let mut open = watcher.stream(&format!("reading:{g}")).await;
    let pid = b.child.id().expect("pid");
    let killed = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .await
        .expect("kill");
    assert!(killed.success());
    let mut rest = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        match tokio::time::timeout_at(deadline, open.chunk()).await {
            Ok(Ok(Some(chunk))) => rest.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(_) => break,
            Err(_) => panic!("the stream did not end after SIGTERM: {rest}"),
        }
    }
    assert!(rest.contains("retry:"), "retry hint in {rest:?}");
    let status = tokio::time::timeout(Duration::from_secs(15), b.child.wait())
        .await
        .expect("exits")
        .expect("status");
    assert!(status.success(), "{status}");
    // A keeps serving; liveness is plain text for load balancers.
    let health = reqwest::get(format!("{}/healthz", a.base))
        .await
        .expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.text().await.expect("text"), "ok");
    let (s, _) = client_at(&a.base).await.get("/api/v1/reading-groups").await;
    assert_eq!(s, StatusCode::OK);
}
