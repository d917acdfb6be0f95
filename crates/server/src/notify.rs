//! Sending notifications outside the app: email over SMTP and a signed JSON webhook. The
//! outbox rows are written with the change (db/notifications.rs); this worker sends them,
//! retrying with exponential backoff, so a slow or failing channel never blocks anyone.

use crate::config::Outbound;
use crate::db::{now_ms, Db, DbResult};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use yishi_api::{Notification, NotificationKind};

/// Marks where the worker puts the public address, so stored links stay relative.
const BASE: &str = "{{base}}";

/// What each kind says (emails and webhook texts are in Chinese, the committee's language).
fn sentence(kind: NotificationKind) -> &'static str {
    use NotificationKind::*;
    match kind {
        Invited => "您被邀请参加协商",
        StartingSoon => "您参加的协商将在30分钟内开始",
        SpeechAccepted => "您的发言申请已通过",
        SpeechDeclined => "您的发言申请未被安排",
        NextSpeaker => "下一位发言人是您，请做好准备",
        QuestionAnswered => "您的提问已获答复",
        Reply => "有人回复了您的发言",
        Featured => "您的发言被设为精华",
        Assigned => "有新的事项交由您的部门办理",
        SuggestionReply => "您的微建议有了新的办理进展",
        IssueState => "您反映的问题状态有更新",
        Overdue => "您部门的办理事项已超期",
        PostHidden => "您的发言已被管理员隐藏",
        PostApproved => "您的发言已审核通过",
    }
}

/// The subject and body stored in the outbox for one channel.
pub fn compose(n: &Notification, channel: yishi_api::Channel) -> (String, String) {
    let subject = format!("【议事】{}：{}", sentence(n.kind), n.title);
    let text = if n.detail.is_empty() {
        format!("{}：{}", sentence(n.kind), n.title)
    } else {
        format!("{}：{}（{}）", sentence(n.kind), n.title, n.detail)
    };
    let body = match channel {
        yishi_api::Channel::Webhook => serde_json::json!({
            "id": n.id,
            "kind": n.kind.as_str(),
            "title": n.title,
            "detail": n.detail,
            "text": text,
            "url": format!("{BASE}{}", n.link),
            "created_at": n.created_at,
        })
        .to_string(),
        _ => format!("{text}\n\n查看详情：{BASE}{}\n\n（本邮件由议事平台自动发送。可在“通知设置”中关闭邮件通知。）", n.link),
    };
    (subject, body)
}

/// HMAC-SHA256, hex, of `<timestamp>.<body>` with the shared secret: what
/// `X-Yishi-Signature` carries (as `sha256=<hex>`) next to `X-Yishi-Timestamp` (Unix seconds),
/// so the gateway can check the request came from this server and refuse old replays.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    channel: String,
    recipient: String,
    subject: String,
    body: String,
    attempts: i64,
    next_attempt_at: i64,
}

/// How long a worker holds a message it is sending before another may try it.
const LEASE_MS: i64 = 120_000;

/// Sends what is due; returns how many were sent.
pub async fn deliver_due(db: &Db, out: &Outbound, http: &reqwest::Client) -> DbResult<usize> {
    let now = now_ms();
    let due: Vec<OutboxRow> = sqlx::query_as(
        "SELECT id, channel, recipient, subject, body, attempts, next_attempt_at \
         FROM notification_outbox WHERE sent_at IS NULL AND failed_at IS NULL \
         AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 50",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let mut sent = 0;
    for row in due {
        // Claim it: with several servers only one sends each message.
        let claimed = sqlx::query(
            "UPDATE notification_outbox SET next_attempt_at = $1 WHERE id = $2 \
             AND next_attempt_at = $3 AND sent_at IS NULL",
        )
        .bind(now_ms() + LEASE_MS)
        .bind(row.id)
        .bind(row.next_attempt_at)
        .execute(&db.pool)
        .await?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        let result = match row.channel.as_str() {
            "email" => send_email(out, &row).await,
            _ => send_webhook(out, http, &row).await,
        };
        match result {
            Ok(()) => {
                // The body may hold a single-use link: it is not kept once sent.
                sqlx::query("UPDATE notification_outbox SET sent_at = $1, attempts = attempts + 1, body = '' WHERE id = $2")
                    .bind(now_ms())
                    .bind(row.id)
                    .execute(&db.pool)
                    .await?;
                sent += 1;
            }
            Err(problem) => {
                let attempts = row.attempts + 1;
                let give_up = attempts >= out.max_attempts;
                let backoff = out.retry_base.as_millis() as i64 * (1_i64 << attempts.min(16));
                tracing::warn!(outbox = row.id, channel = %row.channel, attempts, give_up, %problem, "notification not delivered");
                sqlx::query(
                    "UPDATE notification_outbox SET attempts = $1, last_error = $2, \
                         next_attempt_at = $3, failed_at = $4, \
                         body = CASE WHEN $4 IS NULL THEN body ELSE '' END WHERE id = $5",
                )
                .bind(attempts)
                .bind(problem.chars().take(500).collect::<String>())
                .bind(now_ms() + backoff)
                .bind(give_up.then(now_ms))
                .bind(row.id)
                .execute(&db.pool)
                .await?;
            }
        }
    }
    Ok(sent)
}

async fn send_email(out: &Outbound, row: &OutboxRow) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let Some(url) = &out.smtp_url else {
        return Err("email is not configured on this server".into());
    };
    let message = Message::builder()
        .from(out.mail_from.parse().map_err(|e| format!("sender: {e}"))?)
        .to(row
            .recipient
            .parse()
            .map_err(|e| format!("recipient: {e}"))?)
        .subject(row.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(row.body.replace(BASE, &out.public_url))
        .map_err(|e| format!("message: {e}"))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| format!("smtp url: {e}"))?
        .timeout(Some(std::time::Duration::from_secs(20)))
        .build();
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| format!("smtp: {e}"))
}

async fn send_webhook(
    out: &Outbound,
    http: &reqwest::Client,
    row: &OutboxRow,
) -> Result<(), String> {
    let Some(url) = &out.webhook_url else {
        return Err("the webhook is not configured on this server".into());
    };
    let mut payload: serde_json::Value =
        serde_json::from_str(&row.body).map_err(|e| format!("payload: {e}"))?;
    payload["account_id"] = serde_json::json!(row.recipient.parse::<i64>().unwrap_or_default());
    if let Some(link) = payload["url"].as_str() {
        payload["url"] = serde_json::json!(link.replace(BASE, &out.public_url));
    }
    let body = payload.to_string();
    let timestamp = now_ms() / 1000;
    let response = http
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Yishi-Timestamp", timestamp.to_string())
        .header(
            "X-Yishi-Signature",
            format!(
                "sha256={}",
                signature(&out.webhook_secret, timestamp, body.as_bytes())
            ),
        )
        .body(body)
        .timeout(std::time::Duration::from_secs(15))
        .send()
        .await
        .map_err(|e| format!("webhook: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("webhook answered {}", response.status()))
    }
}
