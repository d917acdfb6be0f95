//! Site settings as key/value rows.

use super::{Db, DbResult};

pub const COMMITTEE_NAME: &str = "committee_name";
pub const FOOTER_TEXT: &str = "footer_text";
pub const TIME_ZONE: &str = "time_zone";
/// The outside notification channels this deployment can send on (`email`, `webhook`,
/// comma-separated), written at start-up from the configuration so that notifications are
/// only queued for channels that will be sent. Not shown or edited in the app.
pub const OUTBOUND_CHANNELS: &str = "outbound_channels";

impl Db {
    pub async fn setting(&self, key: &str) -> DbResult<Option<String>> {
        sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
    }

    /// The committee's time zone (decisions.md); Asia/Shanghai when unset or unknown.
    pub async fn time_zone(&self) -> DbResult<chrono_tz::Tz> {
        Ok(self
            .setting(TIME_ZONE)
            .await?
            .and_then(|z| z.parse().ok())
            .unwrap_or(chrono_tz::Asia::Shanghai))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        // `ON CONFLICT … excluded` is understood by both engines.
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        super::audit::record(&mut tx, "setting.set", "setting", None, key, value).await?;
        tx.commit().await
    }
}
