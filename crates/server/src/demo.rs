//! Demo data (realistic Chinese content from the seed reports), loaded only into an empty
//! database, and the reset command.

use crate::auth::password;
use crate::config::HashCost;
use crate::db::accounts::{insert_account, AccountRecord};
use crate::db::settings::{COMMITTEE_NAME, FOOTER_TEXT, TIME_ZONE};
use crate::db::Db;
use anyhow::Context;
use serde::Deserialize;
use std::collections::HashMap;
use yishi_api::*;

const DEMO_JSON: &str = include_str!("../demo/demo.json");

/// Passwords of the demo accounts (documented in the README; demo databases only).
pub const DEMO_ADMIN_PASSWORD: &str = "yishi-admin-2026";
pub const DEMO_PASSWORD: &str = "yishi-demo-2026";

#[derive(Deserialize)]
struct Demo {
    settings: DemoSettings,
    sectors: Vec<String>,
    committees: Vec<String>,
    departments: Vec<String>,
    workstations: Vec<DemoWorkstation>,
    accounts: Vec<DemoAccount>,
}

#[derive(Deserialize)]
struct DemoSettings {
    committee_name: String,
    footer_text: String,
}

#[derive(Deserialize)]
struct DemoWorkstation {
    name: String,
    address: String,
}

#[derive(Deserialize)]
struct DemoAccount {
    username: String,
    display_name: String,
    role: Role,
    phone: Option<String>,
    title: Option<String>,
    sector: Option<String>,
    committee: Option<String>,
    workstation: Option<String>,
    department: Option<String>,
}

/// Loads the demo data if no account exists yet. Returns whether it loaded.
pub async fn load_if_empty(db: &Db, cost: HashCost) -> anyhow::Result<bool> {
    if db.count_accounts().await? > 0 {
        return Ok(false);
    }
    load(db, cost).await?;
    Ok(true)
}

/// Every table, children before the tables they refer to (migrations add theirs here).
pub const ALL_TABLES: [&str; 34] = [
    "micro_measures",
    "micro_answers",
    "micro_respondents",
    "micro_options",
    "micro_questions",
    "micro_transitions",
    "micro_departments",
    "micro_members",
    "micro_consultations",
    "photos",
    "follow_up_timeline",
    "follow_up_assisting",
    "follow_ups",
    "suggestions",
    "calendar_days",
    "attachments",
    "recommendations",
    "consultation_minutes",
    "consultation_attendance",
    "speeches",
    "post_likes",
    "posts",
    "consultation_transitions",
    "consultation_departments",
    "consultation_invitations",
    "consultations",
    "events",
    "sessions",
    "accounts",
    "sectors",
    "committees",
    "departments",
    "workstations",
    "settings",
];

/// Erases every table and loads the demo data again.
pub async fn reset(db: &Db, cost: HashCost) -> anyhow::Result<()> {
    let mut tx = db.pool.begin().await?;
    for table in ALL_TABLES {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    load(db, cost).await
}

async fn load(db: &Db, cost: HashCost) -> anyhow::Result<()> {
    let demo: Demo = serde_json::from_str(DEMO_JSON).context("demo.json")?;
    // One hash per distinct password keeps loading fast with production-strength hashing.
    let admin_hash = password::hash(DEMO_ADMIN_PASSWORD.into(), cost).await?;
    let member_hash = password::hash(DEMO_PASSWORD.into(), cost).await?;

    db.set_setting(COMMITTEE_NAME, &demo.settings.committee_name)
        .await?;
    db.set_setting(FOOTER_TEXT, &demo.settings.footer_text)
        .await?;
    db.set_setting(TIME_ZONE, crate::http::site::DEFAULT_TIME_ZONE)
        .await?;

    let mut ids: HashMap<(OrgKind, String), i64> = HashMap::new();
    for (kind, names) in [
        (OrgKind::Sectors, &demo.sectors),
        (OrgKind::Committees, &demo.committees),
        (OrgKind::Departments, &demo.departments),
    ] {
        for name in names {
            let unit = db.create_org_unit(kind, name, "").await?;
            ids.insert((kind, name.clone()), unit.id);
        }
    }
    for w in &demo.workstations {
        let unit = db
            .create_org_unit(OrgKind::Workstations, &w.name, &w.address)
            .await?;
        ids.insert((OrgKind::Workstations, w.name.clone()), unit.id);
    }
    let find = |kind: OrgKind, name: &Option<String>| -> anyhow::Result<Option<i64>> {
        name.as_ref()
            .map(|n| {
                ids.get(&(kind, n.clone()))
                    .copied()
                    .with_context(|| format!("demo.json names unknown unit {n}"))
            })
            .transpose()
    };

    let mut tx = db.pool.begin().await?;
    for a in &demo.accounts {
        let hash = if a.role == Role::Admin {
            &admin_hash
        } else {
            &member_hash
        };
        insert_account(
            &mut *tx,
            &AccountRecord {
                username: &a.username,
                display_name: &a.display_name,
                role: a.role,
                phone: a.phone.as_deref(),
                title: a.title.as_deref(),
                sector_id: find(OrgKind::Sectors, &a.sector)?.map(SectorId),
                committee_id: find(OrgKind::Committees, &a.committee)?.map(CommitteeId),
                department_id: find(OrgKind::Departments, &a.department)?.map(DepartmentId),
                workstation_id: find(OrgKind::Workstations, &a.workstation)?.map(WorkstationId),
                password_hash: hash,
                // Demo accounts are ready to use; real accounts get one-time passwords.
                must_change_password: false,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub fn print_accounts() {
    println!("Demo accounts:");
    println!("  admin      / {DEMO_ADMIN_PASSWORD}   (committee office staff)");
    println!("  member1..member40 / {DEMO_PASSWORD}   (members)");
    println!("  official1..official3 / {DEMO_PASSWORD}   (department officials)");
}

/// Creates an admin with a one-time password (for a fresh production database).
pub async fn create_admin(db: &Db, username: &str, name: &str) -> anyhow::Result<String> {
    let username = crate::domain::accounts::parse_username(username)
        .map_err(|p| anyhow::anyhow!("username: {p}"))?;
    let one_time = password::generate_one_time();
    let hash = password::hash(one_time.clone(), HashCost::Default).await?;
    insert_account(
        &db.pool,
        &AccountRecord {
            username: &username,
            display_name: name,
            role: Role::Admin,
            phone: None,
            title: None,
            sector_id: None,
            committee_id: None,
            department_id: None,
            workstation_id: None,
            password_hash: &hash,
            must_change_password: true,
        },
    )
    .await?;
    Ok(one_time)
}
