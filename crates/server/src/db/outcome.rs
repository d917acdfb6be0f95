//! Attendance, minutes and recommendations of a consultation.

use super::{events, now_ms, Db, DbResult};
use yishi_api::*;

#[derive(sqlx::FromRow)]
struct MinutesRow {
    body_md: String,
    body_html: String,
    published_at: Option<i64>,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct RecommendationRow {
    id: i64,
    number: i64,
    text: String,
    department_id: i64,
    department_name: String,
    follow_up_id: Option<i64>,
    follow_up_state: Option<String>,
}

fn source_str(s: AttendanceSource) -> &'static str {
    match s {
        AttendanceSource::Online => "online",
        AttendanceSource::Speaker => "speaker",
        AttendanceSource::Venue => "venue",
    }
}

fn parse_source(s: &str) -> Option<AttendanceSource> {
    match s {
        "online" => Some(AttendanceSource::Online),
        "speaker" => Some(AttendanceSource::Speaker),
        "venue" => Some(AttendanceSource::Venue),
        _ => None,
    }
}

/// Records attendance inside a transaction (the first source is kept).
pub async fn record_attendance_in(
    conn: &mut sqlx::AnyConnection,
    consultation: i64,
    account: i64,
    source: AttendanceSource,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO consultation_attendance (consultation_id, account_id, source, at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(consultation)
    .bind(account)
    .bind(source_str(source))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    // Taking part in a consultation scores once, however the member attended.
    super::duty::award(
        conn,
        super::duty::now_award(
            account,
            DutySource::ConsultationJoined,
            "consultation",
            consultation,
        ),
    )
    .await
}

/// Whether the consultation is still concluded, checked by touching the row that publishing
/// the outcome changes: recommendations are then never added or removed after their items
/// were created (the two writes cannot interleave).
async fn claim_concluded(tx: &mut sqlx::AnyConnection, consultation: i64) -> DbResult<bool> {
    let open = sqlx::query(
        "UPDATE consultations SET updated_at = $1 WHERE id = $2 AND state = 'concluded'",
    )
    .bind(now_ms())
    .bind(consultation)
    .execute(tx)
    .await?;
    Ok(open.rows_affected() == 1)
}

impl Db {
    pub async fn record_attendance(
        &self,
        consultation: i64,
        account: AccountId,
        source: AttendanceSource,
    ) -> DbResult<()> {
        // One transaction: the attendance row and its point go together, once.
        let mut tx = self.pool.begin().await?;
        record_attendance_in(&mut tx, consultation, account.0, source).await?;
        tx.commit().await
    }

    /// Ticks (or unticks) venue attendance; online and speaker records stay.
    pub async fn mark_venue_attendance(
        &self,
        consultation: i64,
        account: AccountId,
        present: bool,
    ) -> DbResult<()> {
        if present {
            self.record_attendance(consultation, account, AttendanceSource::Venue)
                .await
        } else {
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "DELETE FROM consultation_attendance WHERE consultation_id = $1 AND account_id = $2 \
                 AND source = 'venue'",
            )
            .bind(consultation)
            .bind(account.0)
            .execute(&mut *tx)
            .await?;
            // A corrected roll: without any attendance left, the points go too.
            let left: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM consultation_attendance WHERE consultation_id = $1 \
                 AND account_id = $2",
            )
            .bind(consultation)
            .bind(account.0)
            .fetch_one(&mut *tx)
            .await?;
            if left == 0 {
                super::duty::reverse(
                    &mut tx,
                    super::duty::now_award(
                        account.0,
                        DutySource::ConsultationJoined,
                        "consultation",
                        consultation,
                    ),
                )
                .await?;
            }
            tx.commit().await
        }
    }

    pub async fn attendance(&self, consultation: i64) -> DbResult<Vec<Attendee>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT t.account_id, a.display_name, t.source FROM consultation_attendance t \
             JOIN accounts a ON a.id = t.account_id WHERE t.consultation_id = $1 ORDER BY t.at, t.account_id",
        )
        .bind(consultation)
        .fetch_all(&self.pool)
        .await?;
        // One line per person, with the way they were first recorded (the roll has them all).
        let mut seen = std::collections::HashSet::new();
        rows.into_iter()
            .filter(|(id, _, _)| seen.insert(*id))
            .map(|(id, name, source)| {
                Ok(Attendee {
                    account_id: AccountId(id),
                    name,
                    source: parse_source(&source)
                        .ok_or_else(|| sqlx::Error::Decode("unknown source".into()))?,
                })
            })
            .collect()
    }

    /// The roll call: active invited members, then anyone else recorded as attending, each
    /// with the ways they attended. Sorted by sector, then account.
    pub async fn roll(&self, consultation: i64) -> DbResult<Vec<RollEntry>> {
        let invited: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT a.id, a.display_name, s.name FROM accounts a \
             LEFT JOIN sectors s ON s.id = a.sector_id \
             WHERE a.active = 1 AND a.role = 'member' AND EXISTS ( \
                 SELECT 1 FROM consultation_invitations i WHERE i.consultation_id = $1 \
                 AND (i.account_id = a.id \
                      OR (i.sector_id IS NOT NULL AND i.sector_id = a.sector_id) \
                      OR (i.committee_id IS NOT NULL AND i.committee_id = a.committee_id))) \
             ORDER BY a.sector_id IS NULL, a.sector_id, a.id",
        )
        .bind(consultation)
        .fetch_all(&self.pool)
        .await?;
        let attended: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
            "SELECT a.id, a.display_name, s.name, t.source FROM consultation_attendance t \
             JOIN accounts a ON a.id = t.account_id LEFT JOIN sectors s ON s.id = a.sector_id \
             WHERE t.consultation_id = $1 ORDER BY a.sector_id IS NULL, a.sector_id, a.id, t.source",
        )
        .bind(consultation)
        .fetch_all(&self.pool)
        .await?;
        let mut roll: Vec<RollEntry> = invited
            .into_iter()
            .map(|(id, name, sector_name)| RollEntry {
                account_id: AccountId(id),
                name,
                sector_name,
                invited: true,
                sources: Vec::new(),
            })
            .collect();
        let mut index: std::collections::HashMap<i64, usize> = roll
            .iter()
            .enumerate()
            .map(|(n, e)| (e.account_id.0, n))
            .collect();
        for (id, name, sector_name, source) in attended {
            let source = parse_source(&source)
                .ok_or_else(|| sqlx::Error::Decode("unknown source".into()))?;
            let n = *index.entry(id).or_insert_with(|| {
                roll.push(RollEntry {
                    account_id: AccountId(id),
                    name,
                    sector_name,
                    invited: false,
                    sources: Vec::new(),
                });
                roll.len() - 1
            });
            roll[n].sources.push(source);
        }
        Ok(roll)
    }

    pub async fn minutes(&self, consultation: i64) -> DbResult<Option<Minutes>> {
        let row = sqlx::query_as::<_, MinutesRow>(
            "SELECT body_md, body_html, published_at, updated_at FROM consultation_minutes \
             WHERE consultation_id = $1",
        )
        .bind(consultation)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| Minutes {
            body: r.body_md,
            body_html: r.body_html,
            published_at: r.published_at,
            updated_at: r.updated_at,
        }))
    }

    /// Saves the minutes' text; published minutes stay published (and the room is told).
    pub async fn save_minutes(
        &self,
        consultation: i64,
        md: &str,
        html: &str,
        by: AccountId,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        let published: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT published_at FROM consultation_minutes WHERE consultation_id = $1",
        )
        .bind(consultation)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO consultation_minutes (consultation_id, body_md, body_html, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consultation_id) DO UPDATE SET \
             body_md = excluded.body_md, body_html = excluded.body_html, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(consultation)
        .bind(md)
        .bind(html)
        .bind(by.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if published.flatten().is_some() {
            events::append(
                &mut tx,
                self.engine,
                Topic::Consultation(consultation),
                &EventKind::OutcomeChanged,
            )
            .await?;
        }
        super::audit::record(
            &mut tx,
            "minutes.save",
            "consultation",
            Some(consultation),
            "",
            &md.chars().take(200).collect::<String>(),
        )
        .await?;
        tx.commit().await
    }

    /// Publishes saved minutes; `false` when there are none.
    pub async fn publish_minutes(&self, consultation: i64) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE consultation_minutes SET published_at = $1 WHERE consultation_id = $2",
        )
        .bind(now_ms())
        .bind(consultation)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        events::append(
            &mut tx,
            self.engine,
            Topic::Consultation(consultation),
            &EventKind::OutcomeChanged,
        )
        .await?;
        super::audit::record(
            &mut tx,
            "minutes.publish",
            "consultation",
            Some(consultation),
            "draft",
            "published",
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn recommendations(&self, consultation: i64) -> DbResult<Vec<Recommendation>> {
        let rows = sqlx::query_as::<_, RecommendationRow>(
            "SELECT r.id, r.number, r.text, r.department_id, d.name AS department_name, \
                 f.id AS follow_up_id, f.state AS follow_up_state \
             FROM recommendations r JOIN departments d ON d.id = r.department_id \
             LEFT JOIN follow_ups f ON f.source_kind = 'recommendation' AND f.source_id = r.id \
             WHERE r.consultation_id = $1 ORDER BY r.number",
        )
        .bind(consultation)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Recommendation {
                id: r.id,
                number: r.number,
                text: r.text,
                department_id: DepartmentId(r.department_id),
                department_name: r.department_name,
                follow_up_id: r.follow_up_id,
                follow_up_state: r.follow_up_state.as_deref().and_then(FollowUpState::parse),
            })
            .collect())
    }

    /// Adds a recommendation with the next number; `false` when the consultation is no longer
    /// between its meeting and its outcome.
    pub async fn add_recommendation(
        &self,
        consultation: i64,
        text: &str,
        department: DepartmentId,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        if !claim_concluded(&mut tx, consultation).await? {
            return Ok(false);
        }
        let next: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM recommendations WHERE consultation_id = $1",
        )
        .bind(consultation)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO recommendations (consultation_id, number, text, department_id, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(consultation)
        .bind(next)
        .bind(text)
        .bind(department.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        events::append(
            &mut tx,
            self.engine,
            Topic::Consultation(consultation),
            &EventKind::OutcomeChanged,
        )
        .await?;
        super::audit::record(
            &mut tx,
            "recommendation.add",
            "consultation",
            Some(consultation),
            "",
            text,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The consultation a recommendation belongs to.
    pub async fn recommendation_consultation(&self, id: i64) -> DbResult<Option<i64>> {
        sqlx::query_scalar("SELECT consultation_id FROM recommendations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Removes a recommendation and closes the gap in the numbering.
    /// `false` when the consultation is no longer between its meeting and its outcome.
    pub async fn delete_recommendation(&self, id: i64, consultation: i64) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        if !claim_concluded(&mut tx, consultation).await? {
            return Ok(false);
        }
        let number: i64 = sqlx::query_scalar("SELECT number FROM recommendations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM recommendations WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Two steps so that the UNIQUE (consultation, number) constraint never sees a clash.
        sqlx::query("UPDATE recommendations SET number = -number WHERE consultation_id = $1 AND number > $2")
            .bind(consultation)
            .bind(number)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE recommendations SET number = -number - 1 WHERE consultation_id = $1 AND number < 0")
            .bind(consultation)
            .execute(&mut *tx)
            .await?;
        events::append(
            &mut tx,
            self.engine,
            Topic::Consultation(consultation),
            &EventKind::OutcomeChanged,
        )
        .await?;
        super::audit::record(
            &mut tx,
            "recommendation.delete",
            "recommendation",
            Some(id),
            &number.to_string(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
