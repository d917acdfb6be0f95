//! Micro-consultations (微协商) over HTTP: raising (members, and visitors through a moderated
//! public form), staff acceptance, opinions and a questionnaire, the meeting, the consensus
//! with measures tracked by the follow-up loop, resolution and the raiser's feedback.

use crate::auth::session::{AdminUser, AuthUser, MaybeAuthUser};
use crate::db::micro::{MicroFilter, MicroRow, MicroScope, RaisedBy};
use crate::db::posts::{Container, NewPostRecord};
use crate::domain::accounts::{parse_long_text, parse_text};
use crate::domain::calendar;
use crate::domain::micro::{self as rules, Facts};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::followup::Today;
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::http::pagination::{next_cursor, PageQuery};
use crate::markdown;
use crate::state::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use std::net::SocketAddr;
use std::time::Duration;
use yishi_api::field_codes::*;
use yishi_api::*;

/// A form carrying a Base64 photo of at most 5 MiB.
const PHOTO_FORM_BYTES: usize = MAX_PHOTO_BYTES / 3 * 4 + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/micro-consultations",
            get(list)
                .post(raise)
                .layer(DefaultBodyLimit::max(PHOTO_FORM_BYTES)),
        )
        .route(
            "/micro-consultations/public",
            post(raise_public).layer(DefaultBodyLimit::max(PHOTO_FORM_BYTES)),
        )
        .route("/micro-consultations/{id}", get(detail))
        .route("/micro-consultations/{id}/accept", post(accept))
        .route("/micro-consultations/{id}/decline", post(decline))
        .route("/micro-consultations/{id}/state", post(step))
        .route("/micro-consultations/{id}/meeting", put(meeting))
        .route("/micro-consultations/{id}/consensus", post(consensus))
        .route("/micro-consultations/{id}/feedback", put(feedback))
        .route(
            "/micro-consultations/{id}/questionnaire",
            put(set_questionnaire),
        )
        .route("/micro-consultations/{id}/answers", post(answer))
        .route(
            "/micro-consultations/{id}/posts",
            get(posts).post(create_post),
        )
}

async fn facts(state: &AppState, row: &MicroRow) -> AppResult<Facts> {
    let (members, departments) = state.db.micro_people(row.id).await?;
    let measures = state.db.micro_measures(row.id).await?;
    let (respondents, _) = state.db.respondents(row.id, None).await?;
    Ok(Facts {
        state: row.state()?,
        visibility: row.visibility(),
        raised_by: row.raised_by,
        takers: members.iter().map(|m| m.id.0).collect(),
        departments: departments.iter().map(|d| d.id.0).collect(),
        feedback_recorded: row.feedback.is_some(),
        all_measures_closed: !measures.is_empty()
            && measures
                .iter()
                .all(|m| m.state == FollowUpState::Closed.as_str()),
        questionnaire_answered_by_anyone: respondents > 0,
    })
}

/// The issue, if the user may read it (404 otherwise: submissions do not leak).
pub async fn readable(
    state: &AppState,
    user: Option<&AuthUser>,
    id: i64,
) -> AppResult<(MicroRow, Facts)> {
    let row = state.db.micro(id).await?.ok_or_else(AppError::not_found)?;
    let facts = facts(state, &row).await?;
    if !rules::may_read(user, &facts) {
        return Err(match user {
            None if facts.state != MicroState::Raised && facts.state != MicroState::Declined => {
                AppError::unauthenticated()
            }
            _ => AppError::not_found(),
        });
    }
    Ok((row, facts))
}

pub async fn may_follow(state: &AppState, user: Option<&AuthUser>, id: i64) -> AppResult<bool> {
    Ok(match state.db.micro(id).await? {
        Some(row) => rules::may_read(user, &facts(state, &row).await?),
        None => false,
    })
}

async fn detail_of(
    state: &AppState,
    user: Option<&AuthUser>,
    row: &MicroRow,
    facts: &Facts,
) -> AppResult<MicroDetail> {
    let staff = user.is_some_and(|u| u.role == Role::Admin);
    let (members, departments) = state.db.micro_people(row.id).await?;
    let today = Today::load(state).await?;
    let measures = state
        .db
        .micro_measures(row.id)
        .await?
        .iter()
        .map(|m| m.summary(&today.text()))
        .collect::<Result<Vec<_>, _>>()?;
    let (respondents, answered) = state.db.respondents(row.id, user.map(|u| u.id)).await?;
    let results = rules::may_see_results(user);
    let mut questions = state.db.questions(row.id).await?;
    if !results {
        for q in &mut questions {
            for o in &mut q.options {
                o.count = None;
            }
        }
    }
    Ok(MicroDetail {
        summary: row.summary()?,
        description: row.description.clone(),
        visibility: row.visibility(),
        raiser: Raiser {
            member_id: row.raised_by.map(AccountId),
            member_name: row.raiser_member_name.clone(),
            // A resident's name and contact are for staff only.
            name: row.raiser_name.clone().filter(|_| staff),
            contact: row.raiser_contact.clone().filter(|_| staff),
            contact_erased_at: row.contact_erased_at.filter(|_| staff),
        },
        decline_reason: row.decline_reason.clone(),
        members,
        departments,
        meeting: Meeting {
            at: row.meeting_at,
            place: row.meeting_place.clone(),
            participants: row.meeting_participants.clone(),
            record: row.meeting_record.clone(),
        },
        consensus: row.consensus.clone(),
        measures,
        feedback: row.feedback.clone(),
        timeline: state.db.micro_timeline(row.id).await?,
        photos: state
            .db
            .photos(crate::db::photos::PhotoOwner::Micro(row.id))
            .await?,
        questionnaire: Questionnaire {
            questions,
            respondents: results.then_some(respondents),
            answered,
            can_answer: rules::may_answer(user, facts) && !answered,
        },
        actions: rules::actions(user, facts),
    })
}

async fn reload(
    state: &AppState,
    user: Option<&AuthUser>,
    id: i64,
) -> AppResult<Json<MicroDetail>> {
    let (row, facts) = readable(state, user, id).await?;
    state.hub.notify();
    Ok(Json(detail_of(state, user, &row, &facts).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MicroListQuery {
    pub state: Option<MicroState>,
    pub workstation: Option<i64>,
    pub department: Option<i64>,
    pub year: Option<i32>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Issues the reader may see, newest first, with counts per state for the list's summary.
#[utoipa::path(get, path = "/api/v1/micro-consultations", tag = "micro-consultations", params(MicroListQuery),
    responses((status = 200, body = MicroPage)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiQuery(query): ApiQuery<MicroListQuery>,
) -> AppResult<Json<MicroPage>> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = page.limit()?;
    let before = page.before()?;
    let scope = match &user {
        None => MicroScope::Public,
        Some(u) if u.role == Role::Admin => MicroScope::Staff,
        Some(u) => MicroScope::SignedIn(u.id),
    };
    let raised_within = match query.year {
        None => None,
        Some(y) => Some(super::consultations::year_bounds(&state, y).await?),
    };
    let today = Today::load(&state).await?;
    let (rows, total, counts) = state
        .db
        .list_micro(
            scope,
            &MicroFilter {
                state: query.state,
                workstation: query.workstation,
                department: query.department,
                raised_within,
            },
            &today.text(),
            before,
            limit,
        )
        .await?;
    let items = rows
        .iter()
        .map(MicroRow::summary)
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = next_cursor(&items, limit, |m| m.id);
    Ok(Json(MicroPage {
        items,
        next_cursor,
        total,
        counts,
    }))
}

fn photo_of(
    photo: Option<&InlinePhoto>,
    errors: &mut FieldErrors,
) -> Option<crate::http::attachments::Upload> {
    photo.and_then(|p| match crate::http::photos::inline_image(p) {
        Ok(upload) => Some(upload),
        Err(_) => {
            errors.add("photo", INVALID);
            None
        }
    })
}

fn parse_issue(
    title: &str,
    description: &str,
    location: &str,
    errors: &mut FieldErrors,
) -> Option<(String, String, String)> {
    let title = parse_text(title, MAX_MICRO_TITLE_CHARS)
        .map_err(|p| errors.add("title", p))
        .ok();
    let description = parse_long_text(description, MAX_MICRO_TEXT_CHARS)
        .map_err(|p| errors.add("description", p))
        .ok();
    let location = crate::domain::accounts::parse_optional_text(Some(location), 100)
        .map_err(|p| errors.add("location", p))
        .ok()
        .map(Option::unwrap_or_default);
    Some((title?, description?, location?))
}

/// A member raises an issue.
#[utoipa::path(post, path = "/api/v1/micro-consultations", tag = "micro-consultations", request_body = RaiseIssue,
    responses((status = 201, body = MicroDetail), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn raise(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<RaiseIssue>,
) -> AppResult<(StatusCode, Json<MicroDetail>)> {
    if user.role != Role::Member {
        return Err(AppError::forbidden());
    }
    let mut errors = FieldErrors::default();
    let parsed = parse_issue(&body.title, &body.description, &body.location, &mut errors);
    let photo = photo_of(body.photo.as_ref(), &mut errors);
    errors.into_result()?;
    let (title, description, location) =
        parsed.ok_or_else(|| AppError::bad_request("invalid issue"))?;
    super::limit_posting(&state, user.id).await?;
    let id = state
        .db
        .raise_issue(
            RaisedBy::Member(user.id),
            &title,
            &description,
            &location,
            photo.as_ref().map(|p| p.file(user.id)).as_ref(),
        )
        .await?;
    let (row, facts) = readable(&state, Some(&user), id).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_of(&state, Some(&user), &row, &facts).await?),
    ))
}

/// A visitor raises an issue through the public form: consent to the personal-information
/// notice is required; limited per client address; waits for staff, never public before.
#[utoipa::path(post, path = "/api/v1/micro-consultations/public", tag = "micro-consultations", request_body = PublicIssue,
    responses((status = 202, description = "Received; staff will review it"), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn raise_public(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PublicIssue>,
) -> AppResult<StatusCode> {
    let mut errors = FieldErrors::default();
    let parsed = parse_issue(&body.title, &body.description, &body.location, &mut errors);
    let name = parse_text(&body.name, 40)
        .map_err(|p| errors.add("name", p))
        .ok();
    let contact = parse_text(&body.contact, 60)
        .map_err(|p| errors.add("contact", p))
        .ok();
    if !body.consent {
        errors.add("consent", REQUIRED);
    }
    let photo = photo_of(body.photo.as_ref(), &mut errors);
    errors.into_result()?;
    let (Some((title, description, location)), Some(name), Some(contact)) = (parsed, name, contact)
    else {
        return Err(AppError::bad_request("invalid issue"));
    };
    let ip = super::client_ip(&state.config, peer, &headers);
    state
        .limiter
        .hit(
            &format!("public-issue:{ip}"),
            state.config.limits.public_issues_per_hour,
            Duration::from_secs(3600),
        )
        .await?;
    state
        .db
        .raise_issue(
            RaisedBy::Resident {
                name: &name,
                contact: &contact,
            },
            &title,
            &description,
            &location,
            // The uploader is recorded as nobody: a visitor has no account.
            photo.as_ref().map(|p| p.file(AccountId(0))).as_ref(),
        )
        .await?;
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(get, path = "/api/v1/micro-consultations/{id}", tag = "micro-consultations", params(("id" = i64, Path)),
    responses((status = 200, body = MicroDetail), (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<MicroDetail>> {
    let (row, facts) = readable(&state, user.as_ref(), id).await?;
    Ok(Json(detail_of(&state, user.as_ref(), &row, &facts).await?))
}

fn refused() -> AppError {
    AppError::conflict(
        codes::INVALID_TRANSITION,
        "This step is not possible in the issue's current state.",
    )
}

fn moved_first() -> AppError {
    AppError::conflict(
        codes::CONFLICT,
        "Someone else changed this issue first; reload.",
    )
}

/// Staff accept a raised issue: the members who take it up, departments, workstation,
/// visibility.
#[utoipa::path(post, path = "/api/v1/micro-consultations/{id}/accept", tag = "micro-consultations", request_body = AcceptIssue,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn accept(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AcceptIssue>,
) -> AppResult<Json<MicroDetail>> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    if !rules::actions(Some(&user), &facts).accept {
        return Err(refused());
    }
    let org = state.db.organisation().await?;
    let mut errors = FieldErrors::default();
    if body.members.is_empty() || body.members.len() > 50 {
        errors.add("members", REQUIRED);
    }
    for m in &body.members {
        if !state
            .db
            .account_summary(*m)
            .await?
            .is_some_and(|a| a.role == Role::Member && a.active)
        {
            errors.add("members", UNKNOWN);
        }
    }
    if !body
        .departments
        .iter()
        .all(|d| org.departments.iter().any(|x| x.id == *d))
        || body.departments.len() > 20
    {
        errors.add("departments", UNKNOWN);
    }
    if body
        .workstation_id
        .is_some_and(|w| !org.workstations.iter().any(|x| x.id == w))
    {
        errors.add("workstation_id", UNKNOWN);
    }
    errors.into_result()?;
    if !state.db.accept_issue(id, user.id, &body).await? {
        return Err(moved_first());
    }
    reload(&state, Some(&user), id).await
}

#[utoipa::path(post, path = "/api/v1/micro-consultations/{id}/decline", tag = "micro-consultations", request_body = DeclineIssue,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError)))]
pub async fn decline(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DeclineIssue>,
) -> AppResult<Json<MicroDetail>> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    let reason = parse_long_text(&body.reason, MAX_MICRO_TEXT_CHARS)
        .map_err(|p| AppError::field("reason", p))?;
    if !rules::actions(Some(&user), &facts).decline {
        return Err(refused());
    }
    if !state.db.decline_issue(id, user.id, &reason).await? {
        return Err(moved_first());
    }
    reload(&state, Some(&user), id).await
}

/// The plain steps: open for opinions, start implementation, confirm resolved (all measures
/// closed), close (after the raiser's feedback).
#[utoipa::path(post, path = "/api/v1/micro-consultations/{id}/state", tag = "micro-consultations", request_body = MoveIssue,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError)))]
pub async fn step(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MoveIssue>,
) -> AppResult<Json<MicroDetail>> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    let a = rules::actions(Some(&user), &facts);
    let allowed = match body.to {
        MicroState::Gathering => a.open_opinions,
        MicroState::InImplementation => a.start_implementation,
        MicroState::Resolved => a.confirm_resolved,
        MicroState::Closed => a.close,
        _ => false,
    };
    if !allowed {
        return Err(
            if user.role == Role::Admin || facts.takers.contains(&user.id.0) {
                refused()
            } else {
                AppError::forbidden()
            },
        );
    }
    if !state
        .db
        .micro_step(id, facts.state, body.to, user.id)
        .await?
    {
        return Err(moved_first());
    }
    reload(&state, Some(&user), id).await
}

/// Schedules the meeting (from gathering opinions) or updates it and its record.
#[utoipa::path(put, path = "/api/v1/micro-consultations/{id}/meeting", tag = "micro-consultations", request_body = Meeting,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError)))]
pub async fn meeting(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Meeting>,
) -> AppResult<Json<MicroDetail>> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    // Only those who run the issue hear about its state (403 before 409).
    if !rules::runs(Some(&user), &facts) {
        return Err(AppError::forbidden());
    }
    let a = rules::actions(Some(&user), &facts);
    if !(a.schedule_meeting || a.record_meeting) {
        return Err(refused());
    }
    let mut errors = FieldErrors::default();
    let place = parse_text(&body.place, 200)
        .map_err(|p| errors.add("place", p))
        .ok();
    let optional = |v: &str, max: usize, field: &str, errors: &mut FieldErrors| {
        crate::domain::accounts::parse_optional_text(Some(v), max)
            .map_err(|p| errors.add(field, p))
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    let participants = optional(&body.participants, 1_000, "participants", &mut errors);
    let record = if body.record.chars().count() > MAX_MICRO_TEXT_CHARS {
        errors.add("record", TOO_LONG);
        String::new()
    } else {
        body.record.trim().to_owned()
    };
    errors.into_result()?;
    let m = Meeting {
        at: body.at,
        place: place.unwrap_or_default(),
        participants,
        record,
    };
    if !state.db.save_meeting(id, facts.state, &m, user.id).await? {
        return Err(moved_first());
    }
    reload(&state, Some(&user), id).await
}

/// Staff publish the consensus; each measure becomes a tracked item of its department.
#[utoipa::path(post, path = "/api/v1/micro-consultations/{id}/consensus", tag = "micro-consultations", request_body = ConsensusInput,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn consensus(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConsensusInput>,
) -> AppResult<Json<MicroDetail>> {
    let (row, facts) = readable(&state, Some(&user), id).await?;
    if !rules::actions(Some(&user), &facts).publish_consensus {
        return Err(refused());
    }
    let mut errors = FieldErrors::default();
    let text = parse_long_text(&body.text, MAX_MICRO_TEXT_CHARS)
        .map_err(|p| errors.add("text", p))
        .ok();
    if body.measures.is_empty() || body.measures.len() > 20 {
        errors.add("measures", REQUIRED);
    }
    let org = state.db.organisation().await?;
    let today = Today::load(&state).await?;
    let mut measures = Vec::new();
    for (n, m) in body.measures.iter().enumerate() {
        let measure_text = parse_long_text(&m.text, MAX_FOLLOW_UP_TEXT_CHARS)
            .map_err(|p| errors.add(&format!("measures.{n}.text"), p))
            .ok();
        if !org.departments.iter().any(|d| d.id == m.lead_department_id) {
            errors.add(&format!("measures.{n}.lead_department_id"), UNKNOWN);
        }
        if calendar::parse_date(&m.due_date).is_none_or(|d| d < today.date) {
            errors.add(&format!("measures.{n}.due_date"), INVALID);
        }
        measures.push(NewMeasure {
            text: measure_text.unwrap_or_default(),
            lead_department_id: m.lead_department_id,
            due_date: m.due_date.clone(),
        });
    }
    errors.into_result()?;
    let input = ConsensusInput {
        text: text.unwrap_or_default(),
        measures,
    };
    if !state.db.publish_consensus(&row, &input, user.id).await? {
        return Err(moved_first());
    }
    reload(&state, Some(&user), id).await
}

/// The raiser's feedback after resolution: written by a member raiser, or recorded by staff
/// after a follow-up call (回访) to a resident.
#[utoipa::path(put, path = "/api/v1/micro-consultations/{id}/feedback", tag = "micro-consultations", request_body = RaiserFeedback,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError)))]
pub async fn feedback(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RaiserFeedback>,
) -> AppResult<Json<MicroDetail>> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    let text = parse_long_text(&body.text, MAX_MICRO_TEXT_CHARS)
        .map_err(|p| AppError::field("text", p))?;
    if !rules::actions(Some(&user), &facts).record_feedback {
        return Err(refused());
    }
    if !state.db.set_feedback(id, &text).await? {
        return Err(moved_first());
    }
    reload(&state, Some(&user), id).await
}

/// Staff set the questionnaire (single or multiple choice) before anyone has answered.
#[utoipa::path(put, path = "/api/v1/micro-consultations/{id}/questionnaire", tag = "micro-consultations", request_body = QuestionnaireInput,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn set_questionnaire(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<QuestionnaireInput>,
) -> AppResult<Json<MicroDetail>> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    if !rules::actions(Some(&user), &facts).edit_questionnaire {
        return Err(refused());
    }
    let mut errors = FieldErrors::default();
    if body.questions.is_empty() || body.questions.len() > 20 {
        errors.add("questions", REQUIRED);
    }
    for (n, q) in body.questions.iter().enumerate() {
        if let Err(p) = parse_text(&q.text, 200) {
            errors.add(&format!("questions.{n}.text"), p);
        }
        if q.options.len() < 2
            || q.options.len() > 10
            || q.options.iter().any(|o| parse_text(o, 100).is_err())
        {
            errors.add(&format!("questions.{n}.options"), INVALID);
        }
    }
    errors.into_result()?;
    if !state.db.set_questionnaire(id, &body).await? {
        return Err(refused());
    }
    reload(&state, Some(&user), id).await
}

/// A member answers the questionnaire, once: one option per single-choice question, one or
/// more per multiple-choice question, every question answered.
#[utoipa::path(post, path = "/api/v1/micro-consultations/{id}/answers", tag = "micro-consultations", request_body = Answers,
    params(("id" = i64, Path)), responses((status = 200, body = MicroDetail), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn answer(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Answers>,
) -> AppResult<Json<MicroDetail>> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    if !rules::may_answer(Some(&user), &facts) {
        return Err(AppError::forbidden());
    }
    let questions = state.db.questions(id).await?;
    if questions.is_empty() {
        return Err(refused());
    }
    let mut chosen = Vec::new();
    for q in &questions {
        let picked: Vec<i64> = body
            .answers
            .iter()
            .filter(|a| a.question_id == q.id)
            .flat_map(|a| a.option_ids.iter().copied())
            .collect();
        let valid = !picked.is_empty()
            && (q.multiple || picked.len() == 1)
            && picked.iter().all(|p| q.options.iter().any(|o| o.id == *p));
        if !valid {
            return Err(AppError::field(&format!("question.{}", q.id), INVALID));
        }
        let mut unique = picked.clone();
        unique.sort_unstable();
        unique.dedup();
        chosen.extend(unique);
    }
    if !state.db.answer(id, user.id, &chosen).await? {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "You have already answered this questionnaire, or it has closed.",
        ));
    }
    reload(&state, Some(&user), id).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MicroPostsQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Opinions in the order written.
#[utoipa::path(get, path = "/api/v1/micro-consultations/{id}/posts", tag = "micro-consultations",
    params(("id" = i64, Path), MicroPostsQuery), responses((status = 200, body = Page<Post>)))]
pub async fn posts(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<MicroPostsQuery>,
) -> AppResult<Json<Page<Post>>> {
    readable(&state, user.as_ref(), id).await?;
    Ok(Json(
        super::consultations::page_of_posts(
            &state,
            Container::micro(id),
            PageQuery {
                limit: query.limit,
                cursor: query.cursor,
            },
        )
        .await?,
    ))
}

/// Opinions (comments) from the members who took it up, officials of the departments
/// concerned and staff, while opinions are gathered and until the meeting; replies one level.
#[utoipa::path(post, path = "/api/v1/micro-consultations/{id}/posts", tag = "micro-consultations", request_body = NewPost,
    params(("id" = i64, Path)), responses((status = 201, body = Post), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_post(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewPost>,
) -> AppResult<(StatusCode, Json<Post>)> {
    let (_, facts) = readable(&state, Some(&user), id).await?;
    if !rules::actions(Some(&user), &facts).post {
        return Err(AppError::forbidden());
    }
    let text =
        parse_long_text(&body.body, MAX_POST_CHARS).map_err(|p| AppError::field("body", p))?;
    let parent_ok = match (body.kind, body.parent_id) {
        (PostKind::Comment, None) => true,
        (PostKind::Reply, Some(pid)) => state.db.post_ref(pid).await?.is_some_and(|p| {
            p.container_kind == "micro_consultation"
                && p.container_id == id
                && p.parent_id.is_none()
        }),
        _ => false,
    };
    if !parent_ok {
        return Err(AppError::field("parent_id", INVALID));
    }
    super::limit_posting(&state, user.id).await?;
    let html = markdown::render(&text);
    let post = state
        .db
        .create_post(
            Container::micro(id),
            &NewPostRecord {
                author: user.id,
                kind: body.kind,
                body_md: &text,
                body_html: &html,
                parent_id: body.parent_id,
                chapter_id: None,
                quote: None,
                root_id: body.parent_id,
                depth: i64::from(body.parent_id.is_some()),
            },
        )
        .await?;
    // Streams were woken by the storage layer once the post committed.
    Ok((StatusCode::CREATED, Json(post)))
}
