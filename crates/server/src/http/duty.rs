//! Duty records (履职档案) over HTTP: a member's record (the member and staff only), the staff
//! overview with CSV export, point rules, and offline activities with leave and attendance.

use crate::auth::session::{AdminUser, AuthUser};
use crate::domain::accounts::{parse_long_text, parse_text};
use crate::domain::calendar::parse_date;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use std::collections::HashSet;
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/duty/rules", get(rules).post(add_rule))
        .route("/duty/activities", get(activities).post(create_activity))
        .route("/duty/activities/{id}", get(activity))
        .route("/duty/activities/{id}/attendance", put(record_attendance))
        .route("/duty/activities/{id}/leave", post(request_leave))
        .route("/duty/activities/{id}/leave/{account}", put(decide_leave))
        .route("/duty/my-activities", get(my_activities))
        .route("/duty/records/{account}", get(record))
        .route("/duty/overview", get(overview))
        .route("/duty/overview.csv", get(export))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Defaults to this year in the committee's time zone.
    pub year: Option<i32>,
}

async fn year_or_now(state: &AppState, year: Option<i32>) -> AppResult<i32> {
    use chrono::Datelike;
    match year {
        Some(y) if (2000..=2100).contains(&y) => Ok(y),
        Some(_) => Err(AppError::field("year", INVALID)),
        None => {
            let zone = state.db.time_zone().await?;
            Ok(crate::domain::calendar::local_date(zone, crate::db::now_ms()).year())
        }
    }
}

/// The rules, each source with every version and the date it took effect (staff).
#[utoipa::path(get, path = "/api/v1/duty/rules", tag = "duty",
    responses((status = 200, body = Vec<PointRule>), (status = 403, body = ApiError)))]
pub async fn rules(
    State(state): State<AppState>,
    _a: AdminUser,
) -> AppResult<Json<Vec<PointRule>>> {
    Ok(Json(state.db.point_rules().await?))
}

/// Staff change a source's points or cap from a date on; earlier rows keep their points.
#[utoipa::path(post, path = "/api/v1/duty/rules", tag = "duty", request_body = PointRuleInput,
    responses((status = 201, body = Vec<PointRule>), (status = 422, body = ApiError)))]
pub async fn add_rule(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(input): ApiJson<PointRuleInput>,
) -> AppResult<(StatusCode, Json<Vec<PointRule>>)> {
    let mut errors = FieldErrors::default();
    if !(-100..=100).contains(&input.points) {
        errors.add("points", INVALID);
    }
    if input.yearly_cap.is_some_and(|c| !(0..=1000).contains(&c)) {
        errors.add("yearly_cap", INVALID);
    }
    if parse_date(&input.effective_from).is_none() {
        errors.add("effective_from", INVALID);
    }
    errors.into_result()?;
    state.db.add_point_rule(&input, admin.id).await?;
    Ok((StatusCode::CREATED, Json(state.db.point_rules().await?)))
}

async fn load_activity(state: &AppState, id: i64) -> AppResult<DutyActivity> {
    state.db.activity(id).await?.ok_or_else(AppError::not_found)
}

/// A year's activities, newest first, with who is expected, leave and attendance (staff).
#[utoipa::path(get, path = "/api/v1/duty/activities", tag = "duty", params(YearQuery),
    responses((status = 200, body = Vec<DutyActivity>), (status = 403, body = ApiError)))]
pub async fn activities(
    State(state): State<AppState>,
    _a: AdminUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> AppResult<Json<Vec<DutyActivity>>> {
    let year = year_or_now(&state, q.year).await?;
    Ok(Json(state.db.activities(year).await?))
}

/// Staff record an offline duty (plenary session, meeting, inspection, survey, training,
/// other) and the members expected at it (every active member when none are named).
#[utoipa::path(post, path = "/api/v1/duty/activities", tag = "duty", request_body = ActivityInput,
    responses((status = 201, body = DutyActivity), (status = 422, body = ApiError)))]
pub async fn create_activity(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(input): ApiJson<ActivityInput>,
) -> AppResult<(StatusCode, Json<DutyActivity>)> {
    let mut errors = FieldErrors::default();
    let title = parse_text(&input.title, 100).unwrap_or_else(|p| {
        errors.add("title", p);
        String::new()
    });
    if parse_date(&input.held_on).is_none() {
        errors.add("held_on", INVALID);
    }
    if !(1..=20).contains(&input.half_days) {
        errors.add("half_days", INVALID);
    }
    if input.invitee_ids.len() > 5_000 {
        errors.add("invitee_ids", TOO_LONG);
    }
    errors.into_result()?;
    let members: HashSet<AccountId> = state.db.active_member_ids().await?.into_iter().collect();
    let invitees: Vec<AccountId> = if input.invitee_ids.is_empty() {
        let mut all: Vec<AccountId> = members.iter().copied().collect();
        all.sort();
        all
    } else {
        let chosen: HashSet<AccountId> = input.invitee_ids.iter().copied().collect();
        if !chosen.is_subset(&members) {
            return Err(AppError::field("invitee_ids", UNKNOWN));
        }
        let mut chosen: Vec<AccountId> = chosen.into_iter().collect();
        chosen.sort();
        chosen
    };
    let id = state
        .db
        .create_activity(&ActivityInput { title, ..input }, &invitees, admin.id)
        .await?;
    let created = load_activity(&state, id).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/api/v1/duty/activities/{id}", tag = "duty", params(("id" = i64, Path)),
    responses((status = 200, body = DutyActivity), (status = 404, body = ApiError)))]
pub async fn activity(
    State(state): State<AppState>,
    _a: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<DutyActivity>> {
    Ok(Json(load_activity(&state, id).await?))
}

/// Staff tick who attended, for many members at once; everyone else expected scores as
/// approved leave or unexcused absence. Sent again, it corrects: points that no longer hold
/// are reversed with compensating rows.
#[utoipa::path(put, path = "/api/v1/duty/activities/{id}/attendance", tag = "duty", request_body = AttendanceInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = DutyActivity), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn record_attendance(
    State(state): State<AppState>,
    _a: AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> AppResult<Json<DutyActivity>> {
    let current = load_activity(&state, id).await?;
    let expected: HashSet<AccountId> = current.invitees.iter().map(|i| i.id).collect();
    if input.attended.len() > 5_000 || !input.attended.iter().all(|a| expected.contains(a)) {
        return Err(AppError::field("attended", UNKNOWN));
    }
    state
        .db
        .record_activity_attendance(id, &input.attended)
        .await?;
    Ok(Json(load_activity(&state, id).await?))
}

/// A member expected at an activity asks for leave (请假) with a reason, until attendance is
/// recorded.
#[utoipa::path(post, path = "/api/v1/duty/activities/{id}/leave", tag = "duty", request_body = LeaveRequest,
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ExpectedActivity>), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn request_leave(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LeaveRequest>,
) -> AppResult<Json<Vec<ExpectedActivity>>> {
    let reason = parse_long_text(&body.reason, MAX_LEAVE_REASON_CHARS)
        .map_err(|p| AppError::field("reason", p))?;
    let Some((recorded, leave)) = state.db.invitee(id, user.id).await? else {
        return Err(AppError::not_found());
    };
    if recorded || leave == Some(LeaveState::Approved) {
        return Err(AppError::conflict(
            codes::INVALID_TRANSITION,
            "Leave can be asked for until attendance is recorded.",
        ));
    }
    state.db.request_leave(id, user.id, &reason).await?;
    Ok(Json(state.db.expected_activities(user.id).await?))
}

/// Staff approve or refuse a leave request; after attendance is recorded the member's
/// points follow the decision.
#[utoipa::path(put, path = "/api/v1/duty/activities/{id}/leave/{account}", tag = "duty", request_body = LeaveDecision,
    params(("id" = i64, Path), ("account" = i64, Path)),
    responses((status = 200, body = DutyActivity), (status = 404, body = ApiError)))]
pub async fn decide_leave(
    State(state): State<AppState>,
    _a: AdminUser,
    ApiPath((id, account)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<LeaveDecision>,
) -> AppResult<Json<DutyActivity>> {
    if !state
        .db
        .decide_leave(id, AccountId(account), body.approve)
        .await?
    {
        return Err(AppError::not_found());
    }
    Ok(Json(load_activity(&state, id).await?))
}

/// The activities the signed-in member is expected at, with leave and attendance.
#[utoipa::path(get, path = "/api/v1/duty/my-activities", tag = "duty",
    responses((status = 200, body = Vec<ExpectedActivity>), (status = 401, body = ApiError)))]
pub async fn my_activities(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<Vec<ExpectedActivity>>> {
    Ok(Json(state.db.expected_activities(user.id).await?))
}

/// A member's record for a year: total, grade, breakdown by category and every ledger row.
/// Only the member and staff see it (404 for anyone else).
#[utoipa::path(get, path = "/api/v1/duty/records/{account}", tag = "duty", params(("account" = i64, Path), YearQuery),
    responses((status = 200, body = DutyRecord), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn record(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(account): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> AppResult<Json<DutyRecord>> {
    if !(user.is_admin() || user.id.0 == account) {
        return Err(AppError::not_found());
    }
    let year = year_or_now(&state, q.year).await?;
    let summary = state
        .db
        .duty_summary(AccountId(account), year)
        .await?
        .ok_or_else(AppError::not_found)?;
    let rows = state.db.ledger(AccountId(account), year).await?;
    let by_category = DutyCategory::ALL
        .iter()
        .map(|c| CategoryTotal {
            category: *c,
            points: rows
                .iter()
                .filter(|r| r.category == *c)
                .map(|r| r.points)
                .sum(),
        })
        .collect();
    Ok(Json(DutyRecord {
        member: summary.member,
        sector: summary.sector,
        committee: summary.committee,
        year,
        total: summary.total,
        grade: summary.grade,
        by_category,
        rows,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    pub year: Option<i32>,
    pub sector: Option<i64>,
    pub committee: Option<i64>,
    /// `total` (highest first, the default) or `name`.
    pub sort: Option<String>,
}

async fn overview_rows(state: &AppState, q: &OverviewQuery) -> AppResult<(i32, Vec<DutySummary>)> {
    let year = year_or_now(state, q.year).await?;
    let mut rows: Vec<DutySummary> = state
        .db
        .duty_totals(year)
        .await?
        .into_iter()
        .filter(|(_, sector, committee)| {
            q.sector.is_none_or(|s| *sector == Some(s))
                && q.committee.is_none_or(|c| *committee == Some(c))
        })
        .map(|(s, _, _)| s)
        .collect();
    match q.sort.as_deref() {
        None | Some("total") => {
            rows.sort_by(|a, b| b.total.cmp(&a.total).then(a.member.id.cmp(&b.member.id)))
        }
        Some("name") => rows.sort_by(|a, b| a.member.name.cmp(&b.member.name)),
        Some(_) => return Err(AppError::field("sort", INVALID)),
    }
    Ok((year, rows))
}

/// Every active member's total and grade for a year, filtered by sector or committee (staff).
#[utoipa::path(get, path = "/api/v1/duty/overview", tag = "duty", params(OverviewQuery),
    responses((status = 200, body = Vec<DutySummary>), (status = 403, body = ApiError)))]
pub async fn overview(
    State(state): State<AppState>,
    _a: AdminUser,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> AppResult<Json<Vec<DutySummary>>> {
    Ok(Json(overview_rows(&state, &q).await?.1))
}

fn grade_zh(g: DutyGrade) -> &'static str {
    match g {
        DutyGrade::Excellent => "优秀",
        DutyGrade::Good => "良好",
        DutyGrade::Competent => "称职",
        DutyGrade::NotCompetent => "不称职",
    }
}

/// The overview as CSV (UTF-8 with a byte-order mark, for Excel).
#[utoipa::path(get, path = "/api/v1/duty/overview.csv", tag = "duty", params(OverviewQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ApiError)))]
pub async fn export(
    State(state): State<AppState>,
    _a: AdminUser,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> AppResult<Response> {
    let (year, rows) = overview_rows(&state, &q).await?;
    let failed = |_| AppError::Internal(anyhow::anyhow!("writing CSV failed"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["姓名", "界别", "专委会", "年度", "积分", "等次"])
        .map_err(failed)?;
    for r in &rows {
        out.write_record([
            super::followup::spreadsheet_safe(&r.member.name),
            r.sector.clone().unwrap_or_default(),
            r.committee.clone().unwrap_or_default(),
            year.to_string(),
            r.total.to_string(),
            grade_zh(r.grade).to_owned(),
        ])
        .map_err(failed)?;
    }
    super::followup::csv_download(out, &format!("duty-records-{year}.csv"))
}
