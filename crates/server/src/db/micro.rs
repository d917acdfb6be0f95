//! Micro-consultations: issues, their takers and departments, transitions, meeting, consensus
//! with measures (tracked as follow-up items), questionnaire, contact erasure.

use super::followup::{create_in, NewFollowUp};
use super::{now_ms, Db, DbResult};
use yishi_api::*;

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} in database").into())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MicroRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub location: String,
    pub state: String,
    pub visibility: String,
    pub raised_by: Option<i64>,
    pub raiser_member_name: Option<String>,
    pub raiser_name: Option<String>,
    pub raiser_contact: Option<String>,
    pub contact_erased_at: Option<i64>,
    pub workstation_id: Option<i64>,
    pub workstation_name: Option<String>,
    pub decline_reason: Option<String>,
    pub meeting_at: Option<i64>,
    pub meeting_place: String,
    pub meeting_participants: String,
    pub meeting_record: String,
    pub consensus: Option<String>,
    pub feedback: Option<String>,
    pub created_at: i64,
}

const SELECT: &str = "SELECT m.id, m.title, m.description, m.location, m.state, m.visibility, \
     m.raised_by, r.display_name AS raiser_member_name, m.raiser_name, m.raiser_contact, \
     m.contact_erased_at, m.workstation_id, w.name AS workstation_name, m.decline_reason, \
     m.meeting_at, m.meeting_place, m.meeting_participants, m.meeting_record, m.consensus, \
     m.feedback, m.created_at \
     FROM micro_consultations m LEFT JOIN accounts r ON r.id = m.raised_by \
     LEFT JOIN workstations w ON w.id = m.workstation_id";

impl MicroRow {
    pub fn state(&self) -> DbResult<MicroState> {
        MicroState::parse(&self.state).ok_or_else(|| bad("micro state"))
    }
    pub fn visibility(&self) -> Visibility {
        if self.visibility == "members" {
            Visibility::Members
        } else {
            Visibility::Public
        }
    }
    pub fn summary(&self) -> DbResult<MicroSummary> {
        Ok(MicroSummary {
            id: self.id,
            title: self.title.clone(),
            state: self.state()?,
            workstation: self.workstation_name.clone(),
            location: self.location.clone(),
            created_at: self.created_at,
        })
    }
}

/// Who raised an issue.
pub enum RaisedBy<'a> {
    Member(AccountId),
    Resident { name: &'a str, contact: &'a str },
}

/// Which issues a list holds.
#[derive(Debug, Clone, Copy)]
pub enum MicroScope {
    Public,
    SignedIn(AccountId),
    Staff,
}

#[derive(Debug, Clone, Default)]
pub struct MicroFilter {
    pub state: Option<MicroState>,
    pub workstation: Option<i64>,
    pub department: Option<i64>,
    /// [from, until) Unix ms of the raising date.
    pub raised_within: Option<(i64, i64)>,
}

async fn record(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    to: MicroState,
    actor: Option<AccountId>,
    note: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO micro_transitions (micro_id, to_state, actor_id, note, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(to.as_str())
    .bind(actor.map(|a| a.0))
    .bind(note)
    .bind(now_ms())
    .execute(tx)
    .await
    .map(|_| ())
}

/// Moves the state if it is still `from`; `false` otherwise. The change is audited and a
/// member who raised the issue is told.
async fn move_state(
    tx: &mut sqlx::AnyConnection,
    engine: super::Engine,
    id: i64,
    from: MicroState,
    to: MicroState,
) -> DbResult<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE micro_consultations SET state = $1, updated_at = $2, \
         closed_at = CASE WHEN $1 = 'closed' THEN $2 ELSE closed_at END \
         WHERE id = $3 AND state = $4",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    super::audit::record(
        tx,
        "micro.state",
        "micro_consultation",
        Some(id),
        from.as_str(),
        to.as_str(),
    )
    .await?;
    super::notifications::notify_raiser(tx, engine, id, to.as_str()).await?;
    Ok(true)
}

impl Db {
    pub async fn raise_issue(
        &self,
        by: RaisedBy<'_>,
        title: &str,
        description: &str,
        location: &str,
        photo: Option<&super::attachments::NewFile<'_>>,
    ) -> DbResult<i64> {
        let now = now_ms();
        let (member, name, contact) = match by {
            RaisedBy::Member(a) => (Some(a.0), None, None),
            RaisedBy::Resident { name, contact } => (None, Some(name), Some(contact)),
        };
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO micro_consultations (title, description, location, raised_by, raiser_name, \
                 raiser_contact, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(title)
        .bind(description)
        .bind(location)
        .bind(member)
        .bind(name)
        .bind(contact)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        record(&mut tx, id, MicroState::Raised, member.map(AccountId), "").await?;
        super::search::reindex(&mut tx, super::search::DocRef::Micro(id)).await?;
        if let Some(file) = photo {
            super::photos::insert_photo_in(
                &mut tx,
                super::photos::PhotoOwner::Micro(id),
                file,
                member.map(AccountId),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn micro(&self, id: i64) -> DbResult<Option<MicroRow>> {
        sqlx::query_as::<_, MicroRow>(&format!("{SELECT} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn micro_people(&self, id: i64) -> DbResult<(Vec<PersonRef>, Vec<DepartmentRef>)> {
        let members: Vec<(i64, String)> = sqlx::query_as(
            "SELECT a.id, a.display_name FROM micro_members t JOIN accounts a ON a.id = t.account_id \
             WHERE t.micro_id = $1 ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let departments: Vec<(i64, String)> = sqlx::query_as(
            "SELECT d.id, d.name FROM micro_departments t JOIN departments d ON d.id = t.department_id \
             WHERE t.micro_id = $1 ORDER BY d.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok((
            members
                .into_iter()
                .map(|(id, name)| PersonRef {
                    id: AccountId(id),
                    name,
                })
                .collect(),
            departments
                .into_iter()
                .map(|(id, name)| DepartmentRef {
                    id: DepartmentId(id),
                    name,
                })
                .collect(),
        ))
    }

    pub async fn micro_timeline(&self, id: i64) -> DbResult<Vec<MicroStep>> {
        let rows: Vec<(String, Option<String>, String, i64)> = sqlx::query_as(
            "SELECT t.to_state, a.display_name, t.note, t.at FROM micro_transitions t \
             LEFT JOIN accounts a ON a.id = t.actor_id WHERE t.micro_id = $1 ORDER BY t.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(to, actor_name, note, at)| {
                Ok(MicroStep {
                    to: MicroState::parse(&to).ok_or_else(|| bad("micro state"))?,
                    actor_name,
                    note,
                    at,
                })
            })
            .collect()
    }

    /// A page, newest first, the total and the summary counts (over the same scope).
    pub async fn list_micro(
        &self,
        scope: MicroScope,
        filter: &MicroFilter,
        today: &str,
        before_id: Option<i64>,
        limit: u32,
    ) -> DbResult<(Vec<MicroRow>, i64, MicroCounts)> {
        let scope_sql = match scope {
            MicroScope::Public => {
                "m.visibility = 'public' AND m.state NOT IN ('raised', 'declined') AND ($1 IS NULL OR 1 = 1)"
            }
            MicroScope::SignedIn(_) => {
                "(m.state NOT IN ('raised', 'declined') OR m.raised_by = $1)"
            }
            MicroScope::Staff => "($1 IS NULL OR 1 = 1)",
        };
        let me = match scope {
            MicroScope::SignedIn(a) => Some(a.0),
            _ => None,
        };
        let filters = format!(
            "{scope_sql} AND ($2 IS NULL OR m.state = $2) AND ($3 IS NULL OR m.workstation_id = $3) \
             AND ($4 IS NULL OR EXISTS (SELECT 1 FROM micro_departments d WHERE d.micro_id = m.id AND d.department_id = $4)) \
             AND ($5 IS NULL OR (m.created_at >= $5 AND m.created_at < $6))"
        );
        let (from, until) = filter
            .raised_within
            .map_or((None, None), |(a, b)| (Some(a), Some(b)));
        let state = filter.state.map(|s| s.as_str());
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM micro_consultations m WHERE {filters}"
        ))
        .bind(me)
        .bind(state)
        .bind(filter.workstation)
        .bind(filter.department)
        .bind(from)
        .bind(until)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query_as::<_, MicroRow>(&format!(
            "{SELECT} WHERE {filters} AND m.id < $7 ORDER BY m.id DESC LIMIT $8"
        ))
        .bind(me)
        .bind(state)
        .bind(filter.workstation)
        .bind(filter.department)
        .bind(from)
        .bind(until)
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        // The summary ignores the state filter: it is what the filter chooses among.
        let by_state: Vec<(String, i64)> = sqlx::query_as(&format!(
            "SELECT m.state, COUNT(*) FROM micro_consultations m WHERE {} GROUP BY m.state",
            filters.replace("($2 IS NULL OR m.state = $2)", "($2 IS NULL OR 1 = 1)")
        ))
        .bind(me)
        .bind(None::<String>)
        .bind(filter.workstation)
        .bind(filter.department)
        .bind(from)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        let mut counts = MicroCounts::default();
        for (state, n) in by_state {
            match MicroState::parse(&state) {
                Some(MicroState::Raised) => counts.raised += n,
                Some(MicroState::Resolved | MicroState::Closed) => counts.resolved += n,
                Some(MicroState::Declined) | None => {}
                Some(_) => counts.in_progress += n,
            }
        }
        counts.overdue_measures = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM follow_ups f JOIN micro_measures x ON f.source_kind = 'micro_measure' \
             AND f.source_id = x.id JOIN micro_consultations m ON m.id = x.micro_id \
             WHERE {} AND f.state IN ('assigned', 'in_handling', 'returned') AND f.due_date < $7",
            filters.replace("($2 IS NULL OR m.state = $2)", "($2 IS NULL OR 1 = 1)")
        ))
        .bind(me)
        .bind(None::<String>)
        .bind(filter.workstation)
        .bind(filter.department)
        .bind(from)
        .bind(until)
        .bind(today)
        .fetch_one(&self.pool)
        .await?;
        Ok((rows, total, counts))
    }

    /// Staff accept a raised issue: takers, departments, workstation, visibility.
    pub async fn accept_issue(&self, id: i64, staff: AccountId, a: &AcceptIssue) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        if !move_state(
            &mut tx,
            self.engine,
            id,
            MicroState::Raised,
            MicroState::Accepted,
        )
        .await?
        {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE micro_consultations SET workstation_id = $1, visibility = $2 WHERE id = $3",
        )
        .bind(a.workstation_id.map(|w| w.0))
        .bind(match a.visibility {
            Visibility::Public => "public",
            Visibility::Members => "members",
        })
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let mut seen = std::collections::HashSet::new();
        for m in a.members.iter().filter(|m| seen.insert(m.0)) {
            sqlx::query("INSERT INTO micro_members (micro_id, account_id) VALUES ($1, $2)")
                .bind(id)
                .bind(m.0)
                .execute(&mut *tx)
                .await?;
        }
        let mut seen = std::collections::HashSet::new();
        for d in a.departments.iter().filter(|d| seen.insert(d.0)) {
            sqlx::query("INSERT INTO micro_departments (micro_id, department_id) VALUES ($1, $2)")
                .bind(id)
                .bind(d.0)
                .execute(&mut *tx)
                .await?;
        }
        record(&mut tx, id, MicroState::Accepted, Some(staff), "").await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn decline_issue(&self, id: i64, staff: AccountId, reason: &str) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        if !move_state(
            &mut tx,
            self.engine,
            id,
            MicroState::Raised,
            MicroState::Declined,
        )
        .await?
        {
            return Ok(false);
        }
        sqlx::query("UPDATE micro_consultations SET decline_reason = $1 WHERE id = $2")
            .bind(reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, id, MicroState::Declined, Some(staff), reason).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A plain step (no other columns change).
    pub async fn micro_step(
        &self,
        id: i64,
        from: MicroState,
        to: MicroState,
        actor: AccountId,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        if !move_state(&mut tx, self.engine, id, from, to).await? {
            return Ok(false);
        }
        record(&mut tx, id, to, Some(actor), "").await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Saves the meeting; from "gathering" it also schedules it (a step).
    pub async fn save_meeting(
        &self,
        id: i64,
        from: MicroState,
        m: &Meeting,
        actor: AccountId,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        if from == MicroState::Gathering {
            if !move_state(&mut tx, self.engine, id, from, MicroState::MeetingScheduled).await? {
                return Ok(false);
            }
            record(
                &mut tx,
                id,
                MicroState::MeetingScheduled,
                Some(actor),
                &m.place,
            )
            .await?;
        }
        let done = sqlx::query(
            "UPDATE micro_consultations SET meeting_at = $1, meeting_place = $2, \
             meeting_participants = $3, meeting_record = $4, updated_at = $5 \
             WHERE id = $6 AND state = 'meeting_scheduled'",
        )
        .bind(m.at)
        .bind(&m.place)
        .bind(&m.participants)
        .bind(&m.record)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::record(
            &mut tx,
            "micro.meeting",
            "micro_consultation",
            Some(id),
            from.as_str(),
            &m.place,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Publishes the consensus; each measure becomes a tracked item for its department, rated
    /// by a member raiser (a resident's feedback is recorded by staff).
    pub async fn publish_consensus(
        &self,
        row: &MicroRow,
        input: &ConsensusInput,
        staff: AccountId,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        if !move_state(
            &mut tx,
            self.engine,
            row.id,
            MicroState::MeetingScheduled,
            MicroState::ConsensusPublished,
        )
        .await?
        {
            return Ok(false);
        }
        sqlx::query("UPDATE micro_consultations SET consensus = $1 WHERE id = $2")
            .bind(&input.text)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        for (n, m) in input.measures.iter().enumerate() {
            let number = i64::try_from(n).unwrap_or(0) + 1;
            let measure: i64 = sqlx::query_scalar(
                "INSERT INTO micro_measures (micro_id, number, text) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(row.id)
            .bind(number)
            .bind(&m.text)
            .fetch_one(&mut *tx)
            .await?;
            let title = format!("{}：措施{number}", row.title);
            create_in(
                &mut tx,
                &NewFollowUp {
                    source: FollowUpSource::MicroMeasure,
                    source_id: measure,
                    title: &title,
                    body: &m.text,
                    lead: m.lead_department_id,
                    assisting: &[],
                    due_date: &m.due_date,
                    requester: row.raised_by.map(AccountId),
                    actor: Some(staff),
                },
            )
            .await?;
        }
        record(
            &mut tx,
            row.id,
            MicroState::ConsensusPublished,
            Some(staff),
            "",
        )
        .await?;
        super::audit::record(
            &mut tx,
            "micro.consensus",
            "micro_consultation",
            Some(row.id),
            "",
            &input.text.chars().take(200).collect::<String>(),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The measures' tracked items, in order.
    pub async fn micro_measures(&self, id: i64) -> DbResult<Vec<super::followup::FollowUpRow>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT f.id FROM micro_measures x JOIN follow_ups f ON f.source_kind = 'micro_measure' \
             AND f.source_id = x.id WHERE x.micro_id = $1 ORDER BY x.number",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut rows = Vec::with_capacity(ids.len());
        for fid in ids {
            if let Some(r) = self.follow_up(fid).await? {
                rows.push(r);
            }
        }
        Ok(rows)
    }

    pub async fn set_feedback(&self, id: i64, text: &str) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE micro_consultations SET feedback = $1, updated_at = $2 WHERE id = $3 AND state = 'resolved'",
        )
        .bind(text)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            super::audit::record(
                &mut tx,
                "micro.feedback",
                "micro_consultation",
                Some(id),
                "",
                text,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Erases residents' contact details of issues closed before `closed_before` (or declined
    /// before it); returns how many were erased.
    pub async fn erase_contacts(&self, closed_before: i64) -> DbResult<u64> {
        let done = sqlx::query(
            "UPDATE micro_consultations SET raiser_name = NULL, raiser_contact = NULL, contact_erased_at = $1 \
             WHERE contact_erased_at IS NULL AND (raiser_name IS NOT NULL OR raiser_contact IS NOT NULL) \
             AND ((state = 'closed' AND closed_at <= $2) OR (state = 'declined' AND updated_at <= $2))",
        )
        .bind(now_ms())
        .bind(closed_before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Replaces the questionnaire while nobody has answered it; `false` once someone has (an
    /// answer may arrive between the caller's check and this transaction).
    pub async fn set_questionnaire(&self, id: i64, q: &QuestionnaireInput) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        // Claim the issue row first so that a concurrent answer waits for this transaction.
        sqlx::query("UPDATE micro_consultations SET updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let answered: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM micro_respondents WHERE micro_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if answered > 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM micro_questions WHERE micro_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (n, question) in q.questions.iter().enumerate() {
            let qid: i64 = sqlx::query_scalar(
                "INSERT INTO micro_questions (micro_id, position, text, multiple) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(id)
            .bind(i64::try_from(n).unwrap_or(0))
            .bind(question.text.trim())
            .bind(i64::from(question.multiple))
            .fetch_one(&mut *tx)
            .await?;
            for (k, option) in question.options.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO micro_options (question_id, position, text) VALUES ($1, $2, $3)",
                )
                .bind(qid)
                .bind(i64::try_from(k).unwrap_or(0))
                .bind(option.trim())
                .execute(&mut *tx)
                .await?;
            }
        }
        super::audit::record(
            &mut tx,
            "micro.questionnaire",
            "micro_consultation",
            Some(id),
            "",
            &q.questions.len().to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The questions with their options and answer counts.
    pub async fn questions(&self, id: i64) -> DbResult<Vec<Question>> {
        let questions: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, text, multiple FROM micro_questions WHERE micro_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let options: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT o.id, o.question_id, o.text, \
                 (SELECT COUNT(*) FROM micro_answers a WHERE a.option_id = o.id) \
             FROM micro_options o JOIN micro_questions q ON q.id = o.question_id \
             WHERE q.micro_id = $1 ORDER BY o.question_id, o.position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(questions
            .into_iter()
            .map(|(qid, text, multiple)| Question {
                id: qid,
                text,
                multiple: multiple == 1,
                options: options
                    .iter()
                    .filter(|o| o.1 == qid)
                    .map(|(oid, _, text, count)| QuestionOption {
                        id: *oid,
                        text: text.clone(),
                        count: Some(*count),
                    })
                    .collect(),
            })
            .collect())
    }

    /// (respondents, whether `account` answered).
    pub async fn respondents(&self, id: i64, account: Option<AccountId>) -> DbResult<(i64, bool)> {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM micro_respondents WHERE micro_id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let mine: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM micro_respondents WHERE micro_id = $1 AND account_id = $2",
        )
        .bind(id)
        .bind(account.map_or(0, |a| a.0))
        .fetch_one(&self.pool)
        .await?;
        Ok((total, mine > 0))
    }

    /// Records one member's answers while opinions are gathered; `false` if they had already
    /// answered or the issue moved on.
    pub async fn answer(&self, id: i64, account: AccountId, options: &[i64]) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        // Claims the issue row (see `set_questionnaire`) and checks the state in one step.
        let open = sqlx::query(
            "UPDATE micro_consultations SET updated_at = $1 WHERE id = $2 AND state = 'gathering'",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if open.rows_affected() != 1 {
            return Ok(false);
        }
        let inserted = sqlx::query(
            "INSERT INTO micro_respondents (micro_id, account_id, at) VALUES ($1, $2, $3) \
             ON CONFLICT (micro_id, account_id) DO NOTHING",
        )
        .bind(id)
        .bind(account.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() != 1 {
            return Ok(false);
        }
        for option in options {
            sqlx::query(
                "INSERT INTO micro_answers (micro_id, account_id, option_id) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(account.0)
            .bind(option)
            .execute(&mut *tx)
            .await?;
        }
        super::duty::award(
            &mut tx,
            super::duty::now_award(account.0, DutySource::MicroTakingPart, "micro", id),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
