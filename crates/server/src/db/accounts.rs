//! Accounts: sign-in lookups, profiles, the admin's list and edits.

use super::{now_ms, Db, DbResult};
use yishi_api::*;

/// What sign-in needs to know about an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    /// 0/1 flag (see the migration).
    pub active: i64,
}

#[derive(sqlx::FromRow)]
struct MeRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    must_change_password: i64,
    department_id: Option<i64>,
    suspended_until: Option<i64>,
    suspension_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    phone: Option<String>,
    title: Option<String>,
    sector_id: Option<i64>,
    committee_id: Option<i64>,
    department_id: Option<i64>,
    workstation_id: Option<i64>,
    active: i64,
    must_change_password: i64,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: i64,
    display_name: String,
    role: String,
    title: Option<String>,
    sector: Option<String>,
    committee: Option<String>,
    workstation: Option<String>,
    department: Option<String>,
}

/// The role column only ever holds the three names (CHECK constraint); anything else is a
/// corrupted row and is reported as a decode error rather than guessed.
fn role(s: &str) -> DbResult<Role> {
    Role::parse(s).ok_or_else(|| sqlx::Error::Decode(format!("unknown role {s:?}").into()))
}

impl SummaryRow {
    fn into_api(self) -> DbResult<AccountSummary> {
        Ok(AccountSummary {
            id: AccountId(self.id),
            role: role(&self.role)?,
            username: self.username,
            display_name: self.display_name,
            phone: self.phone,
            title: self.title,
            sector_id: self.sector_id.map(SectorId),
            committee_id: self.committee_id.map(CommitteeId),
            department_id: self.department_id.map(DepartmentId),
            workstation_id: self.workstation_id.map(WorkstationId),
            active: self.active != 0,
            must_change_password: self.must_change_password != 0,
            created_at: self.created_at,
        })
    }
}

const SUMMARY_COLUMNS: &str = "id, username, display_name, role, phone, title, sector_id, \
     committee_id, department_id, workstation_id, active, must_change_password, created_at";

/// Filters for the admin's account list.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    /// Matches username, name or phone (substring, case-insensitive).
    pub query: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// A new account row; the password is already hashed.
pub struct AccountRecord<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub phone: Option<&'a str>,
    pub title: Option<&'a str>,
    pub sector_id: Option<SectorId>,
    pub committee_id: Option<CommitteeId>,
    pub department_id: Option<DepartmentId>,
    pub workstation_id: Option<WorkstationId>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// Escapes LIKE wildcards so a search for "50%" means the text "50%".
fn like_pattern(q: &str) -> String {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Inserts an account (audited) inside the caller's transaction.
pub async fn insert_account(
    conn: &mut sqlx::AnyConnection,
    record: &AccountRecord<'_>,
) -> DbResult<i64> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (username, display_name, role, phone, title, sector_id, \
             committee_id, department_id, workstation_id, password_hash, must_change_password, \
             active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12) RETURNING id",
    )
    .bind(record.username)
    .bind(record.display_name)
    .bind(record.role.as_str())
    .bind(record.phone)
    .bind(record.title)
    .bind(record.sector_id.map(|i| i.0))
    .bind(record.committee_id.map(|i| i.0))
    .bind(record.department_id.map(|i| i.0))
    .bind(record.workstation_id.map(|i| i.0))
    .bind(record.password_hash)
    .bind(i64::from(record.must_change_password))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    super::audit::record(
        conn,
        "account.create",
        "account",
        Some(id),
        "",
        &format!(
            "{} {} {}",
            record.username,
            record.display_name,
            record.role.as_str()
        ),
    )
    .await?;
    Ok(id)
}

impl Db {
    /// Finds an account by username or phone number.
    pub async fn credentials(&self, login: &str) -> DbResult<Option<Credentials>> {
        sqlx::query_as::<_, Credentials>(
            "SELECT id, password_hash, active FROM accounts WHERE username = $1 OR phone = $1 \
             ORDER BY id LIMIT 1",
        )
        .bind(login)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn password_hash(&self, id: AccountId) -> DbResult<Option<String>> {
        sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn me(&self, id: AccountId) -> DbResult<Option<Me>> {
        let row = sqlx::query_as::<_, MeRow>(
            "SELECT id, username, display_name, role, must_change_password, department_id, \
                 suspended_until, suspension_reason FROM accounts WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Me {
                id: AccountId(r.id),
                role: role(&r.role)?,
                username: r.username,
                display_name: r.display_name,
                must_change_password: r.must_change_password != 0,
                department_id: r.department_id.map(DepartmentId),
                suspension: match (r.suspended_until, r.suspension_reason) {
                    (Some(until), Some(reason)) if until > super::now_ms() => {
                        Some(Suspension { until, reason })
                    }
                    _ => None,
                },
            })
        })
        .transpose()
    }

    pub async fn profile(&self, id: AccountId) -> DbResult<Option<MemberProfile>> {
        let row = sqlx::query_as::<_, ProfileRow>(
            "SELECT a.id, a.display_name, a.role, a.title, s.name AS sector, \
                    c.name AS committee, w.name AS workstation, d.name AS department \
             FROM accounts a \
             LEFT JOIN sectors s ON s.id = a.sector_id \
             LEFT JOIN committees c ON c.id = a.committee_id \
             LEFT JOIN workstations w ON w.id = a.workstation_id \
             LEFT JOIN departments d ON d.id = a.department_id \
             WHERE a.id = $1 AND a.active = 1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(MemberProfile {
                id: AccountId(r.id),
                role: role(&r.role)?,
                display_name: r.display_name,
                title: r.title,
                sector: r.sector,
                committee: r.committee,
                workstation: r.workstation,
                department: r.department,
            })
        })
        .transpose()
    }

    pub async fn account_summary(&self, id: AccountId) -> DbResult<Option<AccountSummary>> {
        let row = sqlx::query_as::<_, SummaryRow>(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM accounts WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(SummaryRow::into_api).transpose()
    }

    /// One page of accounts in id order after `after_id`, plus the total matching.
    pub async fn list_accounts(
        &self,
        filter: &AccountFilter,
        after_id: i64,
        limit: u32,
    ) -> DbResult<(Vec<AccountSummary>, i64)> {
        // Each filter is a fixed clause; absent filters bind NULL and drop out.
        let clauses = "($1 IS NULL OR LOWER(username) LIKE $1 ESCAPE '\\' \
                OR LOWER(display_name) LIKE $1 ESCAPE '\\' OR phone LIKE $1 ESCAPE '\\') \
             AND ($2 IS NULL OR role = $2) \
             AND ($3 IS NULL OR active = $3)";
        let pattern = filter
            .query
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .map(like_pattern);
        let role = filter.role.map(|r| r.as_str());
        let active = filter.active.map(i64::from);
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM accounts WHERE {clauses}"))
                .bind(pattern.clone())
                .bind(role)
                .bind(active)
                .fetch_one(&self.pool)
                .await?;
        let rows = sqlx::query_as::<_, SummaryRow>(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM accounts WHERE {clauses} AND id > $4 \
             ORDER BY id LIMIT $5"
        ))
        .bind(pattern)
        .bind(role)
        .bind(active)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(SummaryRow::into_api)
            .collect::<DbResult<Vec<_>>>()?;
        Ok((items, total))
    }

    pub async fn username_taken(&self, username: &str) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Whether another account (not `except`) already uses this phone number.
    pub async fn phone_taken(&self, phone: &str, except: Option<AccountId>) -> DbResult<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE phone = $1 AND id <> $2")
                .bind(phone)
                .bind(except.map_or(0, |a| a.0))
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }

    /// Applies an admin's edit; `false` when the account does not exist.
    pub async fn update_account(&self, id: AccountId, edit: &UpdateAccount) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let before: Option<(String, String, i64)> =
            sqlx::query_as("SELECT display_name, role, active FROM accounts WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let done = sqlx::query(
            "UPDATE accounts SET display_name = $1, role = $2, phone = $3, title = $4, \
                 sector_id = $5, committee_id = $6, department_id = $7, workstation_id = $8, \
                 active = $9, updated_at = $10 \
             WHERE id = $11",
        )
        .bind(&edit.display_name)
        .bind(edit.role.as_str())
        .bind(edit.phone.as_deref())
        .bind(edit.title.as_deref())
        .bind(edit.sector_id.map(|i| i.0))
        .bind(edit.committee_id.map(|i| i.0))
        .bind(edit.department_id.map(|i| i.0))
        .bind(edit.workstation_id.map(|i| i.0))
        .bind(i64::from(edit.active))
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if let Some((name, role, active)) = before {
            let describe = |name: &str, role: &str, active: bool| {
                format!(
                    "{name} {role} {}",
                    if active { "active" } else { "inactive" }
                )
            };
            super::audit::record(
                &mut tx,
                "account.update",
                "account",
                Some(id.0),
                &describe(&name, &role, active != 0),
                &describe(&edit.display_name, edit.role.as_str(), edit.active),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces the password hash and ends every session of the account, in one transaction.
    pub async fn set_password(
        &self,
        id: AccountId,
        password_hash: &str,
        must_change: bool,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE accounts SET password_hash = $1, must_change_password = $2, updated_at = $3 \
             WHERE id = $4",
        )
        .bind(password_hash)
        .bind(i64::from(must_change))
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        // Any other reset link still out there stops working.
        sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL",
        )
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            super::audit::record(
                &mut tx,
                "account.password",
                "account",
                Some(id.0),
                "",
                if must_change {
                    "one-time password"
                } else {
                    "new password"
                },
            )
            .await?;
            super::events::append(
                &mut tx,
                self.engine,
                Topic::User(id),
                &EventKind::SessionsEnded,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn count_active_members(&self) -> DbResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE role = 'member' AND active = 1")
            .fetch_one(&self.pool)
            .await
    }

    pub async fn count_accounts(&self) -> DbResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await
    }
}

impl Db {
    /// Every username and phone in use, for checking an import file in one pass.
    pub async fn taken_logins(
        &self,
    ) -> DbResult<(
        std::collections::HashSet<String>,
        std::collections::HashSet<String>,
    )> {
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT username, phone FROM accounts")
                .fetch_all(&self.pool)
                .await?;
        let mut usernames = std::collections::HashSet::with_capacity(rows.len());
        let mut phones = std::collections::HashSet::new();
        for (u, p) in rows {
            usernames.insert(u);
            phones.extend(p);
        }
        Ok((usernames, phones))
    }
}
