//! Server-side sessions, keyed by the SHA-256 of the cookie token.

use super::{Db, DbResult};
use yishi_api::{AccountId, EventKind, Topic};

/// A live session joined with the facts about its account that every request needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub account_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub active: i64,
    pub role: String,
    pub department_id: Option<i64>,
    pub must_change_password: i64,
}

impl Db {
    pub async fn create_session(
        &self,
        token_hash: &str,
        account: AccountId,
        csrf_token: &str,
        now: i64,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(account.0)
        .bind(csrf_token)
        .bind(now)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    pub async fn session(&self, token_hash: &str) -> DbResult<Option<SessionRow>> {
        sqlx::query_as::<_, SessionRow>(
            "SELECT s.token_hash, s.account_id, s.csrf_token, s.created_at, s.last_seen_at, \
                    a.active, a.role, a.department_id, a.must_change_password \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// Called at most once a minute per session (decisions.md), never on every read.
    pub async fn touch_session(&self, token_hash: &str, now: i64) -> DbResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn delete_session(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Signs an account out everywhere (also when it is deactivated), telling its open tabs
    /// through the event log in the same transaction.
    pub async fn delete_sessions_of(&self, account: AccountId) -> DbResult<u64> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account.0)
            .execute(&mut *tx)
            .await?;
        super::events::append(
            &mut tx,
            self.engine,
            Topic::User(account),
            &EventKind::SessionsEnded,
        )
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Removes sessions past either timeout; run periodically.
    pub async fn purge_sessions(&self, idle_before: i64, created_before: i64) -> DbResult<u64> {
        sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(&self.pool)
            .await
            .map(|r| r.rows_affected())
    }
}

impl Db {
    /// A shared fixed-window counter: counts a hit (when `count`) unless the key is already
    /// at `limit`; `Err(seconds left)` when it is.
    pub async fn rate_limit_hit(
        &self,
        key: &str,
        limit: u32,
        window: std::time::Duration,
        count: bool,
    ) -> DbResult<Result<(), u64>> {
        let now = super::now_ms();
        let window_ms = window.as_millis() as i64;
        let fresh = now - window_ms;
        let (start, hits): (i64, i64) = sqlx::query_as(
            "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 0) \
             ON CONFLICT (key) DO UPDATE SET \
                 hits = CASE WHEN rate_limits.window_start <= $3 THEN 0 ELSE rate_limits.hits END, \
                 window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 \
                     ELSE rate_limits.window_start END \
             RETURNING window_start, hits",
        )
        .bind(key)
        .bind(now)
        .bind(fresh)
        .fetch_one(&self.pool)
        .await?;
        let left = ((start + window_ms - now) / 1000).max(1) as u64;
        if hits >= i64::from(limit) {
            return Ok(Err(left));
        }
        if count {
            // Conditional, so that concurrent hits on several servers never pass the limit.
            let counted = sqlx::query(
                "UPDATE rate_limits SET hits = hits + 1 WHERE key = $1 AND window_start = $2 \
                 AND hits < $3",
            )
            .bind(key)
            .bind(start)
            .bind(i64::from(limit))
            .execute(&self.pool)
            .await?;
            if counted.rows_affected() == 0 {
                return Ok(Err(left));
            }
        }
        Ok(Ok(()))
    }

    pub async fn rate_limit_clear(&self, key: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM rate_limits WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
