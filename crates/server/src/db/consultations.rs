//! Consultations: rows, invitations, departments, state changes.

use super::{events, now_ms, Db, DbResult};
use crate::domain::consultation::Facts;
use sqlx::{Any, Transaction};
use yishi_api::*;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsultationRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub description_md: String,
    pub description_html: String,
    pub committee_id: Option<i64>,
    pub chair_id: Option<i64>,
    pub chair_name: Option<String>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub venues: String,
    pub video_link: Option<String>,
    pub visibility: String,
    pub state: String,
}

fn decode<T>(v: Option<T>, what: &str) -> DbResult<T> {
    v.ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} in database").into()))
}

impl ConsultationRow {
    pub fn kind(&self) -> DbResult<ConsultationKind> {
        decode(
            match self.kind.as_str() {
                "remote" => Some(ConsultationKind::Remote),
                "online" => Some(ConsultationKind::Online),
                _ => None,
            },
            "kind",
        )
    }
    pub fn visibility(&self) -> DbResult<Visibility> {
        decode(
            match self.visibility.as_str() {
                "public" => Some(Visibility::Public),
                "members" => Some(Visibility::Members),
                _ => None,
            },
            "visibility",
        )
    }
    pub fn state(&self) -> DbResult<ConsultationState> {
        decode(ConsultationState::parse(&self.state), "state")
    }
    pub fn facts(&self) -> DbResult<Facts> {
        Ok(Facts {
            kind: self.kind()?,
            visibility: self.visibility()?,
            state: self.state()?,
            chair_id: self.chair_id,
            opens_at: self.starts_at,
            closes_at: self.ends_at,
            now: super::now_ms(),
        })
    }
    pub fn summary(&self) -> DbResult<ConsultationSummary> {
        Ok(ConsultationSummary {
            id: self.id,
            kind: self.kind()?,
            title: self.title.clone(),
            state: self.state()?,
            visibility: self.visibility()?,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        })
    }
}

pub fn kind_str(k: ConsultationKind) -> &'static str {
    match k {
        ConsultationKind::Remote => "remote",
        ConsultationKind::Online => "online",
    }
}

pub fn visibility_str(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Members => "members",
    }
}

const SELECT: &str = "SELECT c.id, c.kind, c.title, c.description_md, c.description_html, \
     c.committee_id, c.chair_id, a.display_name AS chair_name, c.starts_at, c.ends_at, c.venues, \
     c.video_link, c.visibility, c.state \
     FROM consultations c LEFT JOIN accounts a ON a.id = c.chair_id";

/// Filters of the consultation list.
#[derive(Debug, Clone, Default)]
pub struct ConsultationFilter {
    pub state: Option<ConsultationState>,
    pub kind: Option<ConsultationKind>,
    pub committee: Option<CommitteeId>,
    /// Starting within [from, until) Unix ms (a year in the committee's time zone).
    pub starts_within: Option<(i64, i64)>,
}

/// Which consultations a list may show to this reader.
#[derive(Debug, Clone, Copy)]
pub enum ListScope {
    /// Not signed in: public and past draft.
    Public,
    /// Signed in: everything past draft.
    SignedIn,
    /// Staff: everything.
    Staff,
}

async fn write_links(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    input: &ConsultationInput,
) -> DbResult<()> {
    sqlx::query("DELETE FROM consultation_invitations WHERE consultation_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM consultation_departments WHERE consultation_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (column, ids) in [
        (
            "sector_id",
            input
                .invited_sectors
                .iter()
                .map(|i| i.0)
                .collect::<Vec<_>>(),
        ),
        (
            "committee_id",
            input.invited_committees.iter().map(|i| i.0).collect(),
        ),
        (
            "account_id",
            input.invited_accounts.iter().map(|i| i.0).collect(),
        ),
    ] {
        for ref_id in ids {
            sqlx::query(&format!(
                "INSERT INTO consultation_invitations (consultation_id, {column}) VALUES ($1, $2)"
            ))
            .bind(id)
            .bind(ref_id)
            .execute(&mut **tx)
            .await?;
        }
    }
    for d in &input.departments {
        sqlx::query(
            "INSERT INTO consultation_departments (consultation_id, department_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(d.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Db {
    pub async fn create_consultation(
        &self,
        input: &ConsultationInput,
        description_html: &str,
        created_by: AccountId,
    ) -> DbResult<i64> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO consultations (kind, title, description_md, description_html, committee_id, \
                 chair_id, starts_at, ends_at, venues, video_link, visibility, state, created_by, \
                 created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13, $13) RETURNING id",
        )
        .bind(kind_str(input.kind))
        .bind(&input.title)
        .bind(&input.description)
        .bind(description_html)
        .bind(input.committee_id.map(|i| i.0))
        .bind(input.chair_id.map(|i| i.0))
        .bind(input.starts_at)
        .bind(input.ends_at)
        .bind(&input.venues)
        .bind(input.video_link.as_deref())
        .bind(visibility_str(input.visibility))
        .bind(created_by.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        write_links(&mut tx, id, input).await?;
        super::search::reindex(&mut tx, super::search::DocRef::Consultation(id)).await?;
        super::audit::record(
            &mut tx,
            "consultation.create",
            "consultation",
            Some(id),
            "",
            &input.title,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_consultation(
        &self,
        id: i64,
        input: &ConsultationInput,
        description_html: &str,
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE consultations SET kind = $1, title = $2, description_md = $3, \
                 description_html = $4, committee_id = $5, chair_id = $6, starts_at = $7, \
                 ends_at = $8, venues = $9, video_link = $10, visibility = $11, updated_at = $12 \
             WHERE id = $13",
        )
        .bind(kind_str(input.kind))
        .bind(&input.title)
        .bind(&input.description)
        .bind(description_html)
        .bind(input.committee_id.map(|i| i.0))
        .bind(input.chair_id.map(|i| i.0))
        .bind(input.starts_at)
        .bind(input.ends_at)
        .bind(&input.venues)
        .bind(input.video_link.as_deref())
        .bind(visibility_str(input.visibility))
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        write_links(&mut tx, id, input).await?;
        super::search::reindex(&mut tx, super::search::DocRef::Consultation(id)).await?;
        super::audit::record(
            &mut tx,
            "consultation.update",
            "consultation",
            Some(id),
            "",
            &input.title,
        )
        .await?;
        tx.commit().await
    }

    pub async fn consultation(&self, id: i64) -> DbResult<Option<ConsultationRow>> {
        sqlx::query_as::<_, ConsultationRow>(&format!("{SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Newest first (by id), after the cursor id when given.
    pub async fn list_consultations(
        &self,
        scope: ListScope,
        filter: &ConsultationFilter,
        before_id: Option<i64>,
        limit: u32,
    ) -> DbResult<(Vec<ConsultationRow>, i64)> {
        let scope_clause = match scope {
            ListScope::Public => "c.visibility = 'public' AND c.state <> 'draft'",
            ListScope::SignedIn => "c.state <> 'draft'",
            ListScope::Staff => "1 = 1",
        };
        // Each filter is a fixed clause; absent filters bind NULL and drop out.
        let filters = format!(
            "{scope_clause} AND ($1 IS NULL OR c.state = $1) AND ($2 IS NULL OR c.kind = $2) \
             AND ($3 IS NULL OR c.committee_id = $3) \
             AND ($4 IS NULL OR (c.starts_at >= $4 AND c.starts_at < $5))"
        );
        let state = filter.state.map(|s| s.as_str());
        let kind = filter.kind.map(kind_str);
        let committee = filter.committee.map(|c| c.0);
        let (from, until) = filter
            .starts_within
            .map_or((None, None), |(a, b)| (Some(a), Some(b)));
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM consultations c WHERE {filters}"
        ))
        .bind(state)
        .bind(kind)
        .bind(committee)
        .bind(from)
        .bind(until)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query_as::<_, ConsultationRow>(&format!(
            "{SELECT} WHERE {filters} AND c.id < $6 ORDER BY c.id DESC LIMIT $7"
        ))
        .bind(state)
        .bind(kind)
        .bind(committee)
        .bind(from)
        .bind(until)
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok((rows, total))
    }

    /// Invited through the account itself, its sector or its committee.
    pub async fn is_invited(&self, consultation: i64, account: AccountId) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM consultation_invitations i, accounts a \
             WHERE i.consultation_id = $1 AND a.id = $2 AND (i.account_id = a.id \
                 OR (i.sector_id IS NOT NULL AND i.sector_id = a.sector_id) \
                 OR (i.committee_id IS NOT NULL AND i.committee_id = a.committee_id))",
        )
        .bind(consultation)
        .bind(account.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn department_participates(
        &self,
        consultation: i64,
        department: DepartmentId,
    ) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM consultation_departments \
             WHERE consultation_id = $1 AND department_id = $2",
        )
        .bind(consultation)
        .bind(department.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// (sectors, committees, accounts, departments) linked to a consultation.
    pub async fn consultation_links(
        &self,
        id: i64,
    ) -> DbResult<(
        Vec<SectorId>,
        Vec<CommitteeId>,
        Vec<AccountId>,
        Vec<DepartmentId>,
    )> {
        let rows: Vec<(Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT sector_id, committee_id, account_id FROM consultation_invitations \
             WHERE consultation_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let departments: Vec<i64> = sqlx::query_scalar(
            "SELECT department_id FROM consultation_departments WHERE consultation_id = $1 \
             ORDER BY department_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok((
            rows.iter().filter_map(|r| r.0).map(SectorId).collect(),
            rows.iter().filter_map(|r| r.1).map(CommitteeId).collect(),
            rows.iter().filter_map(|r| r.2).map(AccountId).collect(),
            departments.into_iter().map(DepartmentId).collect(),
        ))
    }

    pub async fn transitions(&self, id: i64) -> DbResult<Vec<TransitionRecord>> {
        let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT t.from_state, t.to_state, a.display_name, t.at \
             FROM consultation_transitions t LEFT JOIN accounts a ON a.id = t.actor_id \
             WHERE t.consultation_id = $1 ORDER BY t.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(from, to, actor_name, at)| {
                Ok(TransitionRecord {
                    from: decode(ConsultationState::parse(&from), "state")?,
                    to: decode(ConsultationState::parse(&to), "state")?,
                    actor_name,
                    at,
                })
            })
            .collect()
    }

    /// Open online topics whose closing date has passed: the scheduler concludes them.
    pub async fn online_topics_due_to_close(&self, now: i64) -> DbResult<Vec<i64>> {
        sqlx::query_scalar(
            "SELECT id FROM consultations \
             WHERE state = 'published' AND kind = 'online' AND ends_at IS NOT NULL AND ends_at <= $1 \
             ORDER BY id LIMIT 500",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
    }

    /// Moves the state if it is still `from` (else `false`: someone else moved it first),
    /// records the change and tells the live room, in one transaction.
    pub async fn change_state(
        &self,
        id: i64,
        from: ConsultationState,
        to: ConsultationState,
        actor: Option<AccountId>,
        then: AfterChange,
    ) -> DbResult<bool> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE consultations SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
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
        sqlx::query(
            "INSERT INTO consultation_transitions (consultation_id, from_state, to_state, actor_id, at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(actor.map(|a| a.0))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if let AfterChange::TrackRecommendations {
            requester,
            due_date,
        } = then
        {
            super::followup::track_recommendations_in(&mut tx, id, requester, &due_date).await?;
        }
        super::audit::record(
            &mut tx,
            "consultation.state",
            "consultation",
            Some(id),
            from.as_str(),
            to.as_str(),
        )
        .await?;
        if to == ConsultationState::Published {
            // Once per consultation, even if it is unpublished and published again.
            super::notifications::notify_participants(
                &mut tx,
                self.engine,
                id,
                NotificationKind::Invited,
                &format!("invited:{id}"),
            )
            .await?;
        }
        events::append(
            &mut tx,
            self.engine,
            Topic::Consultation(id),
            &EventKind::StateChanged { state: to },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// What else a state change does, in its transaction.
#[derive(Debug, Clone)]
pub enum AfterChange {
    Nothing,
    /// Publishing the outcome makes each recommendation a tracked item.
    TrackRecommendations {
        /// The chair rates the results (`None`: staff do).
        requester: Option<AccountId>,
        due_date: String,
    },
}
