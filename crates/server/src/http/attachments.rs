//! Background materials: staff upload files (raw body, type judged by content), readers of
//! the consultation download them.

use crate::auth::session::{AuthUser, MaybeAuthUser};
use crate::db::attachments::NewFile;
use crate::domain::files;
use crate::error::{AppError, AppResult};
use crate::http::consultations::{readable, staff_only};
use crate::http::json::{ApiPath, ApiQuery};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/consultations/{id}/attachments",
            get(list)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + 1)),
        )
        .route("/attachments/{id}", get(download).delete(remove))
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/attachments", tag = "consultations", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Attachment>)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Attachment>>> {
    readable(&state, user.as_ref(), id).await?;
    Ok(Json(state.db.attachments(id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as the uploader's computer calls it.
    pub filename: String,
}

/// Upload a file as the raw request body (PDF, Word, PNG, JPEG, GIF, WebP; at most 10 MiB).
#[utoipa::path(post, path = "/api/v1/consultations/{id}/attachments", tag = "consultations",
    params(("id" = i64, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Vec<Attachment>), (status = 413, body = ApiError), (status = 422, body = ApiError)))]
pub async fn upload(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<(StatusCode, Json<Vec<Attachment>>)> {
    staff_only(&state, &user, id).await?;
    let upload = Upload::check(body, &query.filename, "Files may be at most 10 MiB.")?;
    state.db.add_attachment(id, &upload.file(user.id)).await?;
    Ok((StatusCode::CREATED, Json(state.db.attachments(id).await?)))
}

/// An uploaded file that passed the checks: a size within the route's limit, a clean name,
/// a type allowed by its content.
pub struct Upload {
    pub data: Bytes,
    pub filename: String,
    pub content_type: &'static str,
    pub sha256: String,
}

impl Upload {
    pub fn check(
        body: Result<Bytes, axum::extract::rejection::BytesRejection>,
        filename: &str,
        too_large: &'static str,
    ) -> AppResult<Upload> {
        let data = body.map_err(|_| {
            AppError::client(
                StatusCode::PAYLOAD_TOO_LARGE,
                codes::PAYLOAD_TOO_LARGE,
                too_large,
            )
        })?;
        if data.is_empty() {
            return Err(AppError::field("file", REQUIRED));
        }
        let filename =
            files::clean_filename(filename).ok_or_else(|| AppError::field("filename", INVALID))?;
        let content_type =
            files::sniff(&data, &filename).ok_or_else(|| AppError::field("file", INVALID))?;
        let sha256 = hex::encode(Sha256::digest(&data));
        Ok(Upload {
            data,
            filename,
            content_type,
            sha256,
        })
    }

    pub fn file(&self, uploaded_by: AccountId) -> NewFile<'_> {
        NewFile {
            filename: &self.filename,
            content_type: self.content_type,
            sha256: &self.sha256,
            data: &self.data,
            uploaded_by,
        }
    }
}

/// Answers with a stored file: its type, an ETag of its content hash (304 when unchanged),
/// private caching (members-only files must not sit in shared caches).
pub fn file_response(
    headers: &HeaderMap,
    content_type: &str,
    sha256: &str,
    disposition: Option<&str>,
    data: Vec<u8>,
) -> AppResult<Response> {
    let etag = format!("\"{sha256}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let mut response = Response::new(Body::from(data));
    let h = response.headers_mut();
    let value = |s: &str| {
        HeaderValue::from_str(s).map_err(|e| AppError::Internal(anyhow::anyhow!("header: {e}")))
    };
    h.insert(header::CONTENT_TYPE, value(content_type)?);
    if let Some(d) = disposition {
        h.insert(header::CONTENT_DISPOSITION, value(d)?);
    }
    h.insert(header::ETAG, value(&etag)?);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response)
}

/// The file, with its type and name; revalidated with its content hash as ETag.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "consultations", params(("id" = i64, Path)),
    responses((status = 200, description = "The file"), (status = 304), (status = 404, body = ApiError)))]
pub async fn download(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let consultation = state
        .db
        .attachment_consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    readable(&state, user.as_ref(), consultation).await?;
    let file = state
        .db
        .attachment_file(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    file_response(
        &headers,
        &file.content_type,
        &file.sha256,
        Some(&files::content_disposition(&file.filename)),
        file.data,
    )
}

#[utoipa::path(delete, path = "/api/v1/attachments/{id}", tag = "consultations", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiError)))]
pub async fn remove(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let consultation = state
        .db
        .attachment_consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    staff_only(&state, &user, consultation).await?;
    state.db.delete_attachment(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
