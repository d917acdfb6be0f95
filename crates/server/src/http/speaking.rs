//! Speaking at a remote consultation: apply, the chair's decisions and queue, segments, the
//! floor. Every change reaches the live room as a `FloorChanged` event.

use crate::auth::session::{AuthUser, MaybeAuthUser};
use crate::db::consultations::ConsultationRow;
use crate::domain::consultation as rules;
use crate::error::{AppError, AppResult};
use crate::http::consultations::{readable, relation};
use crate::http::json::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/consultations/{id}/floor", get(floor))
        .route("/consultations/{id}/speeches", post(apply))
        .route("/speeches/{id}/decision", post(decide))
        .route("/consultations/{id}/queue", post(reorder))
        .route("/consultations/{id}/segment", post(set_segment))
        .route("/consultations/{id}/floor/next", post(call_next))
        .route("/consultations/{id}/floor/end", post(end_speech))
}

/// The consultation, if the user may run its meeting (and it is a remote one).
async fn meeting(state: &AppState, user: &AuthUser, id: i64) -> AppResult<ConsultationRow> {
    let row = readable(state, Some(user), id).await?;
    let facts = row.facts()?;
    if facts.kind != ConsultationKind::Remote {
        return Err(AppError::not_found());
    }
    if !rules::may_run_meeting(Some(user), &facts) {
        return Err(AppError::forbidden());
    }
    Ok(row)
}

fn require_live(row: &ConsultationRow) -> AppResult<()> {
    if row.state()? == ConsultationState::Live {
        Ok(())
    } else {
        Err(AppError::conflict(
            codes::INVALID_TRANSITION,
            "The meeting is not live.",
        ))
    }
}

/// The floor: segment, current speaker, queue, record; pending applications for the chair.
#[utoipa::path(get, path = "/api/v1/consultations/{id}/floor", tag = "speaking", params(("id" = i64, Path)),
    responses((status = 200, body = FloorState), (status = 404, body = ApiError)))]
pub async fn floor(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FloorState>> {
    let row = readable(&state, user.as_ref(), id).await?;
    let runs = rules::may_run_meeting(user.as_ref(), &row.facts()?);
    Ok(Json(state.db.floor(id, runs).await?))
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/speeches", tag = "speaking", request_body = ApplyToSpeak,
    params(("id" = i64, Path)), responses((status = 201, body = FloorState), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn apply(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ApplyToSpeak>,
) -> AppResult<(StatusCode, Json<FloorState>)> {
    let row = readable(&state, Some(&user), id).await?;
    let rel = relation(&state, Some(&user), id).await?;
    if !rules::may_apply_to_speak(Some(&user), &row.facts()?, rel) {
        return Err(AppError::forbidden());
    }
    let summary = body.summary.trim();
    if summary.is_empty() {
        return Err(AppError::field("summary", REQUIRED));
    }
    if summary.chars().count() > MAX_SPEECH_CHARS {
        return Err(AppError::field("summary", TOO_LONG));
    }
    if state.db.has_open_application(id, user.id).await? {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "You have already applied to speak.",
        ));
    }
    state
        .db
        .apply_to_speak(id, user.id, body.mode, summary)
        .await?;
    state.hub.notify();
    let runs = rules::may_run_meeting(Some(&user), &row.facts()?);
    Ok((StatusCode::CREATED, Json(state.db.floor(id, runs).await?)))
}

#[utoipa::path(post, path = "/api/v1/speeches/{id}/decision", tag = "speaking", request_body = SpeechDecision,
    params(("id" = i64, Path)), responses((status = 200, body = FloorState), (status = 409, body = ApiError)))]
pub async fn decide(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(speech_id): ApiPath<i64>,
    ApiJson(body): ApiJson<SpeechDecision>,
) -> AppResult<Json<FloorState>> {
    let speech = state
        .db
        .speech_ref(speech_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    meeting(&state, &user, speech.consultation_id).await?;
    // National practice: 8 minutes for a registered speech, 5 for impromptu remarks.
    let default = if speech.impromptu {
        IMPROMPTU_SPEECH_MINUTES
    } else {
        DEFAULT_SPEECH_MINUTES
    };
    let minutes = body.minutes.unwrap_or(default);
    if !(1..=60).contains(&minutes) {
        return Err(AppError::field("minutes", INVALID));
    }
    if speech.status != SpeechStatus::Pending
        || !state
            .db
            .decide_speech(&speech, body.accept, i64::from(minutes) * 60)
            .await?
    {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "This application was already decided.",
        ));
    }
    state.hub.notify();
    Ok(Json(state.db.floor(speech.consultation_id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/queue", tag = "speaking", request_body = QueueOrder,
    params(("id" = i64, Path)), responses((status = 200, body = FloorState), (status = 422, body = ApiError)))]
pub async fn reorder(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<QueueOrder>,
) -> AppResult<Json<FloorState>> {
    meeting(&state, &user, id).await?;
    if body.speech_ids.len() > 1000 || !state.db.reorder_queue(id, &body.speech_ids).await? {
        return Err(AppError::field("speech_ids", INVALID));
    }
    state.hub.notify();
    Ok(Json(state.db.floor(id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/segment", tag = "speaking", request_body = SetSegment,
    params(("id" = i64, Path)), responses((status = 200, body = FloorState), (status = 409, body = ApiError)))]
pub async fn set_segment(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SetSegment>,
) -> AppResult<Json<FloorState>> {
    let row = meeting(&state, &user, id).await?;
    require_live(&row)?;
    state.db.set_segment(id, body.segment).await?;
    state.hub.notify();
    Ok(Json(state.db.floor(id, true).await?))
}

/// Ends the current speech (recording the time used) and, with `call_next`, gives the floor
/// to the first speech in the queue; the chair's two floor buttons.
async fn advance(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    call_next: bool,
) -> AppResult<Json<FloorState>> {
    let row = meeting(state, user, id).await?;
    require_live(&row)?;
    if !state.db.advance_floor(id, call_next).await? {
        let message = if call_next {
            "Nobody is speaking or waiting."
        } else {
            "Nobody is speaking."
        };
        return Err(AppError::conflict(codes::CONFLICT, message));
    }
    state.hub.notify();
    Ok(Json(state.db.floor(id, true).await?))
}

/// Ends the current speech, if any, and gives the floor to the first speech in the queue.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/floor/next", tag = "speaking",
    params(("id" = i64, Path)), responses((status = 200, body = FloorState), (status = 409, body = ApiError)))]
pub async fn call_next(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FloorState>> {
    advance(&state, &user, id, true).await
}

/// Marks the current speech done, recording the time used.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/floor/end", tag = "speaking",
    params(("id" = i64, Path)), responses((status = 200, body = FloorState), (status = 409, body = ApiError)))]
pub async fn end_speech(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<FloorState>> {
    advance(&state, &user, id, false).await
}
