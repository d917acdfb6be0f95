//! Nothing acknowledged is lost: the server process killed (`kill -9`) or stopped (SIGTERM)
//! while members post, and an online backup taken while serving, then restored.

use crate::helpers::*;
use crate::instances::{start, Server};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_yishi-server");
const POSTERS: usize = 20;

/// Posts acknowledged with a 2xx: id → body.
type Acknowledged = Arc<Mutex<BTreeMap<i64, String>>>;

fn temp_database() -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!(
        "yishi-durability-{}-{}",
        std::process::id(),
        crate::instances::free_port()
    ));
    std::fs::create_dir_all(&dir).expect("folder");
    let url = format!("sqlite://{}/yishi.db", dir.display());
    (dir, url)
}

/// Members 1…20 signed in to `base`, each with its own connection pool of one.
async fn posters(base: &str) -> Vec<Client> {
    let mut clients = Vec::new();
    for n in 1..=POSTERS {
        let mut c = client_at(base).await;
        c.sign_in(&format!("member{n}"), DEMO_PASSWORD).await;
        clients.push(c);
    }
    clients
}

/// Members 1…20 posting into one consultation as fast as they are answered, each body
/// starting with a label, until told to stop or their server goes away.
struct Posting {
    acknowledged: Acknowledged,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Posting {
    async fn begin(base: &str, consultation: i64, label: &str) -> Posting {
        let acknowledged: Acknowledged = Arc::default();
        let stop: Arc<AtomicBool> = Arc::default();
        let tasks = posters(base)
            .await
            .into_iter()
            .enumerate()
            .map(|(i, client)| {
                let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
                let label = label.to_owned();
                tokio::spawn(async move {
                    let path = format!("/api/v1/consultations/{consultation}/posts");
                    for n in 0.. {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let body = format!("{label}-委员{i}-第{n}条：建议增设公共停车泊位🚗");
                        let res = client
                            .raw(reqwest::Method::POST, &path)
                            .json(&json!({"kind": "comment", "body": body}))
                            .send()
                            .await;
                        let Ok(res) = res else { return };
                        let status = res.status();
                        let Ok(text) = res.text().await else { return };
                        assert_eq!(status, StatusCode::CREATED, "{text}");
                        let post: serde_json::Value =
                            serde_json::from_str(&text).expect("post json");
                        let id = post["id"].as_i64().expect("post id");
                        acknowledged.lock().expect("lock").insert(id, body);
                    }
                })
            })
            .collect();
        Posting {
            acknowledged,
            stop,
            tasks,
        }
    }

    /// What was acknowledged so far, while posting goes on.
    fn so_far(&self) -> BTreeMap<i64, String> {
        self.acknowledged.lock().expect("lock").clone()
    }

    /// Stops the posters (if their server has not already gone) and returns all that was
    /// acknowledged.
    async fn finish(self) -> BTreeMap<i64, String> {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.expect("poster task");
        }
        let acknowledged = self.acknowledged.lock().expect("lock").clone();
        acknowledged
    }
}

async fn admin_at(base: &str) -> Client {
    let mut admin = client_at(base).await;
    admin.sign_in("admin", ADMIN_PASSWORD).await;
    admin
}

async fn kill_9(server: &mut Server) {
    server.child.start_kill().expect("SIGKILL");
    let _ = server.child.wait().await;
}

/// What the database holds for posts whose body starts with `label`; a SQLite file must pass
/// `integrity_check` first.
async fn stored(url: &str, label: &str) -> BTreeMap<i64, String> {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("open the database");
    if url.starts_with("sqlite:") {
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .expect("integrity_check");
        assert_eq!(verdict, "ok", "integrity_check");
    }
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, body_md FROM posts WHERE body_md LIKE $1 ORDER BY id")
            .bind(format!("{label}-%"))
            .fetch_all(&mut conn)
            .await
            .expect("posts");
    rows.into_iter().collect()
}

/// Runs a command that must succeed.
async fn run_ok(what: &str, command: &mut tokio::process::Command) {
    let out = command.output().await.expect(what);
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A server on `url` lists exactly `posts` posts in the consultation and takes a new one.
async fn serves_and_takes_posts(url: &str, consultation: i64, posts: usize) -> Server {
    let server = start(url, false).await;
    let member = posters(&server.base).await.remove(0);
    let path = format!("/api/v1/consultations/{consultation}/posts");
    let (s, page) = member.get(&path).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["total"].as_u64(), Some(posts as u64), "{page}");
    let (s, _) = member
        .post(
            &path,
            json!({"kind": "comment", "body": "恢复之后照常发言"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    server
}

/// A restored database holds every post acknowledged before its backup began, unchanged,
/// and a server on it works.
async fn assert_restored(
    url: &str,
    label: &str,
    before: &BTreeMap<i64, String>,
    consultation: i64,
) -> Server {
    let in_backup = stored(url, label).await;
    for (id, body) in before {
        assert_eq!(
            in_backup.get(id),
            Some(body),
            "post {id} missing from the backup"
        );
    }
    serves_and_takes_posts(url, consultation, in_backup.len()).await
}

#[tokio::test]
async fn kill_9_while_twenty_members_post_loses_no_acknowledged_post() {
    sqlx::any::install_default_drivers();
    let (dir, url) = temp_database();
    let mut server = start(&url, true).await;
    let consultation = open_consultation(&admin_at(&server.base).await).await;
    let mut all = BTreeMap::new();
    for round in 0..5 {
        if round > 0 {
            server = start(&url, false).await;
        }
        let label = format!("round{round}");
        let posting = Posting::begin(&server.base, consultation, &label).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        kill_9(&mut server).await;
        let acknowledged = posting.finish().await;
        assert!(
            !acknowledged.is_empty(),
            "round {round}: nothing was posted"
        );
        let on_disk = stored(&url, &label).await;
        for (id, body) in &acknowledged {
            assert_eq!(
                on_disk.get(id),
                Some(body),
                "round {round}: acknowledged post {id} lost or changed"
            );
        }
        // A post may be stored whose answer never arrived (the kill came between); never
        // the other way round.
        assert!(on_disk.len() >= acknowledged.len());
        all.extend(on_disk);
    }
    // The restarted server serves every stored post and takes new ones.
    drop(serves_and_takes_posts(&url, consultation, all.len()).await);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn sigterm_lets_in_flight_posts_finish_and_answers_every_stored_post() {
    sqlx::any::install_default_drivers();
    let (dir, url) = temp_database();
    let mut server = start(&url, true).await;
    let consultation = open_consultation(&admin_at(&server.base).await).await;
    let posting = Posting::begin(&server.base, consultation, "term").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let pid = server.child.id().expect("pid").to_string();
    run_ok(
        "kill -TERM",
        tokio::process::Command::new("kill").args(["-TERM", &pid]),
    )
    .await;
    let exit = tokio::time::timeout(Duration::from_secs(20), server.child.wait())
        .await
        .expect("the server exits after SIGTERM")
        .expect("exit status");
    assert!(exit.success(), "clean exit: {exit:?}");
    let acknowledged = posting.finish().await;
    assert!(!acknowledged.is_empty());
    // Every request the server took was answered: what is stored is exactly what was
    // acknowledged (a request refused at the door stored nothing).
    assert_eq!(stored(&url, "term").await, acknowledged);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn online_backup_while_serving_restores_into_a_working_server() {
    sqlx::any::install_default_drivers();
    let (dir, url) = temp_database();
    let server = start(&url, true).await;
    let consultation = open_consultation(&admin_at(&server.base).await).await;
    let posting = Posting::begin(&server.base, consultation, "backup").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    // The backup runs while the members keep posting.
    let before = posting.so_far();
    let backup = dir.join("backup.db");
    let backup_command = || {
        let mut c = tokio::process::Command::new(BIN);
        c.args(["--database-url", &url, "backup", "--to"])
            .arg(&backup);
        c
    };
    run_ok("backup", &mut backup_command()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let during = posting.finish().await.len();
    assert!(during > before.len(), "posting went on during the backup");
    // A second backup to the same place is refused rather than overwriting it.
    let again = backup_command().output().await.expect("backup runs");
    assert!(!again.status.success());

    // Restore as docs/operations.md says: the backup file becomes the database of a server.
    let restored_dir = dir.join("restored");
    std::fs::create_dir_all(&restored_dir).expect("folder");
    std::fs::copy(&backup, restored_dir.join("yishi.db")).expect("copy the backup");
    let restored_url = format!("sqlite://{}/yishi.db", restored_dir.display());
    let restored = assert_restored(&restored_url, "backup", &before, consultation).await;
    drop((server, restored));
    let _ = std::fs::remove_dir_all(dir);
}

/// PostgreSQL's own online backup, as docs/operations.md gives it: `pg_dump` while members
/// post, `pg_restore` into an empty database, a server on it.
#[tokio::test]
async fn postgresql_dump_while_serving_restores_into_a_working_server() {
    if std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
        eprintln!("SKIPPED: PostgreSQL not available (YISHI_SKIP_POSTGRES)");
        return;
    }
    sqlx::any::install_default_drivers();
    let url = database_url(Engine::Postgres).await;
    let server = start(&url, true).await;
    let consultation = open_consultation(&admin_at(&server.base).await).await;
    let posting = Posting::begin(&server.base, consultation, "dump").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before = posting.so_far();
    let (dir, _) = temp_database();
    let dump = dir.join("yishi.dump");
    run_ok(
        "pg_dump",
        tokio::process::Command::new("pg_dump")
            .args(["-Fc", "-f"])
            .arg(&dump)
            .arg(&url),
    )
    .await;
    posting.finish().await;

    let restored_url = database_url(Engine::Postgres).await;
    run_ok(
        "pg_restore",
        tokio::process::Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "-d", &restored_url])
            .arg(&dump),
    )
    .await;
    let restored = assert_restored(&restored_url, "dump", &before, consultation).await;
    drop((server, restored));
    let _ = std::fs::remove_dir_all(dir);
}
