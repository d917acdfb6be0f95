//! The follow-up loop over HTTP: lists (department inbox, staff overview, My activity), an
//! item with its timeline, the steps, per-department statistics and the CSV export.

use crate::auth::session::{AdminUser, AuthUser};
use crate::db::followup::{Change, FollowUpFilter, FollowUpRow, FollowUpScope, Step};
use crate::db::photos::PhotoOwner;
use crate::domain::accounts::parse_long_text;
use crate::domain::calendar::{self, Calendar};
use crate::domain::followup as rules;
use crate::error::{AppError, AppResult};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::http::pagination::{next_cursor, PageQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/follow-ups", get(list))
        .route("/follow-ups/stats", get(stats))
        .route("/follow-ups/export", get(export))
        .route("/follow-ups/{id}", get(detail))
        .route("/follow-ups/{id}/accept", post(accept))
        .route("/follow-ups/{id}/give-back", post(give_back))
        .route("/follow-ups/{id}/notes", post(note))
        .route("/follow-ups/{id}/reply", post(reply))
        .route("/follow-ups/{id}/rating", post(rate))
        .route("/follow-ups/{id}/reassign", post(reassign))
        .route("/follow-ups/{id}/close", post(close))
}

/// The committee's calendar and today's local date: the clock every rule here reads.
pub struct Today {
    pub calendar: Calendar,
    pub date: NaiveDate,
}

impl Today {
    pub async fn load(state: &AppState) -> AppResult<Today> {
        let zone = state.db.time_zone().await?;
        Ok(Today {
            calendar: state.db.calendar().await?,
            date: calendar::local_date(zone, crate::db::now_ms()),
        })
    }

    pub fn text(&self) -> String {
        calendar::format_date(self.date)
    }
}

fn scope_of(user: &AuthUser) -> AppResult<FollowUpScope> {
    match (user.role, user.department_id) {
        (Role::Admin, _) => Ok(FollowUpScope::Staff),
        (Role::Official, Some(d)) => Ok(FollowUpScope::Department(d)),
        (Role::Official, None) => Err(AppError::forbidden()),
        (Role::Member, _) => Ok(FollowUpScope::Requester(user.id)),
    }
}

/// An item the user may see, with what permissions depend on.
pub struct Loaded {
    pub row: FollowUpRow,
    pub assisting: Vec<DepartmentRef>,
    pub facts: rules::Facts,
    pub today: Today,
}

pub async fn load(state: &AppState, user: &AuthUser, id: i64) -> AppResult<Loaded> {
    let row = state
        .db
        .follow_up(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let assisting = state.db.assisting(id).await?;
    let today = Today::load(state).await?;
    let zone = state.db.time_zone().await?;
    let assigned_on = calendar::local_date(zone, row.assigned_at);
    let facts = rules::Facts {
        state: row.state()?,
        lead_department: row.lead_department_id,
        assisting: assisting.iter().map(|d| d.id.0).collect(),
        requester: row.requester_id,
        rehandled: row.rehandled == 1,
        return_deadline: today
            .calendar
            .add_working_days(assigned_on, RETURN_WINDOW_WORKING_DAYS),
        today: today.date,
    };
    if !rules::may_see(user, &facts) {
        // Not found rather than forbidden: other departments do not learn what exists.
        return Err(AppError::not_found());
    }
    Ok(Loaded {
        row,
        assisting,
        facts,
        today,
    })
}

async fn detail_of(state: &AppState, user: &AuthUser, l: Loaded) -> AppResult<FollowUpDetail> {
    let timeline = state.db.timeline(l.row.id).await?;
    Ok(FollowUpDetail {
        summary: l.row.summary(&l.today.text())?,
        body: l.row.body.clone(),
        assisting: l.assisting.clone(),
        requester_name: l.row.requester_name.clone(),
        source_id: l.row.source_id,
        return_deadline: calendar::format_date(l.facts.return_deadline),
        rehandled: l.facts.rehandled,
        reply: l.row.reply.clone(),
        result_class: l.row.result_class.as_deref().and_then(ResultClass::parse),
        timeline,
        photos: state.db.photos(PhotoOwner::FollowUp(l.row.id)).await?,
        source_photos: if l.row.source_kind == FollowUpSource::MicroSuggestion.as_str() {
            state
                .db
                .photos(PhotoOwner::Suggestion(l.row.source_id))
                .await?
        } else {
            Vec::new()
        },
        actions: rules::actions(user, &l.facts),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FollowUpListQuery {
    pub state: Option<FollowUpState>,
    /// Only items past their due date and not replied.
    pub overdue: Option<bool>,
    pub department: Option<i64>,
    pub source: Option<FollowUpSource>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl FollowUpListQuery {
    fn filter(&self, today: &Today) -> FollowUpFilter {
        FollowUpFilter {
            state: self.state,
            overdue_on: self.overdue.unwrap_or(false).then(|| today.text()),
            department: self.department.map(DepartmentId),
            source: self.source,
        }
    }
}

/// Officials: their department's items (lead or assisting); staff: every item; members: the
/// items whose results they rate. Newest first.
#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "follow-up", params(FollowUpListQuery),
    responses((status = 200, body = FollowUpPage), (status = 401, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(query): ApiQuery<FollowUpListQuery>,
) -> AppResult<Json<FollowUpPage>> {
    let scope = scope_of(&user)?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor.clone(),
    };
    let limit = page.limit()?;
    let before = page.before()?;
    let today = Today::load(&state).await?;
    let (rows, total) = state
        .db
        .list_follow_ups(scope, &query.filter(&today), before, Some(limit))
        .await?;
    let items = rows
        .iter()
        .map(|r| r.summary(&today.text()))
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = next_cursor(&items, limit, |i| i.id);
    Ok(Json(Page {
        items,
        next_cursor,
        total,
    }))
}

#[utoipa::path(get, path = "/api/v1/follow-ups/{id}", tag = "follow-up", params(("id" = i64, Path)),
    responses((status = 200, body = FollowUpDetail), (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    Ok(Json(detail_of(&state, &user, l).await?))
}

fn refused(what: &str) -> AppError {
    AppError::conflict(
        codes::INVALID_TRANSITION,
        format!("This item cannot be {what} now."),
    )
}

/// 403 when `user` may never take the action `pick` selects, 409 when not in this state.
fn check(
    user: &AuthUser,
    l: &Loaded,
    pick: fn(&FollowUpActions) -> bool,
    what: &str,
) -> AppResult<()> {
    if !pick(&rules::roles(user, &l.facts)) {
        return Err(AppError::forbidden());
    }
    if !pick(&rules::actions(user, &l.facts)) {
        return Err(refused(what));
    }
    Ok(())
}

/// Runs one step if `user` may take the action `pick` selects now, then answers with the
/// item as it now is.
async fn step(
    state: &AppState,
    user: &AuthUser,
    l: Loaded,
    pick: fn(&FollowUpActions) -> bool,
    to: FollowUpState,
    change: Change<'_>,
    entry: Step<'_>,
) -> AppResult<Json<FollowUpDetail>> {
    check(user, &l, pick, "changed this way")?;
    let id = l.row.id;
    if !state
        .db
        .follow_up_step(id, l.facts.state, to, change, entry)
        .await?
    {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "Someone else changed this item first; reload.",
        ));
    }
    let l = load(state, user, id).await?;
    Ok(Json(detail_of(state, user, l).await?))
}

/// The lead department takes the item into handling (签收).
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/accept", tag = "follow-up", params(("id" = i64, Path)),
    responses((status = 200, body = FollowUpDetail), (status = 409, body = ApiError)))]
pub async fn accept(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    step(
        &state,
        &user,
        l,
        |a| a.accept,
        FollowUpState::InHandling,
        Change::None,
        Step::new(TimelineKind::Accepted, user.id, ""),
    )
    .await
}

/// The lead department says the item is not its business, within 3 working days of assignment.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/give-back", tag = "follow-up", request_body = GiveBack,
    params(("id" = i64, Path)), responses((status = 200, body = FollowUpDetail), (status = 409, body = ApiError)))]
pub async fn give_back(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GiveBack>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    let reason = parse_long_text(&body.reason, MAX_FOLLOW_UP_TEXT_CHARS)
        .map_err(|p| AppError::field("reason", p))?;
    let actions = rules::actions(&user, &l.facts);
    // The lead department, still handling it the first time, but past the window: say until
    // when (a second handling may not be given back at all, whatever the date).
    if !actions.give_back && actions.reply && !l.facts.rehandled {
        return Err(AppError::conflict(
            codes::INVALID_TRANSITION,
            format!(
                "Items can be given back only within {RETURN_WINDOW_WORKING_DAYS} working days of assignment (until {}).",
                calendar::format_date(l.facts.return_deadline)
            ),
        ));
    }
    step(
        &state,
        &user,
        l,
        |a| a.give_back,
        FollowUpState::Returned,
        Change::None,
        Step::new(TimelineKind::Returned, user.id, &reason),
    )
    .await
}

/// A progress note (lead or assisting department, staff) while the item is being handled.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/notes", tag = "follow-up", request_body = ProgressNote,
    params(("id" = i64, Path)), responses((status = 200, body = FollowUpDetail), (status = 409, body = ApiError)))]
pub async fn note(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProgressNote>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    let text = parse_long_text(&body.text, MAX_FOLLOW_UP_TEXT_CHARS)
        .map_err(|p| AppError::field("text", p))?;
    check(&user, &l, |a| a.note, "noted")?;
    if !state
        .db
        .follow_up_note(id, Step::new(TimelineKind::Note, user.id, &text))
        .await?
    {
        return Err(refused("noted"));
    }
    let l = load(&state, &user, id).await?;
    Ok(Json(detail_of(&state, &user, l).await?))
}

/// The lead department's reply with its result class.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/reply", tag = "follow-up", request_body = ReplyInput,
    params(("id" = i64, Path)), responses((status = 200, body = FollowUpDetail), (status = 409, body = ApiError)))]
pub async fn reply(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReplyInput>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    let text = parse_long_text(&body.text, MAX_FOLLOW_UP_TEXT_CHARS)
        .map_err(|p| AppError::field("text", p))?;
    let mut entry = Step::new(TimelineKind::Replied, user.id, &text);
    entry.result_class = Some(body.result_class);
    step(
        &state,
        &user,
        l,
        |a| a.reply,
        FollowUpState::Replied,
        Change::Reply {
            text: &text,
            class: body.result_class,
        },
        entry,
    )
    .await
}

/// The requester rates the reply; "unsatisfied" (with a reason) sends it back once.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/rating", tag = "follow-up", request_body = RatingInput,
    params(("id" = i64, Path)), responses((status = 200, body = FollowUpDetail), (status = 409, body = ApiError)))]
pub async fn rate(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RatingInput>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    let reason = if body.rating == Rating::Unsatisfied {
        parse_long_text(&body.reason, MAX_FOLLOW_UP_TEXT_CHARS)
            .map_err(|p| AppError::field("reason", p))?
    } else {
        match body.reason.trim() {
            "" => String::new(),
            reason => parse_long_text(reason, MAX_FOLLOW_UP_TEXT_CHARS)
                .map_err(|p| AppError::field("reason", p))?,
        }
    };
    let to = rules::after_rating(body.rating, l.facts.rehandled);
    let mut entry = Step::new(TimelineKind::Rated, user.id, &reason);
    entry.rating = Some(body.rating);
    step(
        &state,
        &user,
        l,
        |a| a.rate,
        to,
        Change::Rating {
            rating: body.rating,
            rehandle: to == FollowUpState::InHandling,
        },
        entry,
    )
    .await
}

/// Checks an assignment against the departments and today's date.
pub async fn parse_assignment(state: &AppState, a: &Assignment) -> AppResult<()> {
    let org = state.db.organisation().await?;
    let known = |d: &DepartmentId| org.departments.iter().any(|x| x.id == *d);
    let mut errors = crate::error::FieldErrors::default();
    if !known(&a.lead_department_id) {
        errors.add("lead_department_id", UNKNOWN);
    }
    if a.assisting.len() > 20 || !a.assisting.iter().all(known) {
        errors.add("assisting", UNKNOWN);
    }
    let today = Today::load(state).await?;
    match calendar::parse_date(&a.due_date) {
        None => errors.add("due_date", INVALID),
        Some(d) if d < today.date => errors.add("due_date", INVALID),
        Some(_) => {}
    }
    errors.into_result()
}

/// Staff assign a returned item again (new lead department, assisting ones, due date).
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/reassign", tag = "follow-up", request_body = Assignment,
    params(("id" = i64, Path)), responses((status = 200, body = FollowUpDetail), (status = 409, body = ApiError)))]
pub async fn reassign(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Assignment>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    parse_assignment(&state, &body).await?;
    step(
        &state,
        &user,
        l,
        |a| a.reassign,
        FollowUpState::Assigned,
        Change::Assignment {
            lead: body.lead_department_id,
            assisting: &body.assisting,
            due_date: &body.due_date,
        },
        Step::new(TimelineKind::Reassigned, user.id, ""),
    )
    .await
}

/// Staff close a rated item (办结).
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/close", tag = "follow-up", params(("id" = i64, Path)),
    responses((status = 200, body = FollowUpDetail), (status = 409, body = ApiError)))]
pub async fn close(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FollowUpDetail>> {
    let l = load(&state, &user, id).await?;
    step(
        &state,
        &user,
        l,
        |a| a.close,
        FollowUpState::Closed,
        Change::None,
        Step::new(TimelineKind::Closed, user.id, ""),
    )
    .await
}

/// Counts per department for staff: open, replied, overdue, working days to reply, ratings.
#[utoipa::path(get, path = "/api/v1/follow-ups/stats", tag = "follow-up",
    responses((status = 200, body = Vec<DepartmentStats>), (status = 403, body = ApiError)))]
pub async fn stats(
    State(state): State<AppState>,
    AdminUser(_): AdminUser,
) -> AppResult<Json<Vec<DepartmentStats>>> {
    let today = Today::load(&state).await?;
    let zone = state.db.time_zone().await?;
    let rows = state.db.follow_up_facts().await?;
    let mut by_department: BTreeMap<i64, (DepartmentStats, i64, i64)> = BTreeMap::new();
    for row in &rows {
        let s = row.summary(&today.text())?;
        let (line, reply_days, replies) = by_department.entry(row.lead_department_id).or_insert((
            DepartmentStats {
                department: s.lead.clone(),
                assigned: 0,
                in_handling: 0,
                returned: 0,
                replied: 0,
                overdue: 0,
                average_working_days_to_reply: None,
                satisfied: 0,
                basically_satisfied: 0,
                unsatisfied: 0,
            },
            0,
            0,
        ));
        match s.state {
            FollowUpState::Assigned => line.assigned += 1,
            FollowUpState::InHandling => line.in_handling += 1,
            FollowUpState::Returned => line.returned += 1,
            FollowUpState::Replied | FollowUpState::Rated | FollowUpState::Closed => {
                line.replied += 1
            }
        }
        if s.overdue {
            line.overdue += 1;
        }
        if let Some(replied_at) = row.replied_at {
            *reply_days += today.calendar.working_days_between(
                calendar::local_date(zone, row.assigned_at),
                calendar::local_date(zone, replied_at),
            );
            *replies += 1;
        }
        match s.rating {
            Some(Rating::Satisfied) => line.satisfied += 1,
            Some(Rating::BasicallySatisfied) => line.basically_satisfied += 1,
            Some(Rating::Unsatisfied) => line.unsatisfied += 1,
            None => {}
        }
    }
    Ok(Json(
        by_department
            .into_values()
            .map(|(mut line, days, replies)| {
                line.average_working_days_to_reply =
                    (replies > 0).then(|| (days as f64 / replies as f64 * 10.0).round() / 10.0);
                line
            })
            .collect(),
    ))
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, return first) is
/// prefixed with `'`: titles come from members and, through the public form, from anyone.
pub(crate) fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A written CSV as a download: UTF-8 with a byte-order mark (for Excel), named `filename`.
pub(crate) fn csv_download(out: csv::Writer<Vec<u8>>, filename: &str) -> AppResult<Response> {
    let body = out
        .into_inner()
        .map_err(|_| AppError::Internal(anyhow::anyhow!("writing CSV failed")))?;
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(body);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&crate::domain::files::content_disposition(filename))
                    .map_err(|_| AppError::Internal(anyhow::anyhow!("bad header")))?,
            ),
        ],
        bytes,
    )
        .into_response())
}

fn state_zh(s: FollowUpState) -> &'static str {
    match s {
        FollowUpState::Assigned => "已交办",
        FollowUpState::InHandling => "办理中",
        FollowUpState::Returned => "退回待重新交办",
        FollowUpState::Replied => "已答复",
        FollowUpState::Rated => "已评价",
        FollowUpState::Closed => "已办结",
    }
}

/// Every matching item as CSV for staff (UTF-8 with a byte-order mark, for Excel).
#[utoipa::path(get, path = "/api/v1/follow-ups/export", tag = "follow-up", params(FollowUpListQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ApiError)))]
pub async fn export(
    State(state): State<AppState>,
    AdminUser(_): AdminUser,
    ApiQuery(query): ApiQuery<FollowUpListQuery>,
) -> AppResult<Response> {
    let today = Today::load(&state).await?;
    let (rows, _) = state
        .db
        .list_follow_ups(FollowUpScope::Staff, &query.filter(&today), None, None)
        .await?;
    let zone = state.db.time_zone().await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write_failed = |_| AppError::Internal(anyhow::anyhow!("writing CSV failed"));
    out.write_record([
        "编号",
        "来源",
        "标题",
        "承办单位",
        "状态",
        "交办日期",
        "办理期限",
        "是否逾期",
        "答复日期",
        "办理结果",
        "满意度",
    ])
    .map_err(write_failed)?;
    for row in &rows {
        let s = row.summary(&today.text())?;
        let date = |ms: i64| calendar::format_date(calendar::local_date(zone, ms));
        out.write_record([
            s.id.to_string(),
            match s.source {
                FollowUpSource::Recommendation => "协商建议".into(),
                FollowUpSource::MicroSuggestion => "微建议".into(),
                FollowUpSource::MicroMeasure => "微协商措施".into(),
            },
            spreadsheet_safe(&s.title),
            spreadsheet_safe(&s.lead.name),
            state_zh(s.state).into(),
            date(s.assigned_at),
            s.due_date.clone(),
            if s.overdue { "是" } else { "否" }.into(),
            s.replied_at.map(date).unwrap_or_default(),
            match row.result_class.as_deref().and_then(ResultClass::parse) {
                Some(ResultClass::Solved) => "已解决".into(),
                Some(ResultClass::InProgress) => "正在解决或列入计划".into(),
                Some(ResultClass::ForReference) => "留作参考".into(),
                None => String::new(),
            },
            match s.rating {
                Some(Rating::Satisfied) => "满意".into(),
                Some(Rating::BasicallySatisfied) => "基本满意".into(),
                Some(Rating::Unsatisfied) => "不满意".into(),
                None => String::new(),
            },
        ])
        .map_err(write_failed)?;
    }
    csv_download(out, &format!("follow-up-{}.csv", today.text()))
}
