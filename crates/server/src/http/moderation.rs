//! Moderation over HTTP: reports from anyone signed in; the queue, hiding, restoring,
//! approving, sensitive words, pre-moderation switches, suspensions and the audit log for
//! staff.

use crate::auth::session::{AdminUser, AuthUser};
use crate::db::audit::AuditFilter;
use crate::db::moderation::Decision;
use crate::error::{AppError, AppResult};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::http::pagination::{Cursor, PageQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts/{id}/reports", post(report))
        .route("/moderation/queue", get(queue))
        .route("/me/pending-posts", get(my_pending_posts))
        .route("/moderation/posts/{id}/hide", post(hide))
        .route("/moderation/posts/{id}/restore", post(restore))
        .route("/moderation/posts/{id}/approve", post(approve))
        .route("/moderation/posts/{id}/dismiss", post(dismiss))
        .route("/moderation/words", get(words).post(add_word))
        .route("/moderation/words/{id}", delete(remove_word))
        .route(
            "/moderation/containers/{kind}/{id}",
            get(premoderation).put(set_premoderation),
        )
        .route(
            "/accounts/{id}/suspension",
            get(suspension).put(suspend).delete(unsuspend),
        )
        .route("/audit", get(audit_log))
}

fn reason(text: &str, field: &str) -> AppResult<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::field(field, REQUIRED));
    }
    if t.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::field(field, TOO_LONG));
    }
    if t.chars().any(char::is_control) {
        return Err(AppError::field(field, INVALID));
    }
    Ok(t.to_owned())
}

/// Reports a post the reporter can read, with a reason. One open report per reporter and post.
#[utoipa::path(post, path = "/api/v1/posts/{id}/reports", tag = "moderation", request_body = NewReport,
    params(("id" = i64, Path)), responses((status = 204), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn report(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewReport>,
) -> AppResult<StatusCode> {
    let text = reason(&body.reason, "reason")?;
    let post = state
        .db
        .post_ref(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut gates = super::search::Gates::new(&state, Some(&user));
    if gates
        .title_if_readable(&post.container_kind, post.container_id)
        .await?
        .is_none()
    {
        return Err(AppError::not_found());
    }
    // Reports share the posting budget: reporting is not a way around it.
    super::limit_posting(&state, user.id).await?;
    if !state.db.report_post(&post, user.id, &text).await? {
        return Err(AppError::conflict(
            codes::ALREADY_REPORTED,
            "You have already reported this post; a moderator will look at it.",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Posts waiting for a moderator: pending posts and reported posts with their reports.
#[utoipa::path(get, path = "/api/v1/moderation/queue", tag = "moderation",
    responses((status = 200, body = Vec<QueueItem>), (status = 403, body = ApiError)))]
pub async fn queue(State(state): State<AppState>, _: AdminUser) -> AppResult<Json<Vec<QueueItem>>> {
    Ok(Json(state.db.moderation_queue(200).await?))
}

/// The signed-in account's posts waiting for a moderator.
#[utoipa::path(get, path = "/api/v1/me/pending-posts", tag = "moderation",
    responses((status = 200, body = Vec<QueueItem>), (status = 401, body = ApiError)))]
pub async fn my_pending_posts(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<Vec<QueueItem>>> {
    Ok(Json(state.db.own_pending_posts(user.id, 100).await?))
}

fn decided(d: Decision) -> AppResult<Json<ModerationState>> {
    match d {
        Decision::Done(s) => Ok(Json(s)),
        Decision::NoSuchPost => Err(AppError::not_found()),
        Decision::NotApplicable => Err(AppError::conflict(
            codes::INVALID_TRANSITION,
            "The post is not in a state this applies to (already hidden, not pending, or removed).",
        )),
    }
}

/// Hides a post (visible or pending); others no longer see it, the author is told why.
#[utoipa::path(post, path = "/api/v1/moderation/posts/{id}/hide", tag = "moderation", request_body = HidePost,
    params(("id" = i64, Path)), responses((status = 200, body = ModerationState), (status = 409, body = ApiError)))]
pub async fn hide(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HidePost>,
) -> AppResult<Json<ModerationState>> {
    let text = reason(&body.reason, "reason")?;
    let d = state.db.hide_post(id, admin.id, &text).await?;
    state.hub.notify();
    decided(d)
}

#[utoipa::path(post, path = "/api/v1/moderation/posts/{id}/restore", tag = "moderation",
    params(("id" = i64, Path)), responses((status = 200, body = ModerationState), (status = 409, body = ApiError)))]
pub async fn restore(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ModerationState>> {
    let d = state.db.restore_post(id, admin.id).await?;
    state.hub.notify();
    decided(d)
}

#[utoipa::path(post, path = "/api/v1/moderation/posts/{id}/approve", tag = "moderation",
    params(("id" = i64, Path)), responses((status = 200, body = ModerationState), (status = 409, body = ApiError)))]
pub async fn approve(
    State(state): State<AppState>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ModerationState>> {
    let d = state.db.approve_post(id).await?;
    state.hub.notify();
    decided(d)
}

#[utoipa::path(post, path = "/api/v1/moderation/posts/{id}/dismiss", tag = "moderation",
    params(("id" = i64, Path)), responses((status = 200, body = ModerationState), (status = 409, body = ApiError)))]
pub async fn dismiss(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ModerationState>> {
    decided(state.db.dismiss_reports(id, admin.id).await?)
}

#[utoipa::path(get, path = "/api/v1/moderation/words", tag = "moderation",
    responses((status = 200, body = Vec<SensitiveWord>)))]
pub async fn words(
    State(state): State<AppState>,
    _: AdminUser,
) -> AppResult<Json<Vec<SensitiveWord>>> {
    Ok(Json(state.db.sensitive_words().await?))
}

/// Longest listed word.
const MAX_WORD_CHARS: usize = 50;

#[utoipa::path(post, path = "/api/v1/moderation/words", tag = "moderation", request_body = NewSensitiveWord,
    responses((status = 201, body = Vec<SensitiveWord>), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_word(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(body): ApiJson<NewSensitiveWord>,
) -> AppResult<(StatusCode, Json<Vec<SensitiveWord>>)> {
    let word = body.word.trim();
    if word.is_empty() {
        return Err(AppError::field("word", REQUIRED));
    }
    if word.chars().count() > MAX_WORD_CHARS {
        return Err(AppError::field("word", TOO_LONG));
    }
    if word.chars().any(char::is_control) {
        return Err(AppError::field("word", INVALID));
    }
    if state.db.add_sensitive_word(word, admin.id).await?.is_none() {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "This word is already listed.",
        ));
    }
    Ok((StatusCode::CREATED, Json(state.db.sensitive_words().await?)))
}

#[utoipa::path(delete, path = "/api/v1/moderation/words/{id}", tag = "moderation",
    params(("id" = i64, Path)), responses((status = 204), (status = 404, body = ApiError)))]
pub async fn remove_word(
    State(state): State<AppState>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    if state.db.remove_sensitive_word(id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found())
    }
}

fn container_kind(kind: &str) -> AppResult<&'static str> {
    match kind {
        "consultation" => Ok("consultation"),
        "micro_consultation" => Ok("micro_consultation"),
        "reading_group" => Ok("reading_group"),
        _ => Err(AppError::not_found()),
    }
}

/// Whether a consultation, micro-consultation or reading group is pre-moderated.
#[utoipa::path(get, path = "/api/v1/moderation/containers/{kind}/{id}", tag = "moderation",
    params(("kind" = String, Path, description = "consultation, micro_consultation or reading_group"), ("id" = i64, Path)),
    responses((status = 200, body = Premoderation), (status = 404, body = ApiError)))]
pub async fn premoderation(
    State(state): State<AppState>,
    _: AdminUser,
    ApiPath((kind, id)): ApiPath<(String, i64)>,
) -> AppResult<Json<Premoderation>> {
    let kind = container_kind(&kind)?;
    let on = state
        .db
        .premoderated(kind, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(Premoderation { premoderated: on }))
}

#[utoipa::path(put, path = "/api/v1/moderation/containers/{kind}/{id}", tag = "moderation", request_body = Premoderation,
    params(("kind" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = Premoderation), (status = 404, body = ApiError)))]
pub async fn set_premoderation(
    State(state): State<AppState>,
    _: AdminUser,
    ApiPath((kind, id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<Premoderation>,
) -> AppResult<Json<Premoderation>> {
    let kind = container_kind(&kind)?;
    if !state
        .db
        .set_premoderated(kind, id, body.premoderated)
        .await?
    {
        return Err(AppError::not_found());
    }
    Ok(Json(body))
}

#[utoipa::path(get, path = "/api/v1/accounts/{id}/suspension", tag = "moderation",
    params(("id" = i64, Path)), responses((status = 200, body = Option<Suspension>)))]
pub async fn suspension(
    State(state): State<AppState>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Option<Suspension>>> {
    Ok(Json(state.db.suspension(AccountId(id)).await?))
}

/// Keeps an account from posting for 1–365 days; the account is told why.
#[utoipa::path(put, path = "/api/v1/accounts/{id}/suspension", tag = "moderation", request_body = NewSuspension,
    params(("id" = i64, Path)), responses((status = 200, body = Suspension), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn suspend(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewSuspension>,
) -> AppResult<Json<Suspension>> {
    let text = reason(&body.reason, "reason")?;
    if !(1..=365).contains(&body.days) {
        return Err(AppError::field("days", INVALID));
    }
    if id == admin.id.0 {
        return Err(AppError::field("account", INVALID));
    }
    let s = Suspension {
        until: crate::db::now_ms() + i64::from(body.days) * 86_400_000,
        reason: text,
    };
    if !state.db.set_suspension(AccountId(id), Some(&s)).await? {
        return Err(AppError::not_found());
    }
    Ok(Json(s))
}

#[utoipa::path(delete, path = "/api/v1/accounts/{id}/suspension", tag = "moderation",
    params(("id" = i64, Path)), responses((status = 204), (status = 404, body = ApiError)))]
pub async fn unsuspend(
    State(state): State<AppState>,
    _: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    if !state.db.set_suspension(AccountId(id), None).await? {
        return Err(AppError::not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    pub actor: Option<i64>,
    pub action: Option<String>,
    pub object_kind: Option<String>,
    pub object_id: Option<i64>,
    /// Unix ms, inclusive.
    pub from: Option<i64>,
    /// Unix ms, exclusive.
    pub to: Option<i64>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The audit log, newest first, with filters. Read-only: nothing edits or deletes it.
#[utoipa::path(get, path = "/api/v1/audit", tag = "moderation", params(AuditParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = ApiError)))]
pub async fn audit_log(
    State(state): State<AppState>,
    _: AdminUser,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> AppResult<Json<Page<AuditEntry>>> {
    let paging = PageQuery {
        limit: p.limit,
        cursor: p.cursor.clone(),
    };
    let filter = AuditFilter {
        actor: p.actor.map(AccountId),
        action: p.action.filter(|a| !a.is_empty()),
        object_kind: p.object_kind.filter(|k| !k.is_empty()),
        object_id: p.object_id,
        from: p.from,
        to: p.to,
    };
    let mut page = state
        .db
        .audit_entries(&filter, paging.before()?, paging.limit()?)
        .await?;
    page.next_cursor = page
        .next_cursor
        .and_then(|id| id.parse().ok())
        .map(Cursor::after);
    Ok(Json(page))
}
