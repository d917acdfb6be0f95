//! Calendar exceptions: holidays and make-up working days.

use super::{Db, DbResult};
use crate::domain::calendar::{parse_date, Calendar};
use yishi_api::{CalendarDay, DayKind};

impl Db {
    /// The whole calendar (a few dozen rows a year), for working-day rules.
    pub async fn calendar(&self) -> DbResult<Calendar> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT day, kind FROM calendar_days")
            .fetch_all(&self.pool)
            .await?;
        Ok(Calendar::new(rows.into_iter().filter_map(|(day, kind)| {
            Some((parse_date(&day)?, DayKind::parse(&kind)?))
        })))
    }

    /// The exceptions of one year, in date order.
    pub async fn calendar_days(&self, year: i32) -> DbResult<Vec<CalendarDay>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT day, kind, name FROM calendar_days WHERE day >= $1 AND day < $2 ORDER BY day",
        )
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{:04}-01-01", year + 1))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(date, kind, name)| {
                Ok(CalendarDay {
                    date,
                    kind: DayKind::parse(&kind)
                        .ok_or_else(|| sqlx::Error::Decode("unknown day kind".into()))?,
                    name,
                })
            })
            .collect()
    }

    /// Adds or replaces the exception for one date.
    pub async fn set_calendar_day(&self, day: &CalendarDay) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) \
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
        )
        .bind(&day.date)
        .bind(day.kind.as_str())
        .bind(&day.name)
        .execute(&mut *tx)
        .await?;
        super::audit::record(
            &mut tx,
            "calendar.set",
            "calendar_day",
            None,
            &day.date,
            day.kind.as_str(),
        )
        .await?;
        tx.commit().await
    }

    /// `false` when the date had no exception.
    pub async fn delete_calendar_day(&self, day: &str) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM calendar_days WHERE day = $1")
            .bind(day)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() > 0 {
            super::audit::record(&mut tx, "calendar.delete", "calendar_day", None, day, "").await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}
