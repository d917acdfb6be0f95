//! A JSON body extractor whose rejections use the API error shape.

use crate::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use yishi_api::codes;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => AppError::client(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    codes::BAD_REQUEST,
                    "Send the body as application/json.",
                ),
                JsonRejection::BytesRejection(_) => AppError::client(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    codes::PAYLOAD_TOO_LARGE,
                    "The request body is too large.",
                ),
                other => AppError::client(
                    StatusCode::BAD_REQUEST,
                    codes::INVALID_JSON,
                    other.body_text(),
                ),
            }),
        }
    }
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
