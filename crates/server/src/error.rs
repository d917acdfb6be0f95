//! One error type for every handler. Client errors carry a stable code; internal errors are
//! logged in full and sent as a generic message, so no internals leak.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;
use yishi_api::{codes, ApiError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Client {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("validation failed")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// Import refused: the preview with per-row errors goes back to the client.
    #[error("import has invalid rows")]
    Import(yishi_api::ImportPreview),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn client(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Client {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::client(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
    }
    pub fn unauthenticated() -> Self {
        Self::client(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHENTICATED,
            "Please sign in first.",
        )
    }
    pub fn forbidden() -> Self {
        Self::client(
            StatusCode::FORBIDDEN,
            codes::FORBIDDEN,
            "You do not have access to this.",
        )
    }
    pub fn not_found() -> Self {
        Self::client(StatusCode::NOT_FOUND, codes::NOT_FOUND, "Not found.")
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::client(StatusCode::CONFLICT, code, message)
    }
    pub fn field(field: &str, problem: &str) -> Self {
        let mut fields = BTreeMap::new();
        fields.insert(field.to_owned(), problem.to_owned());
        AppError::Validation {
            message: "Some fields need correcting.".into(),
            fields,
        }
    }
}

/// Collects field problems while checking a request, then fails once with all of them.
#[derive(Default)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, problem: &str) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| problem.to_owned());
    }
    pub fn into_result(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation {
                message: "Some fields need correcting.".into(),
                fields: self.0,
            })
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            AppError::Client {
                status,
                code,
                message,
            } => (status, ApiError::new(code, message)),
            AppError::Validation { message, fields } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError {
                    code: codes::VALIDATION.into(),
                    message,
                    fields,
                },
            ),
            AppError::Import(preview) => {
                let body = serde_json::json!({
                    "code": codes::IMPORT_HAS_ERRORS,
                    "message": "Some rows are invalid; nothing was imported.",
                    "preview": preview,
                });
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
            }
            AppError::RateLimited { retry_after_secs } => {
                let body =
                    ApiError::new(codes::RATE_LIMITED, "Too many attempts; try again later.");
                let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
                if let Ok(v) = retry_after_secs.to_string().parse() {
                    response
                        .headers_mut()
                        .insert(axum::http::header::RETRY_AFTER, v);
                }
                return response;
            }
            AppError::Database(e) => database_error(e),
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ApiError::new(codes::INTERNAL, "Something went wrong on our side."),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// Constraint violations are the client's doing (a race with another admin, say): 409.
/// Pool exhaustion or a lost database is 503 so clients retry; the rest is logged as internal.
fn database_error(e: sqlx::Error) -> (StatusCode, ApiError) {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return (
                StatusCode::CONFLICT,
                ApiError::new(codes::CONFLICT, "This already exists."),
            );
        }
        if db.is_foreign_key_violation() {
            return (
                StatusCode::CONFLICT,
                ApiError::new(
                    codes::IN_USE,
                    "This refers to, or is referred to by, other records.",
                ),
            );
        }
    }
    if matches!(
        e,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    ) {
        tracing::warn!(error = ?e, "database unavailable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            ApiError::new(
                codes::UNAVAILABLE,
                "The service is busy; please retry shortly.",
            ),
        );
    }
    tracing::error!(error = ?e, "database error");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        ApiError::new(codes::INTERNAL, "Something went wrong on our side."),
    )
}
