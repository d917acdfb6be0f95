//! Speech applications, the queue, the floor and the current segment.

use super::{events, now_ms, Db, DbResult};
use sqlx::{Any, AnyConnection, Transaction};
use yishi_api::*;

#[derive(sqlx::FromRow)]
struct SpeechRow {
    id: i64,
    speaker_id: i64,
    speaker_name: String,
    mode: String,
    summary: String,
    status: String,
    position: i64,
    allotted_seconds: i64,
    segment: Option<String>,
    started_at: Option<i64>,
    used_seconds: Option<i64>,
}

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} in database").into())
}

impl SpeechRow {
    fn into_api(self) -> DbResult<Speech> {
        Ok(Speech {
            id: self.id,
            speaker_id: AccountId(self.speaker_id),
            speaker_name: self.speaker_name,
            mode: SpeechMode::parse(&self.mode).ok_or_else(|| bad("mode"))?,
            summary: self.summary,
            status: SpeechStatus::parse(&self.status).ok_or_else(|| bad("status"))?,
            position: self.position,
            allotted_seconds: self.allotted_seconds,
            segment: self.segment.as_deref().and_then(Segment::parse),
            started_at: self.started_at,
            used_seconds: self.used_seconds,
        })
    }
}

const SELECT: &str =
    "SELECT s.id, s.speaker_id, a.display_name AS speaker_name, s.mode, s.summary, \
     s.status, s.position, s.allotted_seconds, s.segment, s.started_at, s.used_seconds \
     FROM speeches s JOIN accounts a ON a.id = s.speaker_id";

/// Reads the floor on a connection (inside a transaction, so the event carries exactly what
/// that transaction wrote).
async fn read_floor(
    conn: &mut AnyConnection,
    consultation: i64,
    with_pending: bool,
) -> DbResult<FloorState> {
    let segment: Option<String> =
        sqlx::query_scalar("SELECT current_segment FROM consultations WHERE id = $1")
            .bind(consultation)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    let rows = sqlx::query_as::<_, SpeechRow>(&format!(
        "{SELECT} WHERE s.consultation_id = $1 ORDER BY s.position, s.id"
    ))
    .bind(consultation)
    .fetch_all(&mut *conn)
    .await?;
    let speeches = rows
        .into_iter()
        .map(SpeechRow::into_api)
        .collect::<DbResult<Vec<_>>>()?;
    let of = |st: SpeechStatus| {
        speeches
            .iter()
            .filter(|s| s.status == st)
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut done = of(SpeechStatus::Done);
    done.sort_by_key(|s| (s.started_at.unwrap_or(i64::MAX), s.id));
    Ok(FloorState {
        segment: segment.as_deref().and_then(Segment::parse),
        current: of(SpeechStatus::Speaking).into_iter().next(),
        queue: of(SpeechStatus::Accepted),
        pending: if with_pending {
            of(SpeechStatus::Pending)
        } else {
            Vec::new()
        },
        done,
    })
}

/// Appends the public floor as an event on the consultation's topic.
async fn announce(tx: &mut Transaction<'_, Any>, db: &Db, consultation: i64) -> DbResult<()> {
    let floor = read_floor(tx, consultation, false).await?;
    events::append(
        tx,
        db.engine,
        Topic::Consultation(consultation),
        &EventKind::FloorChanged { floor },
    )
    .await?;
    super::notifications::notify_next_speaker(tx, db.engine, consultation).await
}

/// A speech with the consultation it belongs to.
pub struct SpeechRef {
    pub id: i64,
    pub consultation_id: i64,
    pub status: SpeechStatus,
    pub mode: SpeechMode,
    /// Applied for while the meeting was live: impromptu remarks.
    pub impromptu: bool,
}

impl Db {
    pub async fn floor(&self, consultation: i64, with_pending: bool) -> DbResult<FloorState> {
        let mut conn = self.pool.acquire().await?;
        read_floor(&mut conn, consultation, with_pending).await
    }

    /// Whether the account already has an application waiting or in the queue.
    pub async fn has_open_application(
        &self,
        consultation: i64,
        speaker: AccountId,
    ) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM speeches WHERE consultation_id = $1 AND speaker_id = $2 \
             AND status IN ('pending', 'accepted', 'speaking')",
        )
        .bind(consultation)
        .bind(speaker.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Records an application; the room hears of it (the chair then fetches the pending list).
    pub async fn apply_to_speak(
        &self,
        consultation: i64,
        speaker: AccountId,
        mode: SpeechMode,
        summary: &str,
    ) -> DbResult<i64> {
        let mut tx = self.pool.begin().await?;
        let id = sqlx::query_scalar(
            "INSERT INTO speeches (consultation_id, speaker_id, mode, summary, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(consultation)
        .bind(speaker.0)
        .bind(mode.as_str())
        .bind(summary)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        announce(&mut tx, self, consultation).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn speech_ref(&self, id: i64) -> DbResult<Option<SpeechRef>> {
        // Impromptu: applied after the meeting went live (its transition to `live`).
        let row: Option<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT s.id, s.consultation_id, s.status, s.mode, \
                 (SELECT COUNT(*) FROM consultation_transitions t \
                  WHERE t.consultation_id = s.consultation_id AND t.to_state = 'live' \
                  AND t.at <= s.created_at) \
             FROM speeches s WHERE s.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, consultation_id, status, mode, live_before)| {
            Ok(SpeechRef {
                id,
                consultation_id,
                status: SpeechStatus::parse(&status).ok_or_else(|| bad("status"))?,
                mode: SpeechMode::parse(&mode).ok_or_else(|| bad("mode"))?,
                impromptu: live_before > 0,
            })
        })
        .transpose()
    }

    /// Accepts (to the end of the queue; a written speech goes straight to the record) or
    /// declines a pending application.
    pub async fn decide_speech(
        &self,
        speech: &SpeechRef,
        accept: bool,
        allotted_seconds: i64,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let (status, allotted) = match (accept, speech.mode) {
            (false, _) => ("declined", 0),
            (true, SpeechMode::Written) => ("done", 0),
            (true, _) => ("accepted", allotted_seconds),
        };
        let next: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM speeches WHERE consultation_id = $1",
        )
        .bind(speech.consultation_id)
        .fetch_one(&mut *tx)
        .await?;
        let done = sqlx::query(
            "UPDATE speeches SET status = $1, allotted_seconds = $2, position = $3, \
                 used_seconds = CASE WHEN $1 = 'done' THEN 0 ELSE used_seconds END \
             WHERE id = $4 AND status = 'pending'",
        )
        .bind(status)
        .bind(allotted)
        .bind(next)
        .bind(speech.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if status == "done" {
            let speaker: i64 = sqlx::query_scalar("SELECT speaker_id FROM speeches WHERE id = $1")
                .bind(speech.id)
                .fetch_one(&mut *tx)
                .await?;
            super::duty::award(
                &mut tx,
                super::duty::now_award(speaker, DutySource::WrittenSpeech, "speech", speech.id),
            )
            .await?;
        }
        let told = if accept {
            NotificationKind::SpeechAccepted
        } else {
            NotificationKind::SpeechDeclined
        };
        super::notifications::notify_speaker(&mut tx, self.engine, speech.id, told).await?;
        super::audit::record(
            &mut tx,
            "speech.decide",
            "speech",
            Some(speech.id),
            "pending",
            status,
        )
        .await?;
        announce(&mut tx, self, speech.consultation_id).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Reorders the queue; `false` unless `ids` are exactly the accepted speeches.
    pub async fn reorder_queue(&self, consultation: i64, ids: &[i64]) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let mut accepted: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM speeches WHERE consultation_id = $1 AND status = 'accepted'",
        )
        .bind(consultation)
        .fetch_all(&mut *tx)
        .await?;
        let mut wanted = ids.to_vec();
        accepted.sort_unstable();
        wanted.sort_unstable();
        if accepted != wanted {
            return Ok(false);
        }
        for (position, id) in ids.iter().enumerate() {
            sqlx::query("UPDATE speeches SET position = $1 WHERE id = $2")
                .bind(i64::try_from(position).unwrap_or(i64::MAX) + 1)
                .bind(*id)
                .execute(&mut *tx)
                .await?;
        }
        announce(&mut tx, self, consultation).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn set_segment(&self, consultation: i64, segment: Segment) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE consultations SET current_segment = $1 WHERE id = $2")
            .bind(segment.as_str())
            .bind(consultation)
            .execute(&mut *tx)
            .await?;
        announce(&mut tx, self, consultation).await?;
        tx.commit().await
    }

    /// Ends the current speech (recording the time used) and, when `call_next`, gives the
    /// floor to the first speech in the queue. Returns whether anything changed.
    pub async fn advance_floor(&self, consultation: i64, call_next: bool) -> DbResult<bool> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        // Writing first (RETURNING the speech) keeps SQLite's transaction a writer from its
        // first statement and credits exactly the speech that ended.
        let finished: Vec<(i64, i64)> = sqlx::query_as(
            "UPDATE speeches SET status = 'done', used_seconds = ($1 - started_at) / 1000 \
             WHERE consultation_id = $2 AND status = 'speaking' RETURNING id, speaker_id",
        )
        .bind(now)
        .bind(consultation)
        .fetch_all(&mut *tx)
        .await?;
        let ended = finished.len() as u64;
        // A speech given scores for its speaker.
        for (id, speaker) in finished {
            super::duty::award(
                &mut tx,
                super::duty::now_award(speaker, DutySource::Speech, "speech", id),
            )
            .await?;
        }
        let mut called = 0;
        if call_next {
            let next: Option<(i64, i64)> = sqlx::query_as(
                "SELECT id, speaker_id FROM speeches WHERE consultation_id = $1 \
                 AND status = 'accepted' ORDER BY position, id LIMIT 1",
            )
            .bind(consultation)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((id, speaker)) = next {
                // Whoever has the floor attended.
                super::outcome::record_attendance_in(
                    &mut tx,
                    consultation,
                    speaker,
                    AttendanceSource::Speaker,
                )
                .await?;
                called = sqlx::query(
                    "UPDATE speeches SET status = 'speaking', started_at = $1, \
                         segment = (SELECT current_segment FROM consultations WHERE id = $2) \
                     WHERE id = $3",
                )
                .bind(now)
                .bind(consultation)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
        }
        if ended + called == 0 {
            return Ok(false);
        }
        announce(&mut tx, self, consultation).await?;
        tx.commit().await?;
        Ok(true)
    }
}
