//! Moderation storage: holding posts for approval, reports and the queue, hiding and
//! restoring, the sensitive-word list, pre-moderation switches, suspensions. Every decision
//! writes its audit row in the same transaction.

use super::notifications::{container_title, notify, post_link, Notice};
use super::posts::{post_by_id, publish, unpublish, Container, PostRef};
use super::{audit, now_ms, Db, DbResult};
use sqlx::AnyConnection;
use yishi_api::*;

/// The table holding a container kind's pre-moderation switch.
fn container_table(kind: &str) -> Option<&'static str> {
    match kind {
        "consultation" => Some("consultations"),
        "micro_consultation" => Some("micro_consultations"),
        super::posts::READING_GROUP => Some("reading_groups"),
        _ => None,
    }
}

/// Listed words found in `text` (case-insensitive).
async fn listed_words_in(conn: &mut AnyConnection, text: &str) -> DbResult<Vec<String>> {
    let words: Vec<String> = sqlx::query_scalar("SELECT word FROM sensitive_words ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let lower = text.to_lowercase();
    Ok(words
        .into_iter()
        .filter(|w| lower.contains(&w.to_lowercase()))
        .collect())
}

/// Why a new post must wait for a moderator, if it must. Staff are never held.
pub async fn hold_reason(
    conn: &mut AnyConnection,
    container: Container,
    author: AccountId,
    body: &str,
) -> DbResult<Option<QueueReason>> {
    Ok(new_post_facts(conn, container, author, body).await?.hold)
}

/// What a new post's write needs to know first, read in two round trips (the account, the
/// container's switch and the time zone in one; the listed words in the other when they
/// apply): every statement is a hop to a SQLite connection's own thread, and members posting
/// at once spend more on hops than on SQL.
pub(crate) async fn new_post_facts(
    conn: &mut AnyConnection,
    container: Container,
    author: AccountId,
    body: &str,
) -> DbResult<super::posts::Decided> {
    let table = container_table(container.kind);
    let premoderated = match table {
        Some(table) => format!("(SELECT premoderated FROM {table} WHERE id = $3)"),
        None => "CAST(NULL AS BIGINT)".to_owned(),
    };
    let sql = format!(
        "SELECT a.role, a.display_name, \
             (SELECT value FROM settings WHERE key = $2), {premoderated} \
         FROM accounts a WHERE a.id = $1"
    );
    let mut facts = sqlx::query_as(&sql)
        .bind(author.0)
        .bind(super::settings::TIME_ZONE);
    if table.is_some() {
        facts = facts.bind(container.id);
    }
    let (role, name, zone, premoderated): (String, String, Option<String>, Option<i64>) =
        facts.fetch_one(&mut *conn).await?;
    let hold = if role == "admin" {
        None
    } else if !listed_words_in(conn, body).await?.is_empty() {
        Some(QueueReason::SensitiveWord)
    } else {
        (premoderated == Some(1)).then_some(QueueReason::Premoderation)
    };
    Ok(super::posts::Decided {
        hold,
        name,
        zone: super::duty::parse_zone(zone),
    })
}

#[derive(sqlx::FromRow)]
struct HeldRow {
    id: i64,
    container_kind: String,
    container_id: i64,
    author_id: i64,
    author_name: String,
    body_md: String,
    body_html: String,
    root_id: Option<i64>,
    created_at: i64,
    pending_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    pending: i64,
    hidden_reason: Option<String>,
    deleted_at: Option<i64>,
}

/// Outcome of a moderation step on a post.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Done(ModerationState),
    NoSuchPost,
    /// The post is not in a state this step applies to (already hidden, not pending, …).
    NotApplicable,
}

async fn post_state(conn: &mut AnyConnection, post: i64) -> DbResult<Option<StateRow>> {
    sqlx::query_as("SELECT pending, hidden_reason, deleted_at FROM posts WHERE id = $1")
        .bind(post)
        .fetch_optional(&mut *conn)
        .await
}

async fn resolve_reports(
    conn: &mut AnyConnection,
    post: i64,
    resolution: &str,
    by: AccountId,
) -> DbResult<u64> {
    Ok(sqlx::query(
        "UPDATE post_reports SET resolved_at = $1, resolution = $2, resolved_by = $3 \
         WHERE post_id = $4 AND resolved_at IS NULL",
    )
    .bind(now_ms())
    .bind(resolution)
    .bind(by.0)
    .bind(post)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

async fn state_of(conn: &mut AnyConnection, post: i64) -> DbResult<ModerationState> {
    let s = post_state(conn, post).await?.unwrap_or(StateRow {
        pending: 0,
        hidden_reason: None,
        deleted_at: None,
    });
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM post_reports WHERE post_id = $1 AND resolved_at IS NULL",
    )
    .bind(post)
    .fetch_one(&mut *conn)
    .await?;
    Ok(ModerationState {
        post_id: post,
        pending: s.pending != 0,
        hidden_reason: s.hidden_reason,
        open_reports: open,
    })
}

async fn post_ref_any(conn: &mut AnyConnection, post: i64) -> DbResult<Option<PostRef>> {
    sqlx::query_as::<_, PostRef>(
        "SELECT id, container_kind, container_id, kind, parent_id, author_id, depth, root_id, \
             created_at FROM posts WHERE id = $1",
    )
    .bind(post)
    .fetch_optional(&mut *conn)
    .await
}

/// The post's reference and container, for a step that applies (`None`: no such post).
async fn target(conn: &mut AnyConnection, post: i64) -> DbResult<Option<(PostRef, Container)>> {
    let Some(r) = post_ref_any(conn, post).await? else {
        return Ok(None);
    };
    Ok(Container::of(&r.container_kind, r.container_id).map(|c| (r, c)))
}

fn excerpt(md: &str) -> String {
    crate::markdown::plain_text(md).chars().take(200).collect()
}

impl Db {
    /// Files a report; `Ok(false)` when this reporter already has an open one on the post.
    pub async fn report_post(
        &self,
        post: &PostRef,
        reporter: AccountId,
        reason: &str,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        // One open report per reporter and post, even when two arrive at once.
        let filed = sqlx::query(
            "INSERT INTO post_reports (post_id, reporter_id, reason, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (post_id, reporter_id) WHERE resolved_at IS NULL DO NOTHING",
        )
        .bind(post.id)
        .bind(reporter.0)
        .bind(reason)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if filed.rows_affected() == 0 {
            return Ok(false);
        }
        audit::record(&mut tx, "post.report", "post", Some(post.id), "", reason).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Posts waiting for a moderator: pending ones and those with open reports, oldest first.
    pub async fn moderation_queue(&self, limit: i64) -> DbResult<Vec<QueueItem>> {
        self.queue_items(None, limit).await
    }

    /// The account's own posts waiting for a moderator (what they wrote, why it waits; not
    /// who reported what).
    pub async fn own_pending_posts(
        &self,
        author: AccountId,
        limit: i64,
    ) -> DbResult<Vec<QueueItem>> {
        self.queue_items(Some(author), limit).await
    }

    async fn queue_items(&self, author: Option<AccountId>, limit: i64) -> DbResult<Vec<QueueItem>> {
        let mut conn = self.pool.acquire().await?;
        let which = match author {
            None => {
                "(p.pending = 1 OR p.id IN (SELECT post_id FROM post_reports \
                     WHERE resolved_at IS NULL))"
            }
            Some(_) => "p.pending = 1 AND p.author_id = $2",
        };
        let sql = format!(
            "SELECT p.id, p.container_kind, p.container_id, p.author_id, \
                 a.display_name AS author_name, p.body_md, p.body_html, p.root_id, p.created_at, \
                 p.pending_reason \
             FROM posts p JOIN accounts a ON a.id = p.author_id \
             WHERE p.deleted_at IS NULL AND p.hidden_reason IS NULL AND {which} \
             ORDER BY p.id LIMIT $1"
        );
        let mut query = sqlx::query_as::<_, HeldRow>(&sql).bind(limit);
        if let Some(a) = author {
            query = query.bind(a.0);
        }
        let held = query.fetch_all(&mut *conn).await?;
        let mut items = Vec::with_capacity(held.len());
        for h in held {
            let Some(container) = Container::of(&h.container_kind, h.container_id) else {
                continue;
            };
            let reports: Vec<(String, String, i64)> = if author.is_some() {
                Vec::new()
            } else {
                sqlx::query_as(
                    "SELECT a.display_name, r.reason, r.created_at FROM post_reports r \
                 JOIN accounts a ON a.id = r.reporter_id \
                 WHERE r.post_id = $1 AND r.resolved_at IS NULL ORDER BY r.id",
                )
                .bind(h.id)
                .fetch_all(&mut *conn)
                .await?
            };
            let reason = match h.pending_reason.as_deref() {
                Some("sensitive_word") => QueueReason::SensitiveWord,
                Some(_) => QueueReason::Premoderation,
                None => QueueReason::Reported,
            };
            let words = if reason == QueueReason::SensitiveWord && author.is_none() {
                listed_words_in(&mut conn, &h.body_md).await?
            } else {
                Vec::new()
            };
            items.push(QueueItem {
                post_id: h.id,
                reason,
                author_id: AccountId(h.author_id),
                author_name: h.author_name,
                body_html: h.body_html,
                container_title: container_title(&mut conn, container).await?,
                link: post_link(container, h.id, h.root_id),
                created_at: h.created_at,
                reports: reports
                    .into_iter()
                    .map(|(reporter_name, reason, created_at)| ReportEntry {
                        reporter_name,
                        reason,
                        created_at,
                    })
                    .collect(),
                words,
            });
        }
        Ok(items)
    }

    /// Hides a visible or pending post with a reason the author is told; open reports close.
    pub async fn hide_post(&self, post: i64, by: AccountId, reason: &str) -> DbResult<Decision> {
        let mut tx = self.begin_write().await?;
        let Some(s) = post_state(&mut tx, post).await? else {
            return Ok(Decision::NoSuchPost);
        };
        if s.hidden_reason.is_some() || s.deleted_at.is_some() {
            return Ok(Decision::NotApplicable);
        }
        let Some((r, container)) = target(&mut tx, post).await? else {
            return Ok(Decision::NoSuchPost);
        };
        // Conditional on the state read above: of two moderators acting at once, one wins and
        // the other is told the post changed. A held post stays held underneath (restoring it
        // puts it back in the queue, it was never approved).
        let changed = sqlx::query(
            "UPDATE posts SET hidden_reason = $1, hidden_by = $2, featured = 0 \
             WHERE id = $3 AND hidden_reason IS NULL AND deleted_at IS NULL AND pending = $4",
        )
        .bind(reason)
        .bind(by.0)
        .bind(post)
        .bind(s.pending)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            return Ok(Decision::NotApplicable);
        }
        if s.pending == 0 {
            unpublish(&mut tx, &r.container_kind, r.container_id, &r).await?;
        }
        super::events::redact_post(&mut tx, container.topic, post, true).await?;
        resolve_reports(&mut tx, post, "hidden", by).await?;
        let body: String = sqlx::query_scalar("SELECT body_md FROM posts WHERE id = $1")
            .bind(post)
            .fetch_one(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            "post.hide",
            "post",
            Some(post),
            &excerpt(&body),
            reason,
        )
        .await?;
        let title = container_title(&mut tx, container).await?;
        notify(
            &mut tx,
            self.engine,
            Notice {
                account: r.author_id,
                kind: NotificationKind::PostHidden,
                title,
                detail: reason.to_owned(),
                link: post_link(container, post, r.root_id),
                dedupe: None,
            },
        )
        .await?;
        super::events::append(
            &mut tx,
            self.engine,
            container.topic,
            &EventKind::PostHidden { post_id: post },
        )
        .await?;
        let state = state_of(&mut tx, post).await?;
        tx.commit().await?;
        Ok(Decision::Done(state))
    }

    /// Shows a hidden post again.
    pub async fn restore_post(&self, post: i64, by: AccountId) -> DbResult<Decision> {
        let mut tx = self.begin_write().await?;
        let Some(s) = post_state(&mut tx, post).await? else {
            return Ok(Decision::NoSuchPost);
        };
        let Some(before) = s.hidden_reason.filter(|_| s.deleted_at.is_none()) else {
            return Ok(Decision::NotApplicable);
        };
        let Some((_, container)) = target(&mut tx, post).await? else {
            return Ok(Decision::NoSuchPost);
        };
        let changed = sqlx::query(
            "UPDATE posts SET hidden_reason = NULL, hidden_by = NULL \
             WHERE id = $1 AND hidden_reason IS NOT NULL AND deleted_at IS NULL AND pending = $2",
        )
        .bind(post)
        .bind(s.pending)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            return Ok(Decision::NotApplicable);
        }
        resolve_reports(&mut tx, post, "restored", by).await?;
        // A post hidden while it was held goes back to the queue; a visible one shows again
        // (its people were told when it first appeared, not again now).
        if s.pending == 0 {
            publish(&mut tx, self.engine, container, post, false).await?;
        }
        audit::record(&mut tx, "post.restore", "post", Some(post), &before, "").await?;
        let state = state_of(&mut tx, post).await?;
        tx.commit().await?;
        Ok(Decision::Done(state))
    }

    /// Publishes a pending post.
    pub async fn approve_post(&self, post: i64) -> DbResult<Decision> {
        let mut tx = self.begin_write().await?;
        let Some(s) = post_state(&mut tx, post).await? else {
            return Ok(Decision::NoSuchPost);
        };
        if s.pending == 0 || s.hidden_reason.is_some() || s.deleted_at.is_some() {
            return Ok(Decision::NotApplicable);
        }
        let Some((r, container)) = target(&mut tx, post).await? else {
            return Ok(Decision::NoSuchPost);
        };
        let changed = sqlx::query(
            "UPDATE posts SET pending = 0 WHERE id = $1 AND pending = 1 \
             AND hidden_reason IS NULL AND deleted_at IS NULL",
        )
        .bind(post)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            return Ok(Decision::NotApplicable);
        }
        let published = publish(&mut tx, self.engine, container, post, true).await?;
        audit::record(
            &mut tx,
            "post.approve",
            "post",
            Some(post),
            "pending",
            "visible",
        )
        .await?;
        let title = container_title(&mut tx, container).await?;
        notify(
            &mut tx,
            self.engine,
            Notice {
                account: published.author_id.0,
                kind: NotificationKind::PostApproved,
                title,
                detail: String::new(),
                link: post_link(container, post, r.root_id),
                dedupe: None,
            },
        )
        .await?;
        let state = state_of(&mut tx, post).await?;
        tx.commit().await?;
        Ok(Decision::Done(state))
    }

    /// Closes the open reports of a post without acting on it.
    pub async fn dismiss_reports(&self, post: i64, by: AccountId) -> DbResult<Decision> {
        let mut tx = self.begin_write().await?;
        if post_state(&mut tx, post).await?.is_none() {
            return Ok(Decision::NoSuchPost);
        }
        let closed = resolve_reports(&mut tx, post, "dismissed", by).await?;
        if closed == 0 {
            return Ok(Decision::NotApplicable);
        }
        audit::record(
            &mut tx,
            "post.dismiss_reports",
            "post",
            Some(post),
            &closed.to_string(),
            "0",
        )
        .await?;
        let state = state_of(&mut tx, post).await?;
        tx.commit().await?;
        Ok(Decision::Done(state))
    }

    /// The author's own post as they see it (pending or hidden included).
    pub async fn own_post(&self, post: i64) -> DbResult<Option<Post>> {
        let mut conn = self.pool.acquire().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM posts WHERE id = $1")
            .bind(post)
            .fetch_optional(&mut *conn)
            .await?;
        match exists {
            Some(_) => post_by_id(&mut conn, post).await.map(Some),
            None => Ok(None),
        }
    }

    pub async fn sensitive_words(&self) -> DbResult<Vec<SensitiveWord>> {
        let rows: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT id, word, created_at FROM sensitive_words ORDER BY word")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, word, created_at)| SensitiveWord {
                id,
                word,
                created_at,
            })
            .collect())
    }

    /// Adds a word; `Ok(None)` when it is already listed.
    pub async fn add_sensitive_word(&self, word: &str, by: AccountId) -> DbResult<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO sensitive_words (word, created_by, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (word) DO NOTHING RETURNING id",
        )
        .bind(word)
        .bind(by.0)
        .bind(now_ms())
        .fetch_optional(&mut *tx)
        .await?;
        if id.is_some() {
            audit::record(
                &mut tx,
                "sensitive_word.add",
                "sensitive_word",
                id,
                "",
                word,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn remove_sensitive_word(&self, id: i64) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let word: Option<String> =
            sqlx::query_scalar("SELECT word FROM sensitive_words WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(word) = word else { return Ok(false) };
        sqlx::query("DELETE FROM sensitive_words WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            "sensitive_word.remove",
            "sensitive_word",
            Some(id),
            &word,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The pre-moderation switch of a container; `None` when it does not exist.
    pub async fn premoderated(&self, kind: &str, id: i64) -> DbResult<Option<bool>> {
        let Some(table) = container_table(kind) else {
            return Ok(None);
        };
        let v: Option<i64> =
            sqlx::query_scalar(&format!("SELECT premoderated FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.map(|v| v != 0))
    }

    pub async fn set_premoderated(&self, kind: &str, id: i64, on: bool) -> DbResult<bool> {
        let Some(table) = container_table(kind) else {
            return Ok(false);
        };
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(&format!(
            "UPDATE {table} SET premoderated = $1 WHERE id = $2"
        ))
        .bind(i64::from(on))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit::record(
            &mut tx,
            "container.premoderation",
            kind,
            Some(id),
            if on { "off" } else { "on" },
            if on { "on" } else { "off" },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Suspends (`Some`) or lifts (`None`) an account's suspension from posting.
    pub async fn set_suspension(
        &self,
        account: AccountId,
        s: Option<&Suspension>,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let before: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT suspended_until, suspension_reason FROM accounts WHERE id = $1")
                .bind(account.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((until, reason)) = before else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE accounts SET suspended_until = $1, suspension_reason = $2 WHERE id = $3",
        )
        .bind(s.map(|s| s.until))
        .bind(s.map(|s| s.reason.as_str()))
        .bind(account.0)
        .execute(&mut *tx)
        .await?;
        let describe = |until: Option<i64>, reason: Option<&str>| match (until, reason) {
            (Some(u), Some(r)) => format!("until {u}: {r}"),
            _ => String::new(),
        };
        audit::record(
            &mut tx,
            if s.is_some() {
                "account.suspend"
            } else {
                "account.unsuspend"
            },
            "account",
            Some(account.0),
            &describe(until, reason.as_deref()),
            &describe(s.map(|s| s.until), s.map(|s| s.reason.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The account's suspension in force now, if any.
    pub async fn suspension(&self, account: AccountId) -> DbResult<Option<Suspension>> {
        let row: Option<(Option<i64>, Option<String>)> =
            sqlx::query_as("SELECT suspended_until, suspension_reason FROM accounts WHERE id = $1")
                .bind(account.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some((Some(until), Some(reason))) if until > now_ms() => {
                Some(Suspension { until, reason })
            }
            _ => None,
        })
    }
}
