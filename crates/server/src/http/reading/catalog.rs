//! Reading periods and books (staff keep the catalogue), and book covers.

use crate::auth::session::{AdminUser, MaybeAuthUser};
use crate::domain::accounts::parse_text;
use crate::domain::calendar::parse_date;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::attachments::{file_response, Upload};
use crate::http::json::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use yishi_api::field_codes::*;
use yishi_api::*;

/// Reading periods, newest first.
#[utoipa::path(get, path = "/api/v1/reading-periods", tag = "reading",
    responses((status = 200, body = Vec<ReadingPeriod>)))]
pub async fn periods(State(state): State<AppState>) -> AppResult<Json<Vec<ReadingPeriod>>> {
    Ok(Json(state.db.periods().await?))
}

/// Staff open a reading period (name and dates).
#[utoipa::path(post, path = "/api/v1/reading-periods", tag = "reading", request_body = ReadingPeriodInput,
    responses((status = 201, body = ReadingPeriod), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_period(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiJson(input): ApiJson<ReadingPeriodInput>,
) -> AppResult<(StatusCode, Json<ReadingPeriod>)> {
    let mut errors = FieldErrors::default();
    let name = parse_text(&input.name, MAX_GROUP_NAME_CHARS).unwrap_or_else(|p| {
        errors.add("name", p);
        String::new()
    });
    let starts = parse_date(&input.starts_on);
    let ends = parse_date(&input.ends_on);
    if starts.is_none() {
        errors.add("starts_on", INVALID);
    }
    match (starts, ends) {
        (_, None) => errors.add("ends_on", INVALID),
        (Some(s), Some(e)) if e < s => errors.add("ends_on", INVALID),
        _ => {}
    }
    errors.into_result()?;
    let period = state
        .db
        .create_period(&ReadingPeriodInput { name, ..input })
        .await?;
    Ok((StatusCode::CREATED, Json(period)))
}

/// Every book with its chapters (staff, for the group form).
#[utoipa::path(get, path = "/api/v1/books", tag = "reading",
    responses((status = 200, body = Vec<Book>), (status = 403, body = ApiError)))]
pub async fn books(State(state): State<AppState>, _admin: AdminUser) -> AppResult<Json<Vec<Book>>> {
    Ok(Json(state.db.books(None).await?))
}

/// Staff add a book: title, author, publisher, year and its chapters in order.
#[utoipa::path(post, path = "/api/v1/books", tag = "reading", request_body = BookInput,
    responses((status = 201, body = Book), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_book(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(input): ApiJson<BookInput>,
) -> AppResult<(StatusCode, Json<Book>)> {
    let mut errors = FieldErrors::default();
    let mut field = |name: &str, raw: &str, max: usize, required: bool| -> String {
        if !required && raw.trim().is_empty() {
            return String::new();
        }
        parse_text(raw, max).unwrap_or_else(|p| {
            errors.add(name, p);
            String::new()
        })
    };
    let title = field("title", &input.title, 100, true);
    let author = field("author", &input.author, 100, false);
    let publisher = field("publisher", &input.publisher, 100, false);
    let mut chapters = Vec::new();
    for raw in &input.chapters {
        chapters.push(field("chapters", raw, 100, true));
    }
    if input.chapters.is_empty() {
        errors.add("chapters", REQUIRED);
    }
    if input.chapters.len() > MAX_BOOK_CHAPTERS {
        errors.add("chapters", TOO_LONG);
    }
    if input.year.is_some_and(|y| !(1..=2100).contains(&y)) {
        errors.add("year", INVALID);
    }
    errors.into_result()?;
    let checked = BookInput {
        title,
        author,
        publisher,
        year: input.year,
        chapters,
    };
    let id = state.db.create_book(&checked, admin.id).await?;
    let book = state
        .db
        .books(Some(&[id]))
        .await?
        .pop()
        .ok_or_else(AppError::not_found)?;
    Ok((StatusCode::CREATED, Json(book)))
}

const COVER_TOO_LARGE: &str = "Covers may be at most 2 MiB.";

/// Staff upload a book's cover (JPEG, PNG, WebP or GIF, at most 2 MiB) as the raw body; it
/// replaces the previous one.
#[utoipa::path(put, path = "/api/v1/books/{id}/cover", tag = "reading",
    params(("id" = i64, Path)), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = Book), (status = 413, body = ApiError), (status = 422, body = ApiError)))]
pub async fn set_cover(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<Json<Book>> {
    let upload = Upload::check(body, "cover", COVER_TOO_LARGE)?;
    if !upload.content_type.starts_with("image/") {
        return Err(AppError::field("file", INVALID));
    }
    if !state
        .db
        .set_cover(id, upload.content_type, &upload.sha256, &upload.data)
        .await?
    {
        return Err(AppError::not_found());
    }
    let book = state
        .db
        .books(Some(&[id]))
        .await?
        .pop()
        .ok_or_else(AppError::not_found)?;
    Ok(Json(book))
}

/// A book's cover: for anyone when a public group reads the book, else for signed-in readers.
#[utoipa::path(get, path = "/api/v1/books/{id}/cover", tag = "reading", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/*", body = Vec<u8>), (status = 404, body = ApiError)))]
pub async fn cover(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if user.is_none() && !state.db.book_in_public_group(id).await? {
        return Err(AppError::not_found());
    }
    let (content_type, sha, data) = state.db.cover(id).await?.ok_or_else(AppError::not_found)?;
    file_response(&headers, &content_type, &sha, None, data)
}
