//! Sectors, special committees, departments and workstations.

use super::{Db, DbResult};
use yishi_api::{Committee, Department, OrgKind, OrgUnit, Organisation, Sector, Workstation};
use yishi_api::{CommitteeId, DepartmentId, SectorId, WorkstationId};

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: i64,
    name: String,
    address: Option<String>,
}

fn table(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Sectors => "sectors",
        OrgKind::Committees => "committees",
        OrgKind::Departments => "departments",
        OrgKind::Workstations => "workstations",
    }
}

/// The account column that references a unit of this kind (used to refuse deleting used units).
fn account_column(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Sectors => "sector_id",
        OrgKind::Committees => "committee_id",
        OrgKind::Departments => "department_id",
        OrgKind::Workstations => "workstation_id",
    }
}

fn select_units(kind: OrgKind) -> String {
    let address = if kind == OrgKind::Workstations {
        "address"
    } else {
        "NULL AS address"
    };
    format!(
        "SELECT id, name, {address} FROM {} ORDER BY id",
        table(kind)
    )
}

impl Db {
    async fn units(&self, kind: OrgKind) -> DbResult<Vec<UnitRow>> {
        sqlx::query_as::<_, UnitRow>(&select_units(kind))
            .fetch_all(&self.pool)
            .await
    }

    pub async fn organisation(&self) -> DbResult<Organisation> {
        Ok(Organisation {
            sectors: self
                .units(OrgKind::Sectors)
                .await?
                .into_iter()
                .map(|r| Sector {
                    id: SectorId(r.id),
                    name: r.name,
                })
                .collect(),
            committees: self
                .units(OrgKind::Committees)
                .await?
                .into_iter()
                .map(|r| Committee {
                    id: CommitteeId(r.id),
                    name: r.name,
                })
                .collect(),
            departments: self
                .units(OrgKind::Departments)
                .await?
                .into_iter()
                .map(|r| Department {
                    id: DepartmentId(r.id),
                    name: r.name,
                })
                .collect(),
            workstations: self
                .units(OrgKind::Workstations)
                .await?
                .into_iter()
                .map(|r| Workstation {
                    id: WorkstationId(r.id),
                    name: r.name,
                    address: r.address.unwrap_or_default(),
                })
                .collect(),
        })
    }

    pub async fn create_org_unit(
        &self,
        kind: OrgKind,
        name: &str,
        address: &str,
    ) -> DbResult<OrgUnit> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = if kind == OrgKind::Workstations {
            sqlx::query_scalar(
                "INSERT INTO workstations (name, address) VALUES ($1, $2) RETURNING id",
            )
            .bind(name)
            .bind(address)
            .fetch_one(&mut *tx)
            .await?
        } else {
            sqlx::query_scalar(&format!(
                "INSERT INTO {} (name) VALUES ($1) RETURNING id",
                table(kind)
            ))
            .bind(name)
            .fetch_one(&mut *tx)
            .await?
        };
        super::audit::record(&mut tx, "org.create", table(kind), Some(id), "", name).await?;
        tx.commit().await?;
        Ok(OrgUnit {
            id,
            name: name.to_owned(),
            address: address_of(kind, address),
        })
    }

    /// Renames a unit; `Ok(None)` when it does not exist.
    pub async fn update_org_unit(
        &self,
        kind: OrgKind,
        id: i64,
        name: &str,
        address: &str,
    ) -> DbResult<Option<OrgUnit>> {
        let mut tx = self.pool.begin().await?;
        let done = if kind == OrgKind::Workstations {
            sqlx::query("UPDATE workstations SET name = $1, address = $2 WHERE id = $3")
                .bind(name)
                .bind(address)
                .bind(id)
                .execute(&mut *tx)
                .await?
        } else {
            sqlx::query(&format!(
                "UPDATE {} SET name = $1 WHERE id = $2",
                table(kind)
            ))
            .bind(name)
            .bind(id)
            .execute(&mut *tx)
            .await?
        };
        if done.rows_affected() == 1 {
            super::audit::record(&mut tx, "org.update", table(kind), Some(id), "", name).await?;
        }
        tx.commit().await?;
        Ok((done.rows_affected() == 1).then(|| OrgUnit {
            id,
            name: name.to_owned(),
            address: address_of(kind, address),
        }))
    }

    /// How many accounts reference the unit (deleting a used unit is refused).
    pub async fn org_unit_usage(&self, kind: OrgKind, id: i64) -> DbResult<i64> {
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM accounts WHERE {} = $1",
            account_column(kind)
        ))
        .bind(id)
        .fetch_one(&self.pool)
        .await
    }

    /// Deletes an unused unit; `false` when it did not exist.
    pub async fn delete_org_unit(&self, kind: OrgKind, id: i64) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(&format!("DELETE FROM {} WHERE id = $1", table(kind)))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            super::audit::record(&mut tx, "org.delete", table(kind), Some(id), "", "").await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn org_counts(&self) -> DbResult<(i64, i64)> {
        let sectors: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sectors")
            .fetch_one(&self.pool)
            .await?;
        let workstations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workstations")
            .fetch_one(&self.pool)
            .await?;
        Ok((sectors, workstations))
    }
}

fn address_of(kind: OrgKind, address: &str) -> Option<String> {
    (kind == OrgKind::Workstations).then(|| address.to_owned())
}
