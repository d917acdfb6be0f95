//! The signed-in account's notification centre and channel settings.

use crate::auth::session::AuthUser;
use crate::error::{AppError, AppResult};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::pagination::{Cursor, PageQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read", post(mark_read))
        .route("/notifications/settings", get(settings).put(save_settings))
}

/// Newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(PageQuery),
    responses((status = 200, body = NotificationPage), (status = 401, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> AppResult<Json<NotificationPage>> {
    let (items, more, unread) = state
        .db
        .notifications(user.id, page.before()?, page.limit()?)
        .await?;
    let next_cursor = more
        .then(|| items.last().map(|n| Cursor::after(n.id)))
        .flatten();
    Ok(Json(NotificationPage {
        items,
        next_cursor,
        unread,
    }))
}

/// Which to mark read: one (`id`) or all (no id).
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MarkRead {
    #[serde(default)]
    pub id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unread {
    pub unread: i64,
}

#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications", request_body = MarkRead,
    responses((status = 200, body = Unread)))]
pub async fn mark_read(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<MarkRead>,
) -> AppResult<Json<Unread>> {
    let unread = state.db.mark_read(user.id, body.id).await?;
    state.hub.notify();
    Ok(Json(Unread { unread }))
}

fn settings_of(
    state: &AppState,
    settings: Vec<ChannelSetting>,
    email: Option<String>,
) -> NotificationSettings {
    let out = &state.config.outbound;
    NotificationSettings {
        settings,
        email,
        email_available: out.smtp_url.is_some(),
        webhook_available: out.webhook_url.is_some(),
    }
}

#[utoipa::path(get, path = "/api/v1/notifications/settings", tag = "notifications",
    responses((status = 200, body = NotificationSettings)))]
pub async fn settings(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<NotificationSettings>> {
    let (settings, email) = state.db.notification_settings(user.id).await?;
    Ok(Json(settings_of(&state, settings, email)))
}

/// Longest email address accepted.
const MAX_EMAIL_CHARS: usize = 254;

#[utoipa::path(put, path = "/api/v1/notifications/settings", tag = "notifications",
    request_body = UpdateNotificationSettings,
    responses((status = 200, body = NotificationSettings), (status = 422, body = ApiError)))]
pub async fn save_settings(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<UpdateNotificationSettings>,
) -> AppResult<Json<NotificationSettings>> {
    if body.settings.len() > NotificationKind::ALL.len() * Channel::ALL.len() {
        return Err(AppError::field("settings", INVALID));
    }
    // `Some("")` clears the address, `None` leaves it as it is.
    let wanted = body.email.as_deref().map(str::trim);
    if let Some(e) = wanted.filter(|e| !e.is_empty()) {
        let shape_ok = e.chars().count() <= MAX_EMAIL_CHARS && e.parse::<lettre::Address>().is_ok();
        if !shape_ok {
            return Err(AppError::field("email", INVALID));
        }
    }
    let (_, stored) = state.db.notification_settings(user.id).await?;
    let stored = stored.unwrap_or_default();
    let change = wanted.filter(|e| *e != stored);
    if change.is_some() {
        // The address receives password-reset links: changing it takes the password, so a
        // borrowed session cannot make the account its own.
        let given = body.current_password.clone().unwrap_or_default();
        if given.is_empty() {
            return Err(AppError::field("current_password", REQUIRED));
        }
        let hash = state
            .db
            .password_hash(user.id)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        if !crate::auth::password::verify(given, hash).await? {
            return Err(AppError::field("current_password", WRONG));
        }
    }
    state
        .db
        .save_notification_settings(user.id, &body.settings, change)
        .await?;
    let (settings, email) = state.db.notification_settings(user.id).await?;
    Ok(Json(settings_of(&state, settings, email)))
}
