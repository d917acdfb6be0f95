//! The audit log: one append-only row per administrative, moderation or workflow change,
//! written by the storage function that makes the change, in its transaction. Who did it and
//! from where come from the request's context (set once by the session layer), so storage
//! functions do not all have to carry them.

use super::{now_ms, Db, DbResult};
use sqlx::AnyConnection;
use yishi_api::{AccountId, AuditEntry, Page};

tokio::task_local! {
    static CONTEXT: AuditContext;
}

/// The actor and client address of the request being served.
#[derive(Debug, Clone, Default)]
pub struct AuditContext {
    pub actor: Option<i64>,
    pub client_ip: String,
}

/// Runs `fut` with `context` as the audit context of every change it makes.
pub async fn scope<F: std::future::Future>(context: AuditContext, fut: F) -> F::Output {
    CONTEXT.scope(context, fut).await
}

fn current() -> AuditContext {
    CONTEXT.try_with(Clone::clone).unwrap_or_default()
}

/// Longest before/after summary kept.
const MAX_SUMMARY_CHARS: usize = 500;

fn cut(s: &str) -> String {
    s.chars().take(MAX_SUMMARY_CHARS).collect()
}

/// Appends one audit row inside the caller's transaction.
pub async fn record(
    conn: &mut AnyConnection,
    action: &str,
    object_kind: &str,
    object_id: Option<i64>,
    before: &str,
    after: &str,
) -> DbResult<()> {
    let context = current();
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, object_kind, object_id, before, after, \
             client_ip, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(context.actor)
    .bind(action)
    .bind(object_kind)
    .bind(object_id)
    .bind(cut(before))
    .bind(cut(after))
    .bind(context.client_ip)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Filters of the audit browser.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<AccountId>,
    pub action: Option<String>,
    pub object_kind: Option<String>,
    pub object_id: Option<i64>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    action: String,
    object_kind: String,
    object_id: Option<i64>,
    before: String,
    after: String,
    client_ip: String,
    at: i64,
}

impl Db {
    /// Newest first, `before_id` paging.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        before_id: Option<i64>,
        limit: u32,
    ) -> DbResult<Page<AuditEntry>> {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if filter.actor.is_some() {
            conditions.push(format!("l.actor_id = {}", next()));
        }
        if filter.action.is_some() {
            conditions.push(format!("l.action = {}", next()));
        }
        if filter.object_kind.is_some() {
            conditions.push(format!("l.object_kind = {}", next()));
        }
        if filter.object_id.is_some() {
            conditions.push(format!("l.object_id = {}", next()));
        }
        if filter.from.is_some() {
            conditions.push(format!("l.at >= {}", next()));
        }
        if filter.to.is_some() {
            conditions.push(format!("l.at < {}", next()));
        }
        let where_ = conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM audit_log l WHERE {where_}");
        let page_condition = if before_id.is_some() {
            format!(" AND l.id < {}", next())
        } else {
            String::new()
        };
        let limit_param = next();
        let list_sql = format!(
            "SELECT l.id, l.actor_id, a.display_name AS actor_name, l.action, l.object_kind, \
                 l.object_id, l.before, l.after, l.client_ip, l.at \
             FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id \
             WHERE {where_}{page_condition} ORDER BY l.id DESC LIMIT {limit_param}"
        );
        macro_rules! bind_filters {
            ($q:expr) => {{
                let mut q = $q;
                if let Some(a) = filter.actor {
                    q = q.bind(a.0);
                }
                if let Some(a) = &filter.action {
                    q = q.bind(a.clone());
                }
                if let Some(k) = &filter.object_kind {
                    q = q.bind(k.clone());
                }
                if let Some(o) = filter.object_id {
                    q = q.bind(o);
                }
                if let Some(f) = filter.from {
                    q = q.bind(f);
                }
                if let Some(t) = filter.to {
                    q = q.bind(t);
                }
                q
            }};
        }
        let total: i64 = bind_filters!(sqlx::query_scalar(&count_sql))
            .fetch_one(&self.pool)
            .await?;
        let mut q = bind_filters!(sqlx::query_as::<_, AuditRow>(&list_sql));
        if let Some(b) = before_id {
            q = q.bind(b);
        }
        let rows = q.bind(i64::from(limit) + 1).fetch_all(&self.pool).await?;
        let more = rows.len() > limit as usize;
        let items: Vec<AuditEntry> = rows
            .into_iter()
            .take(limit as usize)
            .map(|r| AuditEntry {
                id: r.id,
                actor_id: r.actor_id.map(AccountId),
                actor_name: r.actor_name,
                action: r.action,
                object_kind: r.object_kind,
                object_id: r.object_id,
                before: r.before,
                after: r.after,
                client_ip: r.client_ip,
                at: r.at,
            })
            .collect();
        let next_cursor = more
            .then(|| items.last().map(|e| e.id.to_string()))
            .flatten();
        Ok(Page {
            items,
            next_cursor,
            total,
        })
    }
}
