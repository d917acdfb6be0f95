//! Micro-suggestions (微建议): members submit, staff review (accept and assign, or return with a
//! reason), the follow-up loop tracks accepted ones. Public once accepted if the member agreed.

use crate::auth::session::{AdminUser, AuthUser, MaybeAuthUser};
use crate::db::photos::PhotoOwner;
use crate::db::suggestions::{SuggestionRow, SuggestionScope};
use crate::domain::accounts::{parse_long_text, parse_optional_text, parse_text};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::followup::{parse_assignment, Today};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::http::pagination::{next_cursor, PageQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/suggestions", get(list).post(submit))
        .route("/suggestions/{id}", get(detail))
        .route("/suggestions/{id}/review", post(review))
}

/// The author adds photos while the suggestion waits for review.
pub fn may_add_photos(user: Option<&AuthUser>, row: &SuggestionRow) -> AppResult<bool> {
    Ok(user.is_some_and(|u| u.id.0 == row.author_id) && row.state()? == SuggestionState::Submitted)
}

/// The author and staff always; everyone once it is public.
pub fn may_read(user: Option<&AuthUser>, row: &SuggestionRow) -> bool {
    row.is_public() || user.is_some_and(|u| u.role == Role::Admin || u.id.0 == row.author_id)
}

async fn view_of(
    state: &AppState,
    user: Option<&AuthUser>,
    row: &SuggestionRow,
    today: &Today,
) -> AppResult<Suggestion> {
    let follow_up = state
        .db
        .follow_up_for_source(FollowUpSource::MicroSuggestion, row.id)
        .await?;
    let staff = user.is_some_and(|u| u.role == Role::Admin);
    let suggestion_state = row.state()?;
    Ok(Suggestion {
        id: row.id,
        title: row.title.clone(),
        body: row.body.clone(),
        location: row.location.clone(),
        public: row.public == 1,
        author_id: AccountId(row.author_id),
        author_name: row.author_name.clone(),
        state: suggestion_state,
        review_reason: row.review_reason.clone(),
        created_at: row.created_at,
        reply: follow_up.as_ref().and_then(|f| f.reply.clone()),
        follow_up: follow_up.map(|f| f.summary(&today.text())).transpose()?,
        can_review: staff && suggestion_state == SuggestionState::Submitted,
        photos: state.db.photos(PhotoOwner::Suggestion(row.id)).await?,
        can_add_photos: may_add_photos(user, row)?,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionListQuery {
    pub state: Option<SuggestionState>,
    /// Only the reader's own (My activity).
    pub mine: Option<bool>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Staff: every suggestion (the review queue with `state=submitted`); `mine=true`: the
/// reader's own; otherwise the public ones. Newest first.
#[utoipa::path(get, path = "/api/v1/suggestions", tag = "suggestions", params(SuggestionListQuery),
    responses((status = 200, body = Page<Suggestion>)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiQuery(query): ApiQuery<SuggestionListQuery>,
) -> AppResult<Json<Page<Suggestion>>> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = page.limit()?;
    let before = page.before()?;
    let scope = match (&user, query.mine.unwrap_or(false)) {
        (Some(u), true) => SuggestionScope::Author(u.id),
        (None, true) => return Err(AppError::unauthenticated()),
        (Some(u), false) if u.role == Role::Admin => SuggestionScope::Staff,
        _ => SuggestionScope::Public,
    };
    let (rows, total) = state
        .db
        .list_suggestions(scope, query.state, before, limit)
        .await?;
    let today = Today::load(&state).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(view_of(&state, user.as_ref(), row, &today).await?);
    }
    let next_cursor = next_cursor(&items, limit, |s| s.id);
    Ok(Json(Page {
        items,
        next_cursor,
        total,
    }))
}

/// A member submits a micro-suggestion.
#[utoipa::path(post, path = "/api/v1/suggestions", tag = "suggestions", request_body = NewSuggestion,
    responses((status = 201, body = Suggestion), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<NewSuggestion>,
) -> AppResult<(StatusCode, Json<Suggestion>)> {
    if user.role != Role::Member {
        return Err(AppError::forbidden());
    }
    let mut errors = FieldErrors::default();
    let title = parse_text(&body.title, MAX_SUGGESTION_TITLE_CHARS)
        .map_err(|p| errors.add("title", p))
        .ok();
    let text = parse_long_text(&body.body, MAX_SUGGESTION_CHARS)
        .map_err(|p| errors.add("body", p))
        .ok();
    let location = parse_optional_text(body.location.as_deref(), 100)
        .map_err(|p| errors.add("location", p))
        .ok()
        .flatten();
    errors.into_result()?;
    let (Some(title), Some(text)) = (title, text) else {
        return Err(AppError::bad_request("invalid suggestion"));
    };
    super::limit_posting(&state, user.id).await?;
    let id = state
        .db
        .create_suggestion(
            user.id,
            &NewSuggestion {
                title,
                body: text,
                location,
                public: body.public,
            },
        )
        .await?;
    let row = state
        .db
        .suggestion(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let today = Today::load(&state).await?;
    Ok((
        StatusCode::CREATED,
        Json(view_of(&state, Some(&user), &row, &today).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/suggestions/{id}", tag = "suggestions", params(("id" = i64, Path)),
    responses((status = 200, body = Suggestion), (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Suggestion>> {
    let row = state
        .db
        .suggestion(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !may_read(user.as_ref(), &row) {
        return Err(AppError::not_found());
    }
    let today = Today::load(&state).await?;
    Ok(Json(view_of(&state, user.as_ref(), &row, &today).await?))
}

/// Staff accept a suggestion and assign it to departments with a due date, or return it with
/// a reason the member sees.
#[utoipa::path(post, path = "/api/v1/suggestions/{id}/review", tag = "suggestions", request_body = SuggestionReview,
    params(("id" = i64, Path)), responses((status = 200, body = Suggestion), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn review(
    State(state): State<AppState>,
    AdminUser(user): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SuggestionReview>,
) -> AppResult<Json<Suggestion>> {
    let row = state
        .db
        .suggestion(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let already = || {
        AppError::conflict(
            codes::INVALID_TRANSITION,
            "This suggestion has already been reviewed.",
        )
    };
    if row.state()? != SuggestionState::Submitted {
        return Err(already());
    }
    let done = match &body {
        SuggestionReview::Accept(assignment) => {
            parse_assignment(&state, assignment).await?;
            state
                .db
                .accept_suggestion(&row, user.id, assignment)
                .await?
                .is_some()
        }
        SuggestionReview::Return { reason } => {
            let reason = parse_long_text(reason, MAX_FOLLOW_UP_TEXT_CHARS)
                .map_err(|p| AppError::field("reason", p))?;
            state.db.return_suggestion(id, user.id, &reason).await?
        }
    };
    if !done {
        return Err(already());
    }
    let row = state
        .db
        .suggestion(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let today = Today::load(&state).await?;
    Ok(Json(view_of(&state, Some(&user), &row, &today).await?))
}
