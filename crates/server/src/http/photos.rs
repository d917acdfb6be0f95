//! Photos: a member's picture of the problem on a micro-suggestion, and a department's
//! evidence of its handling on a tracked item. Images only, judged by content.

use crate::auth::session::{AuthUser, MaybeAuthUser};
use crate::db::photos::PhotoOwner;
use crate::error::{AppError, AppResult};
use crate::http::attachments::{file_response, Upload, UploadQuery};
use crate::http::followup::load;
use crate::http::json::{ApiPath, ApiQuery};
use crate::http::suggestions::{may_add_photos, may_read};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/suggestions/{id}/photos",
            post(add_to_suggestion).layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 1)),
        )
        .route(
            "/follow-ups/{id}/photos",
            post(add_evidence).layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 1)),
        )
        .route("/photos/{id}", get(photo))
}

const TOO_LARGE: &str = "Photos may be at most 5 MiB.";

/// A photo sent as Base64 inside a JSON form, checked like an upload.
pub fn inline_image(photo: &InlinePhoto) -> AppResult<Upload> {
    use base64::Engine as _;
    // 4 Base64 characters carry 3 bytes.
    if photo.data_base64.len() > MAX_PHOTO_BYTES / 3 * 4 + 8 {
        return Err(AppError::field("photo", TOO_LONG));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(photo.data_base64.trim())
        .map_err(|_| AppError::field("photo", INVALID))?;
    image(Ok(Bytes::from(bytes)), &photo.filename).map_err(|_| AppError::field("photo", INVALID))
}

fn image(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
    filename: &str,
) -> AppResult<Upload> {
    let upload = Upload::check(body, filename, TOO_LARGE)?;
    if !upload.content_type.starts_with("image/") {
        return Err(AppError::field("file", INVALID));
    }
    Ok(upload)
}

async fn store(
    state: &AppState,
    owner: PhotoOwner,
    upload: &Upload,
    user: &AuthUser,
    max: i64,
) -> AppResult<Vec<Photo>> {
    if state
        .db
        .add_photo(owner, &upload.file(user.id), max)
        .await?
        .is_none()
    {
        return Err(AppError::field("file", TOO_LONG));
    }
    Ok(state.db.photos(owner).await?)
}

/// The author adds a photo (JPEG, PNG, WebP, GIF; at most 5 MiB, 3 per suggestion) while the
/// suggestion waits for review. The raw body is the image.
#[utoipa::path(post, path = "/api/v1/suggestions/{id}/photos", tag = "suggestions",
    params(("id" = i64, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Vec<Photo>), (status = 413, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_to_suggestion(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<(StatusCode, Json<Vec<Photo>>)> {
    let row = state
        .db
        .suggestion(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !may_read(Some(&user), &row) {
        return Err(AppError::not_found());
    }
    if !may_add_photos(Some(&user), &row)? {
        return Err(AppError::forbidden());
    }
    let upload = image(body, &query.filename)?;
    let photos = store(
        &state,
        PhotoOwner::Suggestion(id),
        &upload,
        &user,
        MAX_SUGGESTION_PHOTOS,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(photos)))
}

/// Evidence of the handling (lead or assisting department, staff; while it is handled; at
/// most 10 per item).
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/photos", tag = "follow-up",
    params(("id" = i64, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Vec<Photo>), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<(StatusCode, Json<Vec<Photo>>)> {
    let l = load(&state, &user, id).await?;
    if !crate::domain::followup::actions(&user, &l.facts).note {
        return Err(AppError::conflict(
            codes::INVALID_TRANSITION,
            "Evidence is added while the item is being handled.",
        ));
    }
    let upload = image(body, &query.filename)?;
    let photos = store(
        &state,
        PhotoOwner::FollowUp(id),
        &upload,
        &user,
        MAX_EVIDENCE_PHOTOS,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(photos)))
}

/// A photo, for whoever may see what it belongs to (a suggestion's photos also for those
/// handling its tracked item).
#[utoipa::path(get, path = "/api/v1/photos/{id}", tag = "follow-up", params(("id" = i64, Path)),
    responses((status = 200, description = "The image"), (status = 304), (status = 404, body = ApiError)))]
pub async fn photo(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let stored = state.db.photo(id).await?.ok_or_else(AppError::not_found)?;
    let allowed = match stored.owner() {
        Some(PhotoOwner::Suggestion(sid)) => {
            let row = state
                .db
                .suggestion(sid)
                .await?
                .ok_or_else(AppError::not_found)?;
            may_read(user.as_ref(), &row)
                || match (
                    &user,
                    state
                        .db
                        .follow_up_for_source(FollowUpSource::MicroSuggestion, sid)
                        .await?,
                ) {
                    (Some(u), Some(item)) => load(&state, u, item.id).await.is_ok(),
                    _ => false,
                }
        }
        Some(PhotoOwner::Micro(mid)) => crate::http::micro::readable(&state, user.as_ref(), mid)
            .await
            .is_ok(),
        Some(PhotoOwner::FollowUp(fid)) => match &user {
            Some(u) => load(&state, u, fid).await.is_ok(),
            None => false,
        },
        None => false,
    };
    if !allowed {
        return Err(AppError::not_found());
    }
    file_response(
        &headers,
        &stored.content_type,
        &stored.sha256,
        None,
        stored.data,
    )
}
