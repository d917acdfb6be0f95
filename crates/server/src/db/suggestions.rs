//! Micro-suggestions (微建议): submitted by members, reviewed by staff, then tracked.

use super::followup::{create_in, NewFollowUp};
use super::{now_ms, Db, DbResult};
use yishi_api::*;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SuggestionRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub title: String,
    pub body: String,
    pub location: Option<String>,
    pub public: i64,
    pub state: String,
    pub review_reason: Option<String>,
    pub created_at: i64,
}

const SELECT: &str = "SELECT s.id, s.author_id, a.display_name AS author_name, s.title, s.body, \
     s.location, s.public, s.state, s.review_reason, s.created_at \
     FROM suggestions s JOIN accounts a ON a.id = s.author_id";

impl SuggestionRow {
    pub fn state(&self) -> DbResult<SuggestionState> {
        SuggestionState::parse(&self.state)
            .ok_or_else(|| sqlx::Error::Decode("unknown suggestion state".into()))
    }

    /// Public once the member agreed and staff accepted it.
    pub fn is_public(&self) -> bool {
        self.public == 1 && self.state == SuggestionState::Accepted.as_str()
    }
}

/// Which suggestions a list holds.
#[derive(Debug, Clone, Copy)]
pub enum SuggestionScope {
    /// Accepted ones their authors agreed to publish.
    Public,
    Author(AccountId),
    Staff,
}

impl Db {
    pub async fn create_suggestion(&self, author: AccountId, s: &NewSuggestion) -> DbResult<i64> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO suggestions (author_id, title, body, location, public, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(author.0)
        .bind(s.title.trim())
        .bind(s.body.trim())
        .bind(s.location.as_deref().map(str::trim).filter(|l| !l.is_empty()))
        .bind(i64::from(s.public))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        super::search::reindex(&mut tx, super::search::DocRef::Suggestion(id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn suggestion(&self, id: i64) -> DbResult<Option<SuggestionRow>> {
        sqlx::query_as::<_, SuggestionRow>(&format!("{SELECT} WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// A page, newest first, and the total.
    pub async fn list_suggestions(
        &self,
        scope: SuggestionScope,
        state: Option<SuggestionState>,
        before_id: Option<i64>,
        limit: u32,
    ) -> DbResult<(Vec<SuggestionRow>, i64)> {
        let (scope_sql, author) = match scope {
            SuggestionScope::Public => (
                "s.public = 1 AND s.state = 'accepted' AND ($1 IS NULL OR 1 = 1)",
                None,
            ),
            SuggestionScope::Author(a) => ("s.author_id = $1", Some(a.0)),
            SuggestionScope::Staff => ("($1 IS NULL OR 1 = 1)", None),
        };
        let filters = format!("{scope_sql} AND ($2 IS NULL OR s.state = $2)");
        let state = state.map(|s| s.as_str());
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM suggestions s WHERE {filters}"
        ))
        .bind(author)
        .bind(state)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query_as::<_, SuggestionRow>(&format!(
            "{SELECT} WHERE {filters} AND s.id < $3 ORDER BY s.id DESC LIMIT $4"
        ))
        .bind(author)
        .bind(state)
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok((rows, total))
    }

    /// Staff accept a submitted suggestion and assign it: one transaction, so that an accepted
    /// suggestion always has its tracked item. `None`: it was no longer waiting for review.
    pub async fn accept_suggestion(
        &self,
        row: &SuggestionRow,
        staff: AccountId,
        assignment: &Assignment,
    ) -> DbResult<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE suggestions SET state = 'accepted', reviewed_by = $1, reviewed_at = $2, \
             updated_at = $2 WHERE id = $3 AND state = 'submitted'",
        )
        .bind(staff.0)
        .bind(now_ms())
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        super::duty::award(
            &mut tx,
            super::duty::now_award(
                row.author_id,
                DutySource::MicroSuggestionAccepted,
                "suggestion",
                row.id,
            ),
        )
        .await?;
        let mut body = row.body.clone();
        if let Some(place) = &row.location {
            body.push_str(&format!("\n\n地点：{place}"));
        }
        let id = create_in(
            &mut tx,
            &NewFollowUp {
                source: FollowUpSource::MicroSuggestion,
                source_id: row.id,
                title: &row.title,
                body: &body,
                lead: assignment.lead_department_id,
                assisting: &assignment.assisting,
                due_date: &assignment.due_date,
                requester: Some(AccountId(row.author_id)),
                actor: Some(staff),
            },
        )
        .await?;
        super::audit::record(
            &mut tx,
            "suggestion.accept",
            "suggestion",
            Some(row.id),
            &row.state,
            "accepted",
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Staff return a submitted suggestion with a reason. `false`: no longer waiting.
    pub async fn return_suggestion(
        &self,
        id: i64,
        staff: AccountId,
        reason: &str,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE suggestions SET state = 'not_accepted', review_reason = $1, reviewed_by = $2, \
             reviewed_at = $3, updated_at = $3 WHERE id = $4 AND state = 'submitted'",
        )
        .bind(reason)
        .bind(staff.0)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            super::audit::record(
                &mut tx,
                "suggestion.return",
                "suggestion",
                Some(id),
                "submitted",
                reason,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }
}
