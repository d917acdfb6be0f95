//! The event log: appended in the same transaction as the change it reports, read by streams.

use super::{now_ms, Db, DbResult, Engine};
use yishi_api::{EventKind, LiveEvent, Topic};

/// The PostgreSQL notification channel that tells other instances new events exist.
pub const EVENTS_CHANNEL: &str = "yishi_events";

/// Arbitrary constant naming the PostgreSQL advisory lock that orders event appends.
const EVENT_APPEND_LOCK: i64 = 0x7969_7368_6900;

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    topic: String,
    payload: String,
    created_at: i64,
}

impl EventRow {
    /// `None` (logged) for a payload this build cannot read, e.g. a kind added by a newer
    /// instance during a rolling deploy: one such row must not stop every stream.
    fn into_live(self) -> Option<LiveEvent> {
        match serde_json::from_str(&self.payload) {
            Ok(event) => Some(LiveEvent {
                id: self.id,
                topic: self.topic,
                at: self.created_at,
                event,
            }),
            Err(e) => {
                tracing::warn!(id = self.id, error = %e, "skipping an event this build cannot read");
                None
            }
        }
    }
}

/// Appends an event inside the caller's transaction; it becomes visible when that commits.
/// On PostgreSQL a transaction-scoped lock makes ids visible in commit order, so a stream
/// reading "after id N" can never miss a smaller id committed late.
pub async fn append(
    tx: &mut sqlx::AnyConnection,
    engine: Engine,
    topic: Topic,
    event: &EventKind,
) -> DbResult<i64> {
    let ids = append_many(tx, engine, &[(topic, event)]).await?;
    ids.first().copied().ok_or(sqlx::Error::RowNotFound)
}

/// [`append`] for several events in one statement (the SQLite post writer's batches), logged
/// in the order given; their ids, in that order.
pub async fn append_many(
    tx: &mut sqlx::AnyConnection,
    engine: Engine,
    events: &[(Topic, &EventKind)],
) -> DbResult<Vec<i64>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    if engine == Engine::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(EVENT_APPEND_LOCK)
            .execute(&mut *tx)
            .await?;
        // Delivered at commit to every instance listening: their streams re-read the log.
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(EVENTS_CHANNEL)
            .execute(&mut *tx)
            .await?;
    }
    let sql = format!(
        "INSERT INTO events (topic, payload, created_at) VALUES {} RETURNING id",
        super::value_rows(events.len(), 3)
    );
    let mut insert = sqlx::query_scalar(&sql);
    let now = now_ms();
    for (topic, event) in events {
        let payload = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        insert = insert.bind(topic.to_string()).bind(payload).bind(now);
    }
    let mut ids: Vec<i64> = insert.fetch_all(&mut *tx).await?;
    // Rows of one insert take increasing ids in the order listed; RETURNING may list them in
    // any order.
    ids.sort_unstable();
    Ok(ids)
}

/// Blanks what a post said in the logged events that carried it (its `PostCreated`), so that a
/// stream resuming from an old id cannot replay the text of a post since hidden or removed.
/// Runs in the transaction that hides or removes the post.
pub async fn redact_post(
    tx: &mut sqlx::AnyConnection,
    topic: Topic,
    post_id: i64,
    hidden: bool,
) -> DbResult<()> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, payload FROM events WHERE topic = $1 AND payload LIKE $2")
            .bind(topic.to_string())
            .bind(format!("%\"kind\":\"post_created\"%\"id\":{post_id},%"))
            .fetch_all(&mut *tx)
            .await?;
    for (id, payload) in rows {
        let Ok(EventKind::PostCreated { mut post }) = serde_json::from_str::<EventKind>(&payload)
        else {
            continue;
        };
        if post.id != post_id {
            continue;
        }
        post.body_html.clear();
        post.quote = None;
        if hidden {
            post.hidden = true;
        } else {
            post.deleted = true;
        }
        let payload = serde_json::to_string(&EventKind::PostCreated { post })
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query("UPDATE events SET payload = $1 WHERE id = $2")
            .bind(payload)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

impl Db {
    /// Events on any of `topics` with id greater than `after`, oldest first.
    pub async fn events_after(
        &self,
        topics: &[Topic],
        after: i64,
        limit: i64,
    ) -> DbResult<Vec<LiveEvent>> {
        if topics.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, topic, payload, created_at FROM events \
             WHERE id > $1 AND topic IN ({}) ORDER BY id LIMIT $2",
            super::params(3, topics.len())
        );
        let mut query = sqlx::query_as::<_, EventRow>(&sql).bind(after).bind(limit);
        for t in topics {
            query = query.bind(t.to_string());
        }
        let rows = query.fetch_all(&self.pool).await?;
        Ok(rows.into_iter().filter_map(EventRow::into_live).collect())
    }

    /// Events on every topic with id greater than `after`, oldest first: what the process's
    /// one reader of the log hands to all its streams.
    /// Also returns the last id read, readable or not, so the reader moves past bad rows.
    pub async fn events_since(
        &self,
        after: i64,
        limit: i64,
    ) -> DbResult<(Vec<LiveEvent>, Option<i64>)> {
        let rows = sqlx::query_as::<_, EventRow>(
            "SELECT id, topic, payload, created_at FROM events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let last = rows.last().map(|r| r.id);
        Ok((
            rows.into_iter().filter_map(EventRow::into_live).collect(),
            last,
        ))
    }

    /// The newest event id (0 when the log is empty): where a fresh stream starts.
    pub async fn last_event_id(&self) -> DbResult<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events")
            .fetch_one(&self.pool)
            .await
    }
}
