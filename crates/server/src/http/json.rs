//! A JSON body extractor whose rejections use the API error shape.

use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use yishi_api::codes;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(AppError::client(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                codes::BAD_REQUEST,
                "Send the body as application/json.",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                AppError::client(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    codes::PAYLOAD_TOO_LARGE,
                    "The request body is too large.",
                )
            })?;
        // PostgreSQL cannot store U+0000 in text, and no honest text contains it: refused
        // here, once, for every field of every request.
        if has_nul_escape(&bytes) {
            return Err(AppError::client(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::VALIDATION,
                "Text may not contain NUL characters (U+0000).",
            ));
        }
        axum::Json::<T>::from_bytes(&bytes)
            .map(|axum::Json(v)| ApiJson(v))
            .map_err(|rejection| {
                AppError::client(
                    StatusCode::BAD_REQUEST,
                    codes::INVALID_JSON,
                    rejection.body_text(),
                )
            })
    }
}

/// `application/json`, or a `+json` type, as axum's own extractor accepts.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Whether JSON text holds the escape `\u0000` (a backslash escaped itself does not count).
fn has_nul_escape(json: &[u8]) -> bool {
    let needle = b"u0000";
    let mut i = 0;
    while i + needle.len() < json.len() + 1 {
        if json[i..].starts_with(needle) {
            let backslashes = json[..i].iter().rev().take_while(|b| **b == b'\\').count();
            if backslashes % 2 == 1 {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Query string extractor whose rejections use the API error shape.
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        if parts.uri.query().is_some_and(|q| q.contains("%00")) {
            return Err(AppError::client(
                StatusCode::BAD_REQUEST,
                codes::BAD_REQUEST,
                "The query may not contain NUL characters.",
            ));
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|r| {
                AppError::client(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, r.body_text())
            })
    }
}

/// Path parameters extractor whose rejections use the API error shape (`/members/abc` is 400).
pub struct ApiPath<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|r| {
                AppError::client(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, r.body_text())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::has_nul_escape;

    #[test]
    fn finds_nul_escapes_but_not_escaped_backslashes() {
        assert!(has_nul_escape(br#"{"body":"a\u0000b"}"#));
        assert!(has_nul_escape(br#"{"body":"\\\u0000"}"#));
        assert!(!has_nul_escape(br#"{"body":"a\\u0000b"}"#));
        assert!(!has_nul_escape(br#"{"body":"u0000"}"#));
    }
}
