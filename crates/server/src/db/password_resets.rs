//! Password recovery by email: a single-use, time-limited token whose SHA-256 is stored; the
//! email goes through the notification outbox (so it is retried like any other).

use super::{audit, now_ms, Db, DbResult};
use yishi_api::{AccountId, PASSWORD_RESET_MINUTES};

/// Whom a reset request reaches.
pub struct ResetTarget {
    pub account: AccountId,
    pub email: String,
}

impl Db {
    /// The active account with this username or phone and an email address, if any.
    pub async fn reset_target(&self, login: &str) -> DbResult<Option<ResetTarget>> {
        let row: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT id, email FROM accounts WHERE (username = $1 OR phone = $1) AND active = 1 \
             ORDER BY id LIMIT 1",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|(id, email)| {
            email.filter(|e| !e.is_empty()).map(|email| ResetTarget {
                account: AccountId(id),
                email,
            })
        }))
    }

    /// Stores the token's hash and queues the email with the link, in one transaction.
    pub async fn start_password_reset(
        &self,
        target: &ResetTarget,
        token_hash: &str,
        subject: &str,
        body: &str,
    ) -> DbResult<()> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, account_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(target.account.0)
        .bind(now + PASSWORD_RESET_MINUTES * 60_000)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO notification_outbox (channel, recipient, subject, body, next_attempt_at, \
                 created_at) VALUES ('email', $1, $2, $3, $4, $4)",
        )
        .bind(&target.email)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            "account.password_reset_requested",
            "account",
            Some(target.account.0),
            "",
            "",
        )
        .await?;
        tx.commit().await
    }

    /// Uses a token once: the account it names if it is unused and not expired.
    pub async fn use_password_reset(&self, token_hash: &str) -> DbResult<Option<AccountId>> {
        let now = now_ms();
        let account: Option<i64> = sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
             AND expires_at > $1 RETURNING account_id",
        )
        .bind(now)
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(account.map(AccountId))
    }
}
