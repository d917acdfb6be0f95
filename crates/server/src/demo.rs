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
pub const ALL_TABLES: [&str; 57] = [
    "container_post_counts",
    "search_terms",
    "search_docs",
    "post_reports",
    "sensitive_words",
    "notification_outbox",
    "notification_settings",
    "notifications",
    "password_resets",
    "audit_log",
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
    "reading_checkins",
    "reading_group_members",
    "reading_plan",
    "reading_group_books",
    "reading_groups",
    "book_chapters",
    "books",
    "reading_periods",
    "duty_invitees",
    "duty_activities",
    "point_ledger",
    "point_rules",
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
    "rate_limits",
];

/// Erases every table and loads the demo data again.
pub async fn reset(db: &Db, cost: HashCost) -> anyhow::Result<()> {
    let mut tx = db.pool.begin().await?;
    for table in ALL_TABLES {
        // The default point rules come with the schema and stay; staff changes go.
        let sql = if table == "point_rules" {
            "DELETE FROM point_rules WHERE created_by IS NOT NULL".to_owned()
        } else {
            format!("DELETE FROM {table}")
        };
        sqlx::query(&sql).execute(&mut *tx).await?;
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
            &mut tx,
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
        &mut *db.pool.acquire().await?,
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

/// Demo stories for the follow-up areas, drawn from the seed reports (供水不畅, 建筑垃圾随意堆放,
/// 低保人员救助程序繁琐): a resolved micro-consultation, one being implemented, one gathering
/// opinions (members only), and a micro-suggestion being handled. Loaded by `serve --demo` on
/// an empty database (not by the test suite, whose scenarios start from empty areas).
pub async fn load_stories(db: &Db) -> anyhow::Result<()> {
    use crate::db::followup::{Change, Step};
    use crate::db::micro::RaisedBy;

    async fn account(db: &Db, username: &str) -> anyhow::Result<AccountId> {
        let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
            .bind(username)
            .fetch_one(&db.pool)
            .await
            .with_context(|| format!("demo account {username}"))?;
        Ok(AccountId(id))
    }
    let org = db.organisation().await?;
    let department = |name: &str| -> anyhow::Result<DepartmentId> {
        org.departments
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.id)
            .with_context(|| format!("demo department {name}"))
    };
    let workstation = |name: &str| -> Option<WorkstationId> {
        org.workstations
            .iter()
            .find(|w| w.name == name)
            .map(|w| w.id)
    };
    let staff = account(db, "admin").await?;
    let housing = department("市住房和城乡建设局")?;
    let civil = department("市民政局")?;
    let housing_official = account(db, "official1").await?;
    let civil_official = account(db, "official2").await?;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let due = |days: u64| crate::domain::calendar::format_date(today + chrono::Days::new(days));

    // 1. Resolved: a resident's water-supply problem.
    let water = db
        .raise_issue(
            RaisedBy::Resident {
                name: "赵女士",
                contact: "13845670000",
            },
            "光明社区3号楼供水不畅",
            "光明社区3号楼高层住户早晚用水高峰时段水压不足，经常停水，老人生活很不方便。",
            "向阳区光明社区3号楼",
            None,
        )
        .await?;
    let takers = vec![account(db, "member1").await?, account(db, "member2").await?];
    db.accept_issue(
        water,
        staff,
        &AcceptIssue {
            workstation_id: workstation("向阳区光明社区委员工作站"),
            members: takers.clone(),
            departments: vec![housing],
            visibility: Visibility::Public,
        },
    )
    .await?;
    db.micro_step(
        water,
        MicroState::Accepted,
        MicroState::Gathering,
        takers[0],
    )
    .await?;
    let meeting = Meeting {
        at: Some(crate::db::now_ms() - 20 * 86_400_000),
        place: "光明社区党群服务中心二楼".into(),
        participants: "委员2名、市住房和城乡建设局、供水公司、居民代表4名".into(),
        record: "供水公司说明3号楼二次供水泵房设备老化；各方同意更换水泵并调整高峰时段供水压力。"
            .into(),
    };
    db.save_meeting(water, MicroState::Gathering, &meeting, takers[0])
        .await?;
    let water_row = db.micro(water).await?.context("demo issue")?;
    db.publish_consensus(
        &water_row,
        &ConsensusInput {
            text: "更换3号楼二次供水设备，高峰时段加压供水。".into(),
            measures: vec![NewMeasure {
                text: "更换3号楼二次供水泵房水泵，并调整高峰时段供水压力。".into(),
                lead_department_id: housing,
                due_date: due(30),
            }],
        },
        staff,
    )
    .await?;
    db.micro_step(
        water,
        MicroState::ConsensusPublished,
        MicroState::InImplementation,
        staff,
    )
    .await?;
    for item in db.micro_measures(water).await? {
        db.follow_up_step(
            item.id,
            FollowUpState::Assigned,
            FollowUpState::Replied,
            Change::Reply {
                text: "已更换水泵两台，高峰时段水压恢复正常。",
                class: ResultClass::Solved,
            },
            Step {
                kind: TimelineKind::Replied,
                actor: Some(housing_official),
                text: "已更换水泵两台，高峰时段水压恢复正常。",
                result_class: Some(ResultClass::Solved),
                rating: None,
            },
        )
        .await?;
        let mut rated = Step::new(
            TimelineKind::Rated,
            staff,
            "回访赵女士：用水正常，表示满意。",
        );
        rated.rating = Some(Rating::Satisfied);
        db.follow_up_step(
            item.id,
            FollowUpState::Replied,
            FollowUpState::Rated,
            Change::Rating {
                rating: Rating::Satisfied,
                rehandle: false,
            },
            rated,
        )
        .await?;
        db.follow_up_step(
            item.id,
            FollowUpState::Rated,
            FollowUpState::Closed,
            Change::None,
            Step::new(TimelineKind::Closed, staff, ""),
        )
        .await?;
    }
    db.micro_step(
        water,
        MicroState::InImplementation,
        MicroState::Resolved,
        staff,
    )
    .await?;
    db.set_feedback(
        water,
        "回访赵女士：现在早晚用水正常，感谢政协委员和有关部门。",
    )
    .await?;
    db.micro_step(water, MicroState::Resolved, MicroState::Closed, staff)
        .await?;

    // 2. Being implemented: construction waste dumped by a road.
    let waste = db
        .raise_issue(
            RaisedBy::Member(account(db, "member31").await?),
            "名山镇村道旁建筑垃圾随意堆放",
            "名山镇通往江边的村道两侧堆放大量建筑垃圾，影响通行和环境。",
            "萝北县名山镇",
            None,
        )
        .await?;
    let waste_takers = vec![
        account(db, "member31").await?,
        account(db, "member32").await?,
    ];
    db.accept_issue(
        waste,
        staff,
        &AcceptIssue {
            workstation_id: workstation("萝北县名山镇委员工作站"),
            members: waste_takers.clone(),
            departments: vec![housing],
            visibility: Visibility::Public,
        },
    )
    .await?;
    db.micro_step(
        waste,
        MicroState::Accepted,
        MicroState::Gathering,
        waste_takers[0],
    )
    .await?;
    let waste_meeting = Meeting {
        at: Some(crate::db::now_ms() - 5 * 86_400_000),
        place: "名山镇委员工作站".into(),
        participants: "委员2名、市住房和城乡建设局、镇政府、村民代表3名".into(),
        record: "各方同意先清运现有垃圾，再设置临时消纳点并加强巡查。".into(),
    };
    db.save_meeting(
        waste,
        MicroState::Gathering,
        &waste_meeting,
        waste_takers[0],
    )
    .await?;
    let waste_row = db.micro(waste).await?.context("demo issue")?;
    db.publish_consensus(
        &waste_row,
        &ConsensusInput {
            text: "清运村道两侧建筑垃圾，设置临时消纳点，建立巡查制度。".into(),
            measures: vec![
                NewMeasure {
                    text: "清运村道两侧现有建筑垃圾。".into(),
                    lead_department_id: housing,
                    due_date: due(20),
                },
                NewMeasure {
                    text: "设置建筑垃圾临时消纳点并公布投放规定。".into(),
                    lead_department_id: housing,
                    due_date: due(60),
                },
            ],
        },
        staff,
    )
    .await?;
    db.micro_step(
        waste,
        MicroState::ConsensusPublished,
        MicroState::InImplementation,
        staff,
    )
    .await?;

    // 3. Gathering opinions (members only): a cumbersome relief procedure.
    let relief = db
        .raise_issue(
            RaisedBy::Member(account(db, "member36").await?),
            "低保人员临时救助申请程序繁琐",
            "困难群众申请临时救助需要在社区、街道、区民政部门之间多次往返提交材料。",
            "",
            None,
        )
        .await?;
    let relief_taker = account(db, "member36").await?;
    db.accept_issue(
        relief,
        staff,
        &AcceptIssue {
            workstation_id: None,
            members: vec![relief_taker],
            departments: vec![civil],
            visibility: Visibility::Members,
        },
    )
    .await?;
    db.micro_step(
        relief,
        MicroState::Accepted,
        MicroState::Gathering,
        relief_taker,
    )
    .await?;
    db.set_questionnaire(
        relief,
        &QuestionnaireInput {
            questions: vec![NewQuestion {
                text: "您认为临时救助申请最需要简化的环节是？".into(),
                multiple: true,
                options: vec!["证明材料".into(), "审批层级".into(), "办理时限".into()],
            }],
        },
    )
    .await?;
    let opinion = "建议推行“一窗受理、一次告知”，材料可由社区代为上传。";
    db.create_post(
        crate::db::posts::Container::micro(relief),
        &crate::db::posts::NewPostRecord {
            author: civil_official,
            kind: PostKind::Comment,
            body_md: opinion,
            body_html: &crate::markdown::render(opinion),
            parent_id: None,
            chapter_id: None,
            quote: None,
            root_id: None,
            depth: 0,
        },
    )
    .await?;

    // 4. Public, gathering opinions: an elderly-care centre (seed report 001).
    let care = db
        .raise_issue(
            RaisedBy::Member(account(db, "member5").await?),
            "曙北社区养老服务中心建设",
            "曙北社区60岁以上老人占四成，社区没有日间照料和助餐场所，建议利用闲置的社区用房建设养老服务中心，并增设机械停车位缓解停车难。",
            "向阳区曙北社区",
            None,
        )
        .await?;
    let care_taker = account(db, "member5").await?;
    db.accept_issue(
        care,
        staff,
        &AcceptIssue {
            workstation_id: None,
            members: vec![care_taker],
            departments: vec![civil],
            visibility: Visibility::Public,
        },
    )
    .await?;
    db.micro_step(
        care,
        MicroState::Accepted,
        MicroState::Gathering,
        care_taker,
    )
    .await?;

    crate::demo_reading::load(db, staff).await?;

    // A micro-suggestion being handled.
    let suggester = account(db, "member11").await?;
    let suggestion = db
        .create_suggestion(
            suggester,
            &NewSuggestion {
                title: "建议在学府路小学门口增设护学岗".into(),
                body: "上下学高峰时段学府路车流量大，学生过马路存在安全隐患。".into(),
                location: Some("工农区学府路小学".into()),
                public: true,
            },
        )
        .await?;
    if let Some(row) = db.suggestion(suggestion).await? {
        db.accept_suggestion(
            &row,
            staff,
            &Assignment {
                lead_department_id: housing,
                assisting: vec![],
                due_date: due(25),
            },
        )
        .await?;
    }
    Ok(())
}

/// Adds demo members up to `memberN` (the demo has 40) with the demo password, for load
/// benchmarks that need more concurrent members. Existing names are skipped. Like real
/// members, each belongs to a sector (taken in turn), so consultations can invite them.
pub async fn add_members(db: &Db, up_to: u32) -> anyhow::Result<u32> {
    let hash = password::hash(DEMO_PASSWORD.into(), HashCost::Cheap).await?;
    let sectors: Vec<i64> = sqlx::query_scalar("SELECT id FROM sectors ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let mut tx = db.begin_write().await?;
    let mut added = 0;
    for n in 1..=up_to {
        let username = format!("member{n}");
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
            .bind(&username)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            continue;
        }
        insert_account(
            &mut tx,
            &AccountRecord {
                username: &username,
                display_name: &format!("测试委员{n}"),
                role: Role::Member,
                phone: None,
                title: None,
                sector_id: (!sectors.is_empty())
                    .then(|| yishi_api::SectorId(sectors[n as usize % sectors.len()])),
                committee_id: None,
                department_id: None,
                workstation_id: None,
                password_hash: &hash,
                must_change_password: false,
            },
        )
        .await?;
        added += 1;
    }
    tx.commit().await?;
    Ok(added)
}
