//! Member profiles and the signed-in user's own activity.

use crate::auth::session::AuthUser;
use crate::error::{AppError, AppResult};
use crate::http::json::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/members/{id}", get(profile))
        .route("/me/activity", get(activity))
}

/// A profile: name, sector, committee, workstation. Signed-in users only (decisions.md).
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = MemberProfile), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn profile(
    State(state): State<AppState>,
    _user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<MemberProfile>> {
    state
        .db
        .profile(AccountId(id))
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// The user's own items grouped by area. Each area adds its group as it lands.
#[utoipa::path(get, path = "/api/v1/me/activity", tag = "members",
    responses((status = 200, body = MyActivity), (status = 401, body = ApiError)))]
pub async fn activity(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<MyActivity>> {
    let profile = state
        .db
        .profile(user.id)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    let (groups, _) = state
        .db
        .groups(
            &crate::db::reading::GroupFilter {
                member_of: Some(user.id),
                ..Default::default()
            },
            None,
            50,
        )
        .await?;
    let reading = ActivityGroup {
        area: Area::ReadingGroup,
        items: groups
            .into_iter()
            .map(|g| OpenItem {
                area: Area::ReadingGroup,
                id: g.id,
                title: g.name,
                closes_at: None,
                live: false,
            })
            .collect(),
    };
    Ok(Json(MyActivity {
        profile,
        groups: vec![reading],
    }))
}
