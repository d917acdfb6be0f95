//! Each notification trigger reaches exactly the right people once; email reaches an SMTP
//! sink; the webhook is signed and retried after a failure.

use crate::both_engines;
use crate::consultations::create;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

async fn kinds(c: &Client) -> Vec<String> {
    let (s, page) = c.get("/api/v1/notifications?limit=100").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["kind"].as_str().expect("kind").to_owned())
        .collect()
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

/// Polls until `check` holds (scheduled work runs every 200 ms in tests).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

both_engines!(
    consultation_triggers_reach_participants_once,
    |app: TestApp| async move {
        let (admin, id, _, _) = create(&app, "members").await;
        let base = format!("/api/v1/consultations/{id}");
        let member1 = app.signed_in("member1", DEMO_PASSWORD).await;
        let official1 = app.signed_in("official1", DEMO_PASSWORD).await;
        let official3 = app.signed_in("official3", DEMO_PASSWORD).await;
        // Starts in ten minutes: the reminder is due as soon as it is published.
        sqlx::query("UPDATE consultations SET starts_at = $1, ends_at = $2 WHERE id = $3")
            .bind(yishi_server::db::now_ms() + 600_000)
            .bind(yishi_server::db::now_ms() + 7_200_000)
            .bind(id)
            .execute(&app.db.pool)
            .await
            .expect("reschedule");
        let (s, body) = admin
            .post(&format!("{base}/state"), json!({"to": "published"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(count(&kinds(&member1).await, "invited"), 1);
        assert_eq!(
            count(&kinds(&official1).await, "invited"),
            1,
            "participating department"
        );
        assert!(kinds(&official3).await.is_empty(), "not participating");
        eventually("the starting-soon reminder", || async {
            count(&kinds(&member1).await, "starting_soon") == 1
        })
        .await;
        // The scheduler keeps running: still exactly one reminder.
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(count(&kinds(&member1).await, "starting_soon"), 1);

        // A question answered by the department: its author hears, once.
        let (s, q) = member1
            .post(
                &format!("{base}/posts"),
                json!({"kind": "question", "body": "补贴标准是多少？"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        let (s, a) = official1
            .post(
                &format!("{base}/posts"),
                json!({"kind": "answer", "body": "每台补贴五万元。", "parent_id": q["id"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert_eq!(count(&kinds(&member1).await, "question_answered"), 1);
        assert_eq!(count(&kinds(&official1).await, "question_answered"), 0);

        // Speaking: accepted, declined, next speaker.
        let (s, b) = admin
            .post(&format!("{base}/state"), json!({"to": "live"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, sp) = member1
            .post(
                &format!("{base}/speeches"),
                json!({"mode": "venue", "summary": "建议"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sp}");
        let (_, floor) = admin.get(&format!("{base}/floor")).await;
        let speech = floor["pending"][0]["id"].as_i64().expect("pending speech");
        let (s, _) = admin
            .post(
                &format!("/api/v1/speeches/{speech}/decision"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let got = kinds(&member1).await;
        assert_eq!(count(&got, "speech_accepted"), 1);
        assert_eq!(
            count(&got, "next_speaker"),
            1,
            "first in the queue: {got:?}"
        );
        let (s, _) = admin.post(&format!("{base}/floor/next"), json!({})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(count(&kinds(&member1).await, "next_speaker"), 1);
        let member2 = app.signed_in("member2", DEMO_PASSWORD).await;
        let (s, sp) = member2
            .post(
                &format!("{base}/speeches"),
                json!({"mode": "venue", "summary": "另一个"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sp}");
        let (_, floor) = admin.get(&format!("{base}/floor")).await;
        let other = floor["pending"][0]["id"].as_i64().expect("pending speech");
        let (s, _) = admin
            .post(
                &format!("/api/v1/speeches/{other}/decision"),
                json!({"accept": false}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(count(&kinds(&member2).await, "speech_declined"), 1);
        assert_eq!(count(&kinds(&member2).await, "speech_accepted"), 0);

        // Audit rows for the workflow changes.
        let (_, page) = admin
            .get(&format!(
                "/api/v1/audit?object_kind=consultation&object_id={id}"
            ))
            .await;
        let actions: Vec<&str> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|e| e["after"].as_str())
            .collect();
        assert_eq!(actions[..2], ["live", "published"], "{page}");
    }
);

both_engines!(follow_up_and_micro_triggers, |app: TestApp| async move {
    let (admin, member, _suggestion, item) = crate::followup::assigned_suggestion(&app).await;
    let lead = app.signed_in("official1", DEMO_PASSWORD).await;
    let other = app.signed_in("official3", DEMO_PASSWORD).await;
    assert_eq!(count(&kinds(&lead).await, "assigned"), 1);
    assert!(kinds(&other).await.is_empty());
    // Past its due date: the lead department hears once.
    sqlx::query("UPDATE follow_ups SET due_date = '2020-01-01' WHERE id = $1")
        .bind(item)
        .execute(&app.db.pool)
        .await
        .expect("age the item");
    eventually("the overdue reminder", || async {
        count(&kinds(&lead).await, "overdue") == 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(count(&kinds(&lead).await, "overdue"), 1);
    // A reply reaches the suggestion's author.
    let base = format!("/api/v1/follow-ups/{item}");
    let (s, d) = lead.post(&format!("{base}/accept"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, d) = lead
        .post(
            &format!("{base}/reply"),
            json!({"text": "已修复", "result_class": "solved"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(count(&kinds(&member).await, "suggestion_reply"), 1);

    // A member's raised issue: each state change reaches them.
    let raiser = app.signed_in("member7", DEMO_PASSWORD).await;
    let (s, issue) = raiser
        .post(
            "/api/v1/micro-consultations",
            json!({"title": "小区路灯不亮", "description": "三号楼前路灯坏了", "location": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{issue}");
    let issue_id = issue["summary"]["id"]
        .as_i64()
        .or_else(|| issue["id"].as_i64())
        .expect("id");
    let (s, d) = admin
        .post(
            &format!("/api/v1/micro-consultations/{issue_id}/decline"),
            json!({"reason": "已转交物业处理"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(count(&kinds(&raiser).await, "issue_state"), 1);
});

/// A minimal SMTP server that accepts every message and keeps (recipients, data).
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<(String, String)>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mail = Arc::new(Mutex::new(Vec::new()));
    let store = mail.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut rcpt = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        rcpt.push_str(&line);
                        b"250 OK\r\n"
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        if let Ok(mut m) = store.lock() {
                            m.push((std::mem::take(&mut rcpt), data));
                        }
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, mail)
}

/// The decoded text of a simple (single-part) message.
fn message_text(data: &str) -> String {
    let (head, body) = data.split_once("\n\n").unwrap_or((data, ""));
    if head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        use base64::Engine as _;
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        body.to_owned()
    }
}

#[derive(Clone, Default)]
struct Hook {
    hits: Arc<Mutex<Vec<(String, String)>>>,
}

/// A webhook receiver that fails the first call with a 500 and accepts the rest.
async fn webhook_sink() -> (String, Hook) {
    use axum::{extract::State, http::HeaderMap, routing::post, Router};
    let hook = Hook::default();
    async fn receive(State(h): State<Hook>, headers: HeaderMap, body: String) -> StatusCode {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let signature = format!(
            "{} {}",
            header("x-yishi-timestamp"),
            header("x-yishi-signature")
        );
        let first = h.hits.lock().map(|mut v| {
            v.push((signature, body));
            v.len() == 1
        });
        if first.unwrap_or(false) {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        }
    }
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(hook.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hook)
}

async fn outside_channels(engine: Engine) {
    let (smtp_port, mail) = smtp_sink().await;
    let (hook_url, hook) = webhook_sink().await;
    let app = TestApp::spawn_with(engine, |c| {
        c.outbound.smtp_url = Some(format!("smtp://127.0.0.1:{smtp_port}"));
        c.outbound.webhook_url = Some(hook_url.clone());
        c.outbound.webhook_secret = "s3cret".into(); // the CLI asks for 16+ characters; tests set it directly
        c.outbound.public_url = "https://yishi.example.org".into();
    })
    .await;
    let f = crate::reading::fixture(&app).await;
    let author = app.signed_in("member3", DEMO_PASSWORD).await;
    let (s, settings) = author
        .put(
            "/api/v1/notifications/settings",
            json!({"settings": [{"kind": "reply", "channel": "email", "enabled": false}],
                   "email": "member3@example.org", "current_password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{settings}");
    assert_eq!(settings["email_available"], true);
    let post = crate::moderation::reflection(&author, f.public, "一段会被隐藏的话").await;
    let (s, _) = f
        .admin
        .post(
            &format!("/api/v1/moderation/posts/{}/hide", post["id"]),
            json!({"reason": "与读书无关"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    eventually("the email", || async {
        mail.lock().map(|m| !m.is_empty()).unwrap_or(false)
    })
    .await;
    let (rcpt, data) = mail
        .lock()
        .expect("mail")
        .first()
        .cloned()
        .expect("one message");
    assert!(rcpt.contains("member3@example.org"), "{rcpt}");
    let text = message_text(&data);
    assert!(text.contains("与读书无关"), "{text}");
    assert!(
        text.contains("https://yishi.example.org/reading-groups/"),
        "{text}"
    );

    // The webhook failed once (500), then was retried and accepted, signed each time.
    eventually("the webhook retry", || async {
        hook.hits.lock().map(|h| h.len() >= 2).unwrap_or(false)
    })
    .await;
    let hits: Vec<(String, String)> = hook.hits.lock().expect("hits").clone();
    for (signed, body) in &hits[..2] {
        let (timestamp, signature) = signed.split_once(' ').expect("timestamp and signature");
        let timestamp: i64 = timestamp.parse().expect("unix seconds");
        assert!((yishi_server::db::now_ms() / 1000 - timestamp).abs() < 60);
        let expected = format!(
            "sha256={}",
            yishi_server::notify::signature("s3cret", timestamp, body.as_bytes())
        );
        assert_eq!(signature, expected);
        let forged = yishi_server::notify::signature("other", timestamp, body.as_bytes());
        assert_ne!(signature, format!("sha256={forged}"));
        let payload: Value = serde_json::from_str(body).expect("json");
        assert_eq!(payload["kind"], "post_hidden");
        assert_eq!(payload["detail"], "与读书无关");
    }
    assert_eq!(hits[0].1, hits[1].1, "the same message is retried");
    // A reply with email switched off sends no email.
    let (s, _) = app
        .signed_in("member2", DEMO_PASSWORD)
        .await
        .post(
            &format!("/api/v1/reading-groups/{}/posts", f.public),
            json!({"kind": "reflection", "body": "新的心得"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(mail.lock().expect("mail").len(), 1);
}

async fn password_recovery(engine: Engine) {
    let (smtp_port, mail) = smtp_sink().await;
    let app = TestApp::spawn_with(engine, |c| {
        c.outbound.smtp_url = Some(format!("smtp://127.0.0.1:{smtp_port}"));
        c.outbound.public_url = "https://yishi.example.org".into();
    })
    .await;
    let member = app.signed_in("member3", DEMO_PASSWORD).await;
    // The address gets reset links: changing it needs the password.
    for (password, problem) in [(None, "required"), (Some("wrong-password"), "wrong")] {
        let (s, body) = member
            .put(
                "/api/v1/notifications/settings",
                json!({"settings": [], "email": "thief@example.org", "current_password": password}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["current_password"], problem);
    }
    let (s, _) = member
        .put(
            "/api/v1/notifications/settings",
            json!({"settings": [], "email": "m3@example.org", "current_password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let visitor = app.client().await;
    // Unknown accounts and accounts without email get the same answer, and no mail.
    for login in ["nobody", "member4"] {
        let (s, _) = visitor
            .post("/api/v1/password-resets", json!({"login": login}))
            .await;
        assert_eq!(s, StatusCode::ACCEPTED);
    }
    let (s, body) = visitor
        .post("/api/v1/password-resets", json!({"login": ""}))
        .await;
    assert_error(
        s,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let (s, _) = visitor
        .post("/api/v1/password-resets", json!({"login": "member3"}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    eventually("the reset email", || async {
        mail.lock().map(|m| !m.is_empty()).unwrap_or(false)
    })
    .await;
    let messages = mail.lock().expect("mail").clone();
    assert_eq!(messages.len(), 1, "only member3 has an address");
    let text = message_text(&messages[0].1);
    let token = text
        .split("reset-password?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("link with token")
        .to_owned();
    let confirm = |t: String, p: &str| json!({"token": t, "new_password": p});
    let (s, body) = visitor
        .post(
            "/api/v1/password-resets/confirm",
            confirm(token.clone(), "short"),
        )
        .await;
    assert_error(
        s,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let (s, body) = visitor
        .post(
            "/api/v1/password-resets/confirm",
            confirm(token.clone(), "新的登录密码2026abc"),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    // Single use; the old session ended; the new password signs in.
    let (s, body) = visitor
        .post(
            "/api/v1/password-resets/confirm",
            confirm(token, "另一个密码2026abc"),
        )
        .await;
    assert_error(
        s,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let (_, session) = member.get("/api/v1/session").await;
    assert!(session["user"].is_null(), "{session}");
    let again = app.signed_in("member3", "新的登录密码2026abc").await;
    let (_, session) = again.get("/api/v1/session").await;
    assert_eq!(session["user"]["username"], "member3");
    // Expired links do not work.
    let (s, _) = visitor
        .post("/api/v1/password-resets", json!({"login": "member3"}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    eventually("the second email", || async {
        mail.lock().map(|m| m.len() == 2).unwrap_or(false)
    })
    .await;
    sqlx::query("UPDATE password_resets SET expires_at = 0")
        .execute(&app.db.pool)
        .await
        .expect("expire");
    let text = message_text(&mail.lock().expect("mail")[1].1);
    let token = text
        .split("reset-password?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("token")
        .to_owned();
    let (s, body) = visitor
        .post(
            "/api/v1/password-resets/confirm",
            confirm(token, "再一个密码2026abc"),
        )
        .await;
    assert_error(
        s,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
}

#[tokio::test]
async fn password_recovery_sqlite() {
    password_recovery(Engine::Sqlite).await;
}

#[tokio::test]
async fn password_recovery_postgres() {
    if std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
        return;
    }
    password_recovery(Engine::Postgres).await;
}

#[tokio::test]
async fn email_and_webhook_sqlite() {
    outside_channels(Engine::Sqlite).await;
}

#[tokio::test]
async fn email_and_webhook_postgres() {
    if std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
        return;
    }
    outside_channels(Engine::Postgres).await;
}

#[tokio::test]
async fn connections_know_their_engine() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        if matches!(engine, Engine::Postgres) && std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
            continue;
        }
        let app = TestApp::spawn(engine).await;
        let conn = app.db.pool.acquire().await.expect("connection");
        assert_eq!(yishi_server::db::engine_of(&conn), app.db.engine);
    }
}
