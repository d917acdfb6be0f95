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
            AppError::Database(e) => {
                let (status, body) = database_error(e);
                let mut response = (status, Json(body)).into_response();
                if status == StatusCode::SERVICE_UNAVAILABLE {
                    response.headers_mut().insert(
                        axum::http::header::RETRY_AFTER,
                        axum::http::HeaderValue::from_static("5"),
                    );
                }
                return response;
            }
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
    if let Some(kind) = trouble(&e) {
        let message = match kind {
            Trouble::CannotStore => {
                tracing::error!(error = ?e, "database cannot store changes (read-only or full)");
                "The database cannot store changes right now (it is read-only or full); \
                 nothing was saved. Reading still works; please retry later."
            }
            Trouble::Contention => {
                tracing::warn!(error = ?e, "database contention");
                "The database is busy right now; nothing was changed. Please retry."
            }
            Trouble::Unreachable => {
                tracing::warn!(error = ?e, "database unavailable");
                "The database cannot be reached right now; nothing was changed. \
                 Please retry shortly."
            }
        };
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            ApiError::new(codes::UNAVAILABLE, message),
        );
    }
    tracing::error!(error = ?e, "database error");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        ApiError::new(codes::INTERNAL, "Something went wrong on our side."),
    )
}

/// Database failures that are the environment's, not the request's: answered 503 with a
/// Retry-After, and the server carries on (pools reconnect, the event reader retries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// Read-only file or database, disk or quota full: reads still work.
    CannotStore,
    /// The database is down, restarting, unreachable or out of connections.
    Unreachable,
    /// Another writer held the data too long, or a deadlock was broken: a retry will do.
    Contention,
}

/// Classifies by the engine's own error type: SQLite result codes and PostgreSQL SQLSTATEs
/// are both strings of digits, so the code alone cannot tell which engine spoke.
pub fn trouble(e: &sqlx::Error) -> Option<Trouble> {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => Some(Trouble::Unreachable),
        sqlx::Error::Database(db) => {
            if let Some(sqlite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                let extended: i64 =
                    sqlx::error::DatabaseError::code(sqlite).and_then(|c| c.parse().ok())?;
                // The low byte of an extended result code is the primary code.
                return match extended & 0xff {
                    8 | 13 => Some(Trouble::CannotStore), // SQLITE_READONLY, SQLITE_FULL
                    10 | 14 => Some(Trouble::Unreachable), // SQLITE_IOERR, SQLITE_CANTOPEN
                    5 | 6 => Some(Trouble::Contention),   // SQLITE_BUSY, SQLITE_LOCKED
                    _ => None,
                };
            }
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                return postgres_trouble(pg.code());
            }
            None
        }
        _ => None,
    }
}

fn postgres_trouble(sqlstate: &str) -> Option<Trouble> {
    match sqlstate {
        // read_only_sql_transaction (a replica, a read-only default), disk_full.
        "25006" | "53100" => Some(Trouble::CannotStore),
        // serialization_failure, deadlock_detected.
        "40001" | "40P01" => Some(Trouble::Contention),
        // admin_shutdown, crash_shutdown, cannot_connect_now; not query_canceled (57014,
        // a statement timeout), which is the query's fault.
        "57P01" | "57P02" | "57P03" => Some(Trouble::Unreachable),
        // connection_exception; insufficient_resources (memory, too many connections).
        code if code.starts_with("08") || code.starts_with("53") => Some(Trouble::Unreachable),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_codes_are_told_apart_from_client_errors() {
        assert_eq!(postgres_trouble("53100"), Some(Trouble::CannotStore));
        assert_eq!(postgres_trouble("25006"), Some(Trouble::CannotStore));
        assert_eq!(postgres_trouble("53300"), Some(Trouble::Unreachable));
        assert_eq!(postgres_trouble("08006"), Some(Trouble::Unreachable));
        assert_eq!(postgres_trouble("57P01"), Some(Trouble::Unreachable));
        assert_eq!(postgres_trouble("40P01"), Some(Trouble::Contention));
        // The client's or the code's doing: not a 503.
        for code in ["22021", "21000", "22024", "42501", "57014", "23505"] {
            assert_eq!(postgres_trouble(code), None, "{code}");
        }
    }
}
