//! The organisation: anyone reads it; admins add, rename and remove units.

use crate::auth::session::AdminUser;
use crate::domain::accounts::parse_text;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::json::ApiJson;
use crate::http::json::ApiPath;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/org", get(organisation))
        .route("/admin/org/{kind}", post(create_unit))
        .route(
            "/admin/org/{kind}/{id}",
            patch(update_unit).delete(delete_unit),
        )
}

fn kind(segment: &str) -> AppResult<OrgKind> {
    OrgKind::from_segment(segment).ok_or_else(AppError::not_found)
}

struct CheckedUnit {
    name: String,
    address: String,
}

fn check(kind: OrgKind, input: &OrgUnitInput) -> AppResult<CheckedUnit> {
    let mut errors = FieldErrors::default();
    let name = parse_text(&input.name, 60)
        .map_err(|p| errors.add("name", p))
        .ok();
    let address = input.address.as_deref().unwrap_or("").trim().to_owned();
    if kind == OrgKind::Workstations && address.chars().count() > 200 {
        errors.add("address", TOO_LONG);
    }
    errors.into_result()?;
    Ok(CheckedUnit {
        name: name.unwrap_or_default(),
        address,
    })
}

/// Unique names per list: a duplicate is a field error, not a bare conflict.
fn name_taken(e: AppError) -> AppError {
    match e {
        AppError::Database(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            AppError::field("name", TAKEN)
        }
        other => other,
    }
}

#[utoipa::path(get, path = "/api/v1/org", tag = "organisation", responses((status = 200, body = Organisation)))]
pub async fn organisation(State(state): State<AppState>) -> AppResult<Json<Organisation>> {
    Ok(Json(state.db.organisation().await?))
}

#[utoipa::path(post, path = "/api/v1/admin/org/{kind}", tag = "admin", request_body = OrgUnitInput,
    params(("kind" = OrgKind, Path)), responses((status = 201, body = OrgUnit), (status = 422, body = ApiError)))]
pub async fn create_unit(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiPath(segment): ApiPath<String>,
    ApiJson(input): ApiJson<OrgUnitInput>,
) -> AppResult<(StatusCode, Json<OrgUnit>)> {
    let kind = kind(&segment)?;
    let unit = check(kind, &input)?;
    let created = state
        .db
        .create_org_unit(kind, &unit.name, &unit.address)
        .await
        .map_err(|e| name_taken(e.into()))?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(patch, path = "/api/v1/admin/org/{kind}/{id}", tag = "admin", request_body = OrgUnitInput,
    params(("kind" = OrgKind, Path), ("id" = i64, Path)), responses((status = 200, body = OrgUnit), (status = 404, body = ApiError)))]
pub async fn update_unit(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiPath((segment, id)): ApiPath<(String, i64)>,
    ApiJson(input): ApiJson<OrgUnitInput>,
) -> AppResult<Json<OrgUnit>> {
    let kind = kind(&segment)?;
    let unit = check(kind, &input)?;
    let updated = state
        .db
        .update_org_unit(kind, id, &unit.name, &unit.address)
        .await
        .map_err(|e| name_taken(e.into()))?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(updated))
}

/// Only units no account refers to can be removed; others answer 409 `in_use`.
#[utoipa::path(delete, path = "/api/v1/admin/org/{kind}/{id}", tag = "admin",
    params(("kind" = OrgKind, Path), ("id" = i64, Path)), responses((status = 204), (status = 409, body = ApiError)))]
pub async fn delete_unit(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiPath((segment, id)): ApiPath<(String, i64)>,
) -> AppResult<StatusCode> {
    let kind = kind(&segment)?;
    if state.db.org_unit_usage(kind, id).await? > 0 {
        return Err(AppError::conflict(
            codes::IN_USE,
            "Accounts still belong to this unit.",
        ));
    }
    if state.db.delete_org_unit(kind, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found())
    }
}
