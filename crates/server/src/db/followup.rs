//! Tracked items: creation from a source, the steps of the loop, the timeline, lists, stats.

use super::{now_ms, Db, DbResult};
use yishi_api::*;

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} in database").into())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowUpRow {
    pub id: i64,
    pub source_kind: String,
    pub source_id: i64,
    pub title: String,
    pub body: String,
    pub lead_department_id: i64,
    pub lead_name: String,
    pub due_date: String,
    pub requester_id: Option<i64>,
    pub requester_name: Option<String>,
    pub state: String,
    pub assigned_at: i64,
    pub reply: Option<String>,
    pub result_class: Option<String>,
    pub replied_at: Option<i64>,
    pub rating: Option<String>,
    pub rehandled: i64,
}

const SELECT: &str = "SELECT f.id, f.source_kind, f.source_id, f.title, f.body, \
     f.lead_department_id, d.name AS lead_name, f.due_date, f.requester_id, \
     r.display_name AS requester_name, f.state, f.assigned_at, f.reply, f.result_class, \
     f.replied_at, f.rating, f.rehandled \
     FROM follow_ups f JOIN departments d ON d.id = f.lead_department_id \
     LEFT JOIN accounts r ON r.id = f.requester_id";

impl FollowUpRow {
    pub fn state(&self) -> DbResult<FollowUpState> {
        FollowUpState::parse(&self.state).ok_or_else(|| bad("state"))
    }

    /// `today`: the committee-local date, for the overdue flag.
    pub fn summary(&self, today: &str) -> DbResult<FollowUpSummary> {
        let state = self.state()?;
        Ok(FollowUpSummary {
            id: self.id,
            source: FollowUpSource::parse(&self.source_kind).ok_or_else(|| bad("source"))?,
            title: self.title.clone(),
            lead: DepartmentRef {
                id: DepartmentId(self.lead_department_id),
                name: self.lead_name.clone(),
            },
            state,
            due_date: self.due_date.clone(),
            // ISO dates compare as text.
            overdue: matches!(
                state,
                FollowUpState::Assigned | FollowUpState::InHandling | FollowUpState::Returned
            ) && today > self.due_date.as_str(),
            assigned_at: self.assigned_at,
            replied_at: self.replied_at,
            rating: self.rating.as_deref().and_then(Rating::parse),
        })
    }
}

/// Which items a reader's lists hold.
#[derive(Debug, Clone, Copy)]
pub enum FollowUpScope {
    Staff,
    /// An official: their department as lead or assisting.
    Department(DepartmentId),
    /// A member: items they rate.
    Requester(AccountId),
}

#[derive(Debug, Clone, Default)]
pub struct FollowUpFilter {
    pub state: Option<FollowUpState>,
    /// `Some(today)`: only overdue items as of that committee-local date.
    pub overdue_on: Option<String>,
    pub department: Option<DepartmentId>,
    pub source: Option<FollowUpSource>,
}

/// A new tracked item.
pub struct NewFollowUp<'a> {
    pub source: FollowUpSource,
    pub source_id: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub lead: DepartmentId,
    pub assisting: &'a [DepartmentId],
    pub due_date: &'a str,
    pub requester: Option<AccountId>,
    /// Staff who assigned it (`None`: assigned by the system when an outcome is published).
    pub actor: Option<AccountId>,
}

/// One timeline line to record with a step.
pub struct Step<'a> {
    pub kind: TimelineKind,
    pub actor: Option<AccountId>,
    pub text: &'a str,
    pub result_class: Option<ResultClass>,
    pub rating: Option<Rating>,
}

impl<'a> Step<'a> {
    pub fn new(kind: TimelineKind, actor: AccountId, text: &'a str) -> Step<'a> {
        Step {
            kind,
            actor: Some(actor),
            text,
            result_class: None,
            rating: None,
        }
    }
}

async fn record(tx: &mut sqlx::AnyConnection, id: i64, step: &Step<'_>) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO follow_up_timeline (follow_up_id, kind, actor_id, body, result_class, rating, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(step.kind.as_str())
    .bind(step.actor.map(|a| a.0))
    .bind(step.text)
    .bind(step.result_class.map(|c| c.as_str()))
    .bind(step.rating.map(|r| r.as_str()))
    .bind(now_ms())
    .execute(tx)
    .await
    .map(|_| ())
}

async fn set_assisting(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    assisting: &[DepartmentId],
    lead: DepartmentId,
) -> DbResult<()> {
    sqlx::query("DELETE FROM follow_up_assisting WHERE follow_up_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let mut seen = std::collections::HashSet::new();
    for d in assisting.iter().filter(|d| **d != lead) {
        if seen.insert(d.0) {
            sqlx::query(
                "INSERT INTO follow_up_assisting (follow_up_id, department_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(d.0)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// The lead department's officials hear of a newly assigned item.
async fn tell_assigned(tx: &mut sqlx::AnyConnection, id: i64) -> DbResult<()> {
    let (title, lead): (String, i64) =
        sqlx::query_as("SELECT title, lead_department_id FROM follow_ups WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    let engine = super::engine_of(tx);
    super::notifications::notify_department(
        tx,
        engine,
        lead,
        yishi_api::NotificationKind::Assigned,
        &title,
        &format!("/follow-ups/{id}"),
        None,
    )
    .await
}

/// A micro-suggestion's author hears of a reply, or of the department returning it.
async fn tell_suggester(tx: &mut sqlx::AnyConnection, id: i64, to: FollowUpState) -> DbResult<()> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT s.author_id, s.title FROM follow_ups f JOIN suggestions s ON s.id = f.source_id          WHERE f.id = $1 AND f.source_kind = 'micro_suggestion'",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((author, title)) = row else {
        return Ok(());
    };
    let engine = super::engine_of(tx);
    super::notifications::notify(
        tx,
        engine,
        super::notifications::Notice {
            account: author,
            kind: yishi_api::NotificationKind::SuggestionReply,
            title,
            detail: to.as_str().to_owned(),
            link: format!("/follow-ups/{id}"),
            dedupe: None,
        },
    )
    .await?;
    Ok(())
}

/// Creates a tracked item inside the caller's transaction; `None` if its source already has
/// one (creation is idempotent per source).
pub async fn create_in(
    tx: &mut sqlx::AnyConnection,
    item: &NewFollowUp<'_>,
) -> DbResult<Option<i64>> {
    let now = now_ms();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO follow_ups (source_kind, source_id, title, body, lead_department_id, due_date, \
             requester_id, state, assigned_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'assigned', $8, $8, $8) \
         ON CONFLICT (source_kind, source_id) DO NOTHING RETURNING id",
    )
    .bind(item.source.as_str())
    .bind(item.source_id)
    .bind(item.title)
    .bind(item.body)
    .bind(item.lead.0)
    .bind(item.due_date)
    .bind(item.requester.map(|a| a.0))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Ok(None) };
    set_assisting(tx, id, item.assisting, item.lead).await?;
    super::audit::record(
        tx,
        "follow_up.create",
        "follow_up",
        Some(id),
        "",
        item.title,
    )
    .await?;
    tell_assigned(tx, id).await?;
    record(
        tx,
        id,
        &Step {
            kind: TimelineKind::Assigned,
            actor: item.actor,
            text: "",
            result_class: None,
            rating: None,
        },
    )
    .await?;
    Ok(Some(id))
}

/// Makes each recommendation of a consultation a tracked item for its department (those
/// already tracked are left alone).
pub async fn track_recommendations_in(
    tx: &mut sqlx::AnyConnection,
    consultation: i64,
    requester: Option<AccountId>,
    due_date: &str,
) -> DbResult<()> {
    let rows: Vec<(i64, i64, String, i64, String)> = sqlx::query_as(
        "SELECT r.id, r.number, r.text, r.department_id, c.title FROM recommendations r \
         JOIN consultations c ON c.id = r.consultation_id \
         WHERE r.consultation_id = $1 ORDER BY r.number",
    )
    .bind(consultation)
    .fetch_all(&mut *tx)
    .await?;
    for (id, number, text, department, consultation_title) in rows {
        let title: String = format!("{consultation_title}：建议{number}");
        create_in(
            tx,
            &NewFollowUp {
                source: FollowUpSource::Recommendation,
                source_id: id,
                title: &title,
                body: &text,
                lead: DepartmentId(department),
                assisting: &[],
                due_date,
                requester,
                actor: None,
            },
        )
        .await?;
    }
    Ok(())
}

impl Db {
    pub async fn follow_up(&self, id: i64) -> DbResult<Option<FollowUpRow>> {
        sqlx::query_as::<_, FollowUpRow>(&format!("{SELECT} WHERE f.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn follow_up_for_source(
        &self,
        source: FollowUpSource,
        source_id: i64,
    ) -> DbResult<Option<FollowUpRow>> {
        sqlx::query_as::<_, FollowUpRow>(&format!(
            "{SELECT} WHERE f.source_kind = $1 AND f.source_id = $2"
        ))
        .bind(source.as_str())
        .bind(source_id)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn assisting(&self, id: i64) -> DbResult<Vec<DepartmentRef>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT d.id, d.name FROM follow_up_assisting a JOIN departments d ON d.id = a.department_id \
             WHERE a.follow_up_id = $1 ORDER BY d.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| DepartmentRef {
                id: DepartmentId(id),
                name,
            })
            .collect())
    }

    pub async fn timeline(&self, id: i64) -> DbResult<Vec<TimelineEntry>> {
        type Row = (
            String,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT t.kind, a.display_name, d.name, t.body, t.result_class, t.rating, t.at \
             FROM follow_up_timeline t LEFT JOIN accounts a ON a.id = t.actor_id \
             LEFT JOIN departments d ON d.id = a.department_id \
             WHERE t.follow_up_id = $1 ORDER BY t.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(kind, actor_name, actor_department, text, class, rating, at)| {
                    Ok(TimelineEntry {
                        kind: TimelineKind::parse(&kind).ok_or_else(|| bad("timeline kind"))?,
                        actor_name,
                        actor_department,
                        at,
                        text,
                        result_class: class.as_deref().and_then(ResultClass::parse),
                        rating: rating.as_deref().and_then(Rating::parse),
                    })
                },
            )
            .collect()
    }

    /// Moves an item from `from` to `to` (if still there) with the columns `set` changes and
    /// the step recorded, in one transaction. `false`: someone moved it first.
    pub async fn follow_up_step(
        &self,
        id: i64,
        from: FollowUpState,
        to: FollowUpState,
        change: Change<'_>,
        step: Step<'_>,
    ) -> DbResult<bool> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let done = match change {
            Change::None => {
                sqlx::query(
                    "UPDATE follow_ups SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
                )
                .bind(to.as_str())
                .bind(now)
                .bind(id)
                .bind(from.as_str())
                .execute(&mut *tx)
                .await?
            }
            Change::Reply { text, class } => {
                sqlx::query(
                    "UPDATE follow_ups SET state = $1, updated_at = $2, reply = $5, result_class = $6, \
                     replied_at = $2 WHERE id = $3 AND state = $4",
                )
                .bind(to.as_str())
                .bind(now)
                .bind(id)
                .bind(from.as_str())
                .bind(text)
                .bind(class.as_str())
                .execute(&mut *tx)
                .await?
            }
            Change::Rating { rating, rehandle } => {
                sqlx::query(
                    "UPDATE follow_ups SET state = $1, updated_at = $2, rating = $5, \
                     rehandled = CASE WHEN $6 = 1 THEN 1 ELSE rehandled END \
                     WHERE id = $3 AND state = $4",
                )
                .bind(to.as_str())
                .bind(now)
                .bind(id)
                .bind(from.as_str())
                .bind(rating.as_str())
                .bind(i64::from(rehandle))
                .execute(&mut *tx)
                .await?
            }
            Change::Assignment {
                lead,
                assisting,
                due_date,
            } => {
                let done = sqlx::query(
                    "UPDATE follow_ups SET state = $1, updated_at = $2, assigned_at = $2, \
                     lead_department_id = $5, due_date = $6 WHERE id = $3 AND state = $4",
                )
                .bind(to.as_str())
                .bind(now)
                .bind(id)
                .bind(from.as_str())
                .bind(lead.0)
                .bind(due_date)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 1 {
                    set_assisting(&mut tx, id, assisting, lead).await?;
                }
                done
            }
        };
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        record(&mut tx, id, &step).await?;
        super::audit::record(
            &mut tx,
            "follow_up.state",
            "follow_up",
            Some(id),
            from.as_str(),
            to.as_str(),
        )
        .await?;
        if to == FollowUpState::Assigned {
            tell_assigned(&mut tx, id).await?;
        }
        if matches!(to, FollowUpState::Replied | FollowUpState::Returned) {
            tell_suggester(&mut tx, id, to).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Adds a progress note without changing the state; `false` once the item is no longer
    /// being handled (a reply may have landed since the caller's check).
    pub async fn follow_up_note(&self, id: i64, step: Step<'_>) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let open = sqlx::query(
            "UPDATE follow_ups SET updated_at = $1 WHERE id = $2 AND state IN ('assigned', 'in_handling')",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if open.rows_affected() != 1 {
            return Ok(false);
        }
        record(&mut tx, id, &step).await?;
        tx.commit().await?;
        Ok(true)
    }

    fn scope_clause(scope: FollowUpScope) -> (String, Option<i64>) {
        match scope {
            FollowUpScope::Staff => ("($1 IS NULL OR 1 = 1)".into(), None),
            FollowUpScope::Department(d) => (
                "(f.lead_department_id = $1 OR EXISTS (SELECT 1 FROM follow_up_assisting a \
                  WHERE a.follow_up_id = f.id AND a.department_id = $1))"
                    .into(),
                Some(d.0),
            ),
            FollowUpScope::Requester(a) => ("f.requester_id = $1".into(), Some(a.0)),
        }
    }

    /// A page of items, newest first, and the total.
    pub async fn list_follow_ups(
        &self,
        scope: FollowUpScope,
        filter: &FollowUpFilter,
        before_id: Option<i64>,
        limit: Option<u32>,
    ) -> DbResult<(Vec<FollowUpRow>, i64)> {
        let (scope_sql, scope_value) = Self::scope_clause(scope);
        // Each filter is a fixed clause; absent filters bind NULL and drop out.
        let filters = format!(
            "{scope_sql} AND ($2 IS NULL OR f.state = $2) \
             AND ($3 IS NULL OR (f.state IN ('assigned', 'in_handling', 'returned') AND f.due_date < $3)) \
             AND ($4 IS NULL OR f.lead_department_id = $4) AND ($5 IS NULL OR f.source_kind = $5)"
        );
        let state = filter.state.map(|s| s.as_str());
        let department = filter.department.map(|d| d.0);
        let source = filter.source.map(|s| s.as_str());
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM follow_ups f WHERE {filters}"
        ))
        .bind(scope_value)
        .bind(state)
        .bind(filter.overdue_on.as_deref())
        .bind(department)
        .bind(source)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query_as::<_, FollowUpRow>(&format!(
            "{SELECT} WHERE {filters} AND f.id < $6 ORDER BY f.id DESC LIMIT $7"
        ))
        .bind(scope_value)
        .bind(state)
        .bind(filter.overdue_on.as_deref())
        .bind(department)
        .bind(source)
        .bind(before_id.unwrap_or(i64::MAX))
        // No limit: the CSV export takes every matching row.
        .bind(limit.map_or(i64::MAX, i64::from))
        .fetch_all(&self.pool)
        .await?;
        Ok((rows, total))
    }

    /// Every item's department, state, dates and rating, for the staff overview.
    pub async fn follow_up_facts(&self) -> DbResult<Vec<FollowUpRow>> {
        sqlx::query_as::<_, FollowUpRow>(&format!("{SELECT} ORDER BY f.id"))
            .fetch_all(&self.pool)
            .await
    }
}

/// The columns a step changes besides the state.
pub enum Change<'a> {
    None,
    Reply {
        text: &'a str,
        class: ResultClass,
    },
    Rating {
        rating: Rating,
        rehandle: bool,
    },
    Assignment {
        lead: DepartmentId,
        assisting: &'a [DepartmentId],
        due_date: &'a str,
    },
}
