//! Notifications: a row for the in-app centre and its live event, plus outbox rows for the
//! outside channels, all in the transaction of the change that caused them. A worker sends the
//! outbox with retries (notify/mod.rs), so a failing channel never blocks the action.

use super::posts::{Container, READING_GROUP};
use super::{events, now_ms, Db, DbResult, Engine};
use sqlx::AnyConnection;
use yishi_api::*;

/// One notification to deliver.
pub struct Notice {
    pub account: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub detail: String,
    pub link: String,
    /// Sent at most once per account and key (scheduled reminders).
    pub dedupe: Option<String>,
}

async fn enabled(
    conn: &mut AnyConnection,
    account: i64,
    kind: NotificationKind,
    channel: Channel,
) -> DbResult<bool> {
    let chosen: Option<i64> = sqlx::query_scalar(
        "SELECT enabled FROM notification_settings WHERE account_id = $1 AND kind = $2 \
         AND channel = $3",
    )
    .bind(account)
    .bind(kind.as_str())
    .bind(channel.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(chosen.map_or_else(|| default_enabled(kind, channel), |e| e != 0))
}

async fn unread(conn: &mut AnyConnection, account: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND in_app = 1 \
         AND read_at IS NULL",
    )
    .bind(account)
    .fetch_one(&mut *conn)
    .await
}

/// Records `n` for its account on every channel the account wants; returns false when a
/// notification with the same dedupe key was already recorded.
pub async fn notify(conn: &mut AnyConnection, engine: Engine, n: Notice) -> DbResult<bool> {
    let active: Option<i64> = sqlx::query_scalar("SELECT active FROM accounts WHERE id = $1")
        .bind(n.account)
        .fetch_optional(&mut *conn)
        .await?;
    if active != Some(1) {
        return Ok(false);
    }
    let in_app = enabled(conn, n.account, n.kind, Channel::InApp).await?;
    let now = now_ms();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO notifications (account_id, kind, title, link, detail, dedupe_key, in_app, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(n.account)
    .bind(n.kind.as_str())
    .bind(&n.title)
    .bind(&n.link)
    .bind(&n.detail)
    .bind(n.dedupe.as_deref())
    .bind(i64::from(in_app))
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else { return Ok(false) };
    let notification = Notification {
        id,
        kind: n.kind,
        title: n.title.clone(),
        detail: n.detail.clone(),
        link: n.link.clone(),
        read: false,
        created_at: now,
    };
    if in_app {
        let unread = unread(conn, n.account).await?;
        events::append(
            conn,
            engine,
            Topic::User(AccountId(n.account)),
            &EventKind::NotificationAdded {
                notification: notification.clone(),
                unread,
            },
        )
        .await?;
    }
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
        .bind(n.account)
        .fetch_one(&mut *conn)
        .await?;
    let configured: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(super::settings::OUTBOUND_CHANNELS)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_default();
    let configured: Vec<&str> = configured.split(',').collect();
    let outside = [
        (Channel::Email, email.filter(|e| !e.is_empty())),
        (Channel::Webhook, Some(n.account.to_string())),
    ];
    for (channel, recipient) in outside {
        let Some(recipient) = recipient else { continue };
        if !configured.contains(&channel.as_str()) {
            continue;
        }
        if !enabled(conn, n.account, n.kind, channel).await? {
            continue;
        }
        let (subject, body) = crate::notify::compose(&notification, channel);
        sqlx::query(
            "INSERT INTO notification_outbox (notification_id, channel, recipient, subject, body, \
                 next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id)
        .bind(channel.as_str())
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// The title of a post's container and the link to a post in it.
pub async fn container_title(conn: &mut AnyConnection, container: Container) -> DbResult<String> {
    let sql = match container.kind {
        "consultation" => "SELECT title FROM consultations WHERE id = $1",
        "micro_consultation" => "SELECT title FROM micro_consultations WHERE id = $1",
        _ => "SELECT name FROM reading_groups WHERE id = $1",
    };
    Ok(sqlx::query_scalar::<_, String>(sql)
        .bind(container.id)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_default())
}

pub fn post_link(container: Container, post: i64, root: Option<i64>) -> String {
    match container.kind {
        "consultation" => format!("/consultations/{}#post-{post}", container.id),
        "micro_consultation" => format!("/micro-consultations/{}#post-{post}", container.id),
        READING_GROUP => format!(
            "/reading-groups/{}/posts/{}",
            container.id,
            root.unwrap_or(post)
        ),
        _ => "/".into(),
    }
}

/// A post became visible: its parent's author hears of the reply or the answer.
pub async fn on_post_published(
    conn: &mut AnyConnection,
    engine: Engine,
    container: Container,
    post: &Post,
) -> DbResult<()> {
    let Some(parent) = post.parent_id else {
        return Ok(());
    };
    let parent_row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT author_id, root_id FROM posts WHERE id = $1")
            .bind(parent)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((parent_author, root)) = parent_row else {
        return Ok(());
    };
    if parent_author == post.author_id.0 {
        return Ok(());
    }
    let kind = if post.kind == PostKind::Answer {
        NotificationKind::QuestionAnswered
    } else {
        NotificationKind::Reply
    };
    let title = container_title(conn, container).await?;
    notify(
        conn,
        engine,
        Notice {
            account: parent_author,
            kind,
            title,
            detail: post.author_name.clone(),
            link: post_link(container, post.id, root.or(Some(parent))),
            dedupe: None,
        },
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    kind: String,
    title: String,
    detail: String,
    link: String,
    read_at: Option<i64>,
    created_at: i64,
}

impl Db {
    /// Newest first; unread count alongside.
    pub async fn notifications(
        &self,
        account: AccountId,
        before_id: Option<i64>,
        limit: u32,
    ) -> DbResult<(Vec<Notification>, bool, i64)> {
        let rows: Vec<NotificationRow> = sqlx::query_as(
            "SELECT id, kind, title, detail, link, read_at, created_at FROM notifications \
             WHERE account_id = $1 AND in_app = 1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(account.0)
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() > limit as usize;
        let items = rows
            .into_iter()
            .take(limit as usize)
            .filter_map(|r| {
                Some(Notification {
                    id: r.id,
                    kind: NotificationKind::parse(&r.kind)?,
                    title: r.title,
                    detail: r.detail,
                    link: r.link,
                    read: r.read_at.is_some(),
                    created_at: r.created_at,
                })
            })
            .collect();
        let mut conn = self.pool.acquire().await?;
        let unread = unread(&mut conn, account.0).await?;
        Ok((items, more, unread))
    }

    /// Marks one (`Some(id)`) or all notifications read; returns the unread count after.
    pub async fn mark_read(&self, account: AccountId, id: Option<i64>) -> DbResult<i64> {
        let mut tx = self.pool.begin().await?;
        let sql = if id.is_some() {
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL \
             AND id = $3"
        } else {
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL \
             AND $3 = 0"
        };
        sqlx::query(sql)
            .bind(now_ms())
            .bind(account.0)
            .bind(id.unwrap_or(0))
            .execute(&mut *tx)
            .await?;
        let unread = unread(&mut tx, account.0).await?;
        events::append(
            &mut tx,
            self.engine,
            Topic::User(account),
            &EventKind::NotificationsRead { unread },
        )
        .await?;
        tx.commit().await?;
        Ok(unread)
    }

    pub async fn notification_settings(
        &self,
        account: AccountId,
    ) -> DbResult<(Vec<ChannelSetting>, Option<String>)> {
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::new();
        for kind in NotificationKind::ALL {
            for channel in Channel::ALL {
                out.push(ChannelSetting {
                    kind: *kind,
                    channel: *channel,
                    enabled: enabled(&mut conn, account.0, *kind, *channel).await?,
                });
            }
        }
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
            .bind(account.0)
            .fetch_one(&mut *conn)
            .await?;
        Ok((out, email))
    }

    pub async fn save_notification_settings(
        &self,
        account: AccountId,
        settings: &[ChannelSetting],
        email: Option<&str>,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        for s in settings {
            sqlx::query(
                "INSERT INTO notification_settings (account_id, kind, channel, enabled) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, kind, channel) \
                 DO UPDATE SET enabled = excluded.enabled",
            )
            .bind(account.0)
            .bind(s.kind.as_str())
            .bind(s.channel.as_str())
            .bind(i64::from(s.enabled))
            .execute(&mut *tx)
            .await?;
        }
        if let Some(email) = email {
            let email = Some(email).filter(|e| !e.is_empty());
            sqlx::query("UPDATE accounts SET email = $1 WHERE id = $2")
                .bind(email)
                .bind(account.0)
                .execute(&mut *tx)
                .await?;
            super::audit::record(
                &mut tx,
                "account.email",
                "account",
                Some(account.0),
                "",
                email.unwrap_or_default(),
            )
            .await?;
        }
        tx.commit().await
    }
}

/// Everyone taking part in a consultation: invited accounts, sectors and committees, and the
/// officials of participating departments (active accounts only).
pub async fn consultation_participants(
    conn: &mut AnyConnection,
    consultation: i64,
) -> DbResult<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT a.id FROM accounts a WHERE a.active = 1 AND (\
             EXISTS (SELECT 1 FROM consultation_invitations i WHERE i.consultation_id = $1 \
                 AND (i.account_id = a.id \
                      OR (i.sector_id IS NOT NULL AND i.sector_id = a.sector_id) \
                      OR (i.committee_id IS NOT NULL AND i.committee_id = a.committee_id))) \
             OR (a.role = 'official' AND a.department_id IN \
                 (SELECT department_id FROM consultation_departments WHERE consultation_id = $1))) \
         ORDER BY a.id",
    )
    .bind(consultation)
    .fetch_all(&mut *conn)
    .await
}

async fn title_of(conn: &mut AnyConnection, sql: &str, id: i64) -> DbResult<String> {
    Ok(sqlx::query_scalar::<_, String>(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_default())
}

/// Tells every participant of a consultation, once per `dedupe` key.
pub async fn notify_participants(
    conn: &mut AnyConnection,
    engine: Engine,
    consultation: i64,
    kind: NotificationKind,
    dedupe: &str,
) -> DbResult<usize> {
    let title = title_of(
        conn,
        "SELECT title FROM consultations WHERE id = $1",
        consultation,
    )
    .await?;
    let mut told = 0;
    for account in consultation_participants(conn, consultation).await? {
        let sent = notify(
            conn,
            engine,
            Notice {
                account,
                kind,
                title: title.clone(),
                detail: String::new(),
                link: format!("/consultations/{consultation}"),
                dedupe: Some(dedupe.to_owned()),
            },
        )
        .await?;
        told += usize::from(sent);
    }
    Ok(told)
}

/// A speech's applicant hears what became of it (accepted, declined, next on the floor).
pub async fn notify_speaker(
    conn: &mut AnyConnection,
    engine: Engine,
    speech: i64,
    kind: NotificationKind,
) -> DbResult<()> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT speaker_id, consultation_id FROM speeches WHERE id = $1")
            .bind(speech)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((speaker, consultation)) = row else {
        return Ok(());
    };
    let title = title_of(
        conn,
        "SELECT title FROM consultations WHERE id = $1",
        consultation,
    )
    .await?;
    notify(
        conn,
        engine,
        Notice {
            account: speaker,
            kind,
            title,
            detail: String::new(),
            link: format!("/consultations/{consultation}"),
            // "Next speaker" once per speech, however often the queue changes.
            dedupe: (kind == NotificationKind::NextSpeaker).then(|| format!("next:{speech}")),
        },
    )
    .await?;
    Ok(())
}

/// The first of the queue is told they speak next (once per speech).
pub async fn notify_next_speaker(
    conn: &mut AnyConnection,
    engine: Engine,
    consultation: i64,
) -> DbResult<()> {
    let head: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM speeches WHERE consultation_id = $1 AND status = 'accepted' \
         ORDER BY position, id LIMIT 1",
    )
    .bind(consultation)
    .fetch_optional(&mut *conn)
    .await?;
    match head {
        Some(speech) => notify_speaker(conn, engine, speech, NotificationKind::NextSpeaker).await,
        None => Ok(()),
    }
}

/// A micro-consultation's member raiser hears of each state change.
pub async fn notify_raiser(
    conn: &mut AnyConnection,
    engine: Engine,
    micro: i64,
    state: &str,
) -> DbResult<()> {
    let row: Option<(Option<i64>, String)> =
        sqlx::query_as("SELECT raised_by, title FROM micro_consultations WHERE id = $1")
            .bind(micro)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((Some(raiser), title)) = row else {
        return Ok(());
    };
    notify(
        conn,
        engine,
        Notice {
            account: raiser,
            kind: NotificationKind::IssueState,
            title,
            detail: state.to_owned(),
            link: format!("/micro-consultations/{micro}"),
            dedupe: None,
        },
    )
    .await?;
    Ok(())
}

/// Every active official of a department.
pub async fn department_officials(conn: &mut AnyConnection, department: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM accounts WHERE role = 'official' AND active = 1 AND department_id = $1 \
         ORDER BY id",
    )
    .bind(department)
    .fetch_all(&mut *conn)
    .await
}

/// Every official of the department hears of an item (assigned, overdue).
pub async fn notify_department(
    conn: &mut AnyConnection,
    engine: Engine,
    department: i64,
    kind: NotificationKind,
    title: &str,
    link: &str,
    dedupe: Option<&str>,
) -> DbResult<()> {
    for account in department_officials(conn, department).await? {
        notify(
            conn,
            engine,
            Notice {
                account,
                kind,
                title: title.to_owned(),
                detail: String::new(),
                link: link.to_owned(),
                dedupe: dedupe.map(str::to_owned),
            },
        )
        .await?;
    }
    Ok(())
}

/// How long before a remote consultation starts its participants are reminded.
pub const STARTING_SOON_MS: i64 = 30 * 60_000;

impl Db {
    /// Reminds participants of remote consultations starting within 30 minutes (once each).
    pub async fn remind_starting_soon(&self, now: i64) -> DbResult<usize> {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT c.id FROM consultations c WHERE c.kind = 'remote' AND c.state = 'published' \
             AND c.starts_at > $1 AND c.starts_at <= $2 AND NOT EXISTS (SELECT 1 FROM notifications n \
                 WHERE n.dedupe_key = 'starting:' || CAST(c.id AS TEXT))",
        )
        .bind(now)
        .bind(now + STARTING_SOON_MS)
        .fetch_all(&self.pool)
        .await?;
        let mut told = 0;
        for id in due {
            let mut tx = self.begin_write().await?;
            told += notify_participants(
                &mut tx,
                self.engine,
                id,
                NotificationKind::StartingSoon,
                &format!("starting:{id}"),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(told)
    }

    /// Tells the lead department of each open item past its due date (once per item).
    pub async fn remind_overdue(&self, today: &str) -> DbResult<usize> {
        let due: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT f.id, f.title, f.lead_department_id FROM follow_ups f \
             WHERE f.state IN ('assigned', 'in_handling', 'returned') AND f.due_date < $1 \
             AND NOT EXISTS (SELECT 1 FROM notifications n \
                 WHERE n.dedupe_key = 'overdue:' || CAST(f.id AS TEXT))",
        )
        .bind(today)
        .fetch_all(&self.pool)
        .await?;
        let count = due.len();
        for (id, title, department) in due {
            let mut tx = self.begin_write().await?;
            notify_department(
                &mut tx,
                self.engine,
                department,
                NotificationKind::Overdue,
                &title,
                &format!("/follow-ups/{id}"),
                Some(&format!("overdue:{id}")),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(count)
    }
}

impl Db {
    /// Records which outside channels this deployment sends on (see `OUTBOUND_CHANNELS`).
    pub async fn set_outbound_channels(&self, channels: &str) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(super::settings::OUTBOUND_CHANNELS)
        .bind(channels)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
