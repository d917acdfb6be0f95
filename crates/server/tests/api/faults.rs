//! Database trouble on private instances (decisions.md): a SQLite database that cannot be
//! written or is full, and a PostgreSQL server stopped and started again. The server answers
//! 503 with a clear message and a Retry-After, recovers by itself, and loses nothing.

use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;

/// Runs one statement on one pooled connection. With a pool of one connection, a per-connection
/// setting then applies to every request the server handles.
async fn on_the_connection(app: &TestApp, statement: &str) {
    let mut conn = app.db.pool.acquire().await.expect("connection");
    sqlx::query(statement)
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

async fn scalar(app: &TestApp, query: &str) -> i64 {
    let mut conn = app.db.pool.acquire().await.expect("connection");
    sqlx::query_scalar::<_, i64>(query)
        .fetch_one(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// Posts a comment that must be stored.
async fn comment(client: &Client, posts: &str, body: &str) {
    let (s, b) = client
        .post(posts, json!({"kind": "comment", "body": body}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
}

/// The refusal a client gets: 503, the shared error shape, a reason and when to retry.
async fn assert_unavailable(what: &str, res: reqwest::Response, mentions: &str) {
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{what}");
    assert_eq!(
        res.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5"),
        "{what}"
    );
    let body: Value = res.json().await.expect("json error");
    assert_eq!(body["code"], "service_unavailable", "{what}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains(mentions), "{what}: {message}");
}

async fn bodies(client: &Client, id: i64) -> Vec<String> {
    let (s, page) = client
        .get(&format!("/api/v1/consultations/{id}/posts?limit=100"))
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|p| p["body_html"].as_str().map(text_of))
        .collect()
}

/// The text of rendered Markdown (`<p>意见</p>` → `意见`).
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_owned()
}

async fn integrity_ok(app: &TestApp) {
    let mut conn = app.db.pool.acquire().await.expect("connection");
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut *conn)
        .await
        .expect("integrity_check");
    assert_eq!(verdict, "ok");
}

#[tokio::test]
async fn sqlite_that_cannot_be_written_answers_503_while_reads_go_on_then_recovers() {
    let app = TestApp::spawn_with(Engine::Sqlite, |c| c.max_db_connections = 1).await;
    let id = open_consultation(&app.admin().await).await;
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let posts = format!("/api/v1/consultations/{id}/posts");
    comment(&member, &posts, "写入正常时的意见").await;

    // The tests run as root, whom file permissions do not stop, and SQLite keeps writing
    // through descriptors it opened before a chmod: `query_only` makes SQLite refuse writes
    // with the same SQLITE_READONLY a read-only file gives.
    on_the_connection(&app, "PRAGMA query_only = ON").await;
    let res = member
        .post_response(&posts, &json!({"kind": "comment", "body": "只读时的意见"}))
        .await;
    assert_unavailable("post while read-only", res, "read-only").await;
    // Reading goes on, signed in or not.
    assert_eq!(bodies(&member, id).await, vec!["写入正常时的意见"]);
    assert_eq!(
        bodies(&app.client().await, id).await,
        vec!["写入正常时的意见"]
    );

    on_the_connection(&app, "PRAGMA query_only = OFF").await;
    comment(&member, &posts, "恢复后的意见").await;
    let mut seen = bodies(&member, id).await;
    seen.sort();
    assert_eq!(seen, vec!["写入正常时的意见", "恢复后的意见"]);
    integrity_ok(&app).await;
}

#[tokio::test]
async fn sqlite_disk_full_answers_503_keeps_what_was_stored_then_recovers() {
    let app = TestApp::spawn_with(Engine::Sqlite, |c| c.max_db_connections = 1).await;
    let id = open_consultation(&app.admin().await).await;
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let posts = format!("/api/v1/consultations/{id}/posts");

    // The file may not grow past its current size: the disk is full.
    let pages = scalar(&app, "PRAGMA page_count").await;
    on_the_connection(&app, &format!("PRAGMA max_page_count = {pages}")).await;
    let mut stored = Vec::new();
    let mut refused = false;
    for n in 0..40 {
        // Long posts fill the free pages quickly (10,000 characters is the limit).
        let body = format!("第{n}条：{}", "城区停车位严重不足".repeat(1000));
        let res = member
            .post_response(&posts, &json!({"kind": "comment", "body": body}))
            .await;
        if res.status() == StatusCode::CREATED {
            stored.push(body);
            continue;
        }
        assert_unavailable("post on a full disk", res, "full").await;
        refused = true;
        break;
    }
    assert!(refused, "the full disk was never noticed");
    let mut seen = bodies(&member, id).await;
    seen.sort();
    stored.sort();
    assert_eq!(seen, stored, "exactly the acknowledged posts are stored");
    integrity_ok(&app).await;

    // Space is freed: the same server takes writes again.
    on_the_connection(&app, "PRAGMA max_page_count = 1073741823").await;
    comment(&member, &posts, "腾出空间后的意见").await;
    assert_eq!(bodies(&member, id).await.len(), stored.len() + 1);
    integrity_ok(&app).await;
}

/// A PostgreSQL server of the test's own, in a temporary folder on a free port.
struct PrivatePostgres {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
}

/// The newest installed PostgreSQL's programs (Debian keeps them out of PATH).
fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

/// Whether the tests run as root (PostgreSQL's programs refuse to).
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL program, as the `postgres` user when we are root.
async fn try_as_postgres(program: &Path, args: &[&str]) -> Result<(), String> {
    let output = if is_root() {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(program)
            .args(args)
            .output()
            .await
    } else {
        Command::new(program).args(args).output().await
    }
    .map_err(|e| format!("{}: {e}", program.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} {args:?}: {}{}",
            program.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

async fn as_postgres(program: &Path, args: &[&str]) {
    if let Err(e) = try_as_postgres(program, args).await {
        panic!("{e}");
    }
}

impl PrivatePostgres {
    async fn create() -> PrivatePostgres {
        let bin = postgres_bin().expect("PostgreSQL server programs under /usr/lib/postgresql");
        let dir = std::env::temp_dir().join(format!(
            "yishi-pg-{}-{}",
            std::process::id(),
            crate::instances::free_port()
        ));
        std::fs::create_dir_all(&dir).expect("folder");
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .await;
        let data = dir.display().to_string();
        as_postgres(
            &bin.join("initdb"),
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )
        .await;
        let mut pg = PrivatePostgres { dir, port: 0, bin };
        // The free port may be taken by the time PostgreSQL binds it: try another.
        let mut last = String::new();
        for _ in 0..5 {
            pg.port = crate::instances::free_port();
            match pg.try_start().await {
                Ok(()) => return pg,
                Err(e) => last = e,
            }
        }
        panic!("the private PostgreSQL did not start: {last}");
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    async fn try_start(&self) -> Result<(), String> {
        let data = self.dir.display().to_string();
        let log = self.dir.join("server.log").display().to_string();
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, data);
        try_as_postgres(
            &self.bin.join("pg_ctl"),
            &["-D", &data, "-l", &log, "-o", &options, "-w", "start"],
        )
        .await
    }

    async fn start(&self) {
        if let Err(e) = self.try_start().await {
            panic!("{e}");
        }
    }

    /// A fast shutdown: open connections are cut, as in a crash or a failover.
    async fn stop(&self) {
        let data = self.dir.display().to_string();
        as_postgres(
            &self.bin.join("pg_ctl"),
            &["-D", &data, "-m", "fast", "-w", "stop"],
        )
        .await;
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let mut stop = if is_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(pg_ctl);
            c
        } else {
            std::process::Command::new(pg_ctl)
        };
        let _ = stop
            .arg("-D")
            .arg(&self.dir)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn postgresql_stopped_answers_503_then_the_server_recovers_when_it_is_back() {
    if std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
        eprintln!("SKIPPED: PostgreSQL not available (YISHI_SKIP_POSTGRES)");
        return;
    }
    let pg = PrivatePostgres::create().await;
    let app = TestApp::spawn_on(pg.url(), Engine::Postgres, |c| c.max_db_connections = 3).await;
    let id = open_consultation(&app.admin().await).await;
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let posts = format!("/api/v1/consultations/{id}/posts");
    for n in 0..3 {
        comment(&member, &posts, &format!("停机前{n}")).await;
    }

    pg.stop().await;
    let res = member
        .post_response(&posts, &json!({"kind": "comment", "body": "停机时的意见"}))
        .await;
    assert_unavailable("post while PostgreSQL is down", res, "cannot be reached").await;
    let res = member.raw(Method::GET, &posts).send().await.expect("GET");
    assert_unavailable("read while PostgreSQL is down", res, "cannot be reached").await;
    let ready = reqwest::get(format!("{}/readyz", app.base))
        .await
        .expect("readyz");
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);

    pg.start().await;
    // No restart of the server: its pool reconnects on the next request.
    let mut recovered = false;
    for _ in 0..60 {
        let (s, _) = member.get(&posts).await;
        if s == StatusCode::OK {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        recovered,
        "the server did not recover after PostgreSQL came back"
    );
    comment(&member, &posts, "恢复后的意见").await;
    let mut seen = bodies(&member, id).await;
    seen.sort();
    assert_eq!(seen, vec!["停机前0", "停机前1", "停机前2", "恢复后的意见"]);
    let ready = reqwest::get(format!("{}/readyz", app.base))
        .await
        .expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);
}
