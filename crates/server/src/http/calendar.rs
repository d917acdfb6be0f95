//! The committee calendar: holidays and make-up working days, maintained by admins.

use crate::auth::session::{AdminUser, AuthUser};
use crate::domain::accounts::parse_optional_text;
use crate::domain::calendar::parse_date;
use crate::error::{AppError, AppResult};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(list))
        .route("/admin/calendar/{date}", put(set).delete(remove))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: i32,
}

/// One year's exceptions, in date order.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", params(YearQuery),
    responses((status = 200, body = Vec<CalendarDay>), (status = 422, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    _user: AuthUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> AppResult<Json<Vec<CalendarDay>>> {
    if !(2000..=2100).contains(&q.year) {
        return Err(AppError::field("year", INVALID));
    }
    Ok(Json(state.db.calendar_days(q.year).await?))
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalendarDayInput {
    pub kind: DayKind,
    #[serde(default)]
    pub name: String,
}

/// Marks a date a holiday or a make-up working day (replacing what it was).
#[utoipa::path(put, path = "/api/v1/admin/calendar/{date}", tag = "calendar", request_body = CalendarDayInput,
    params(("date" = String, Path)), responses((status = 200, body = CalendarDay), (status = 422, body = ApiError)))]
pub async fn set(
    State(state): State<AppState>,
    AdminUser(_): AdminUser,
    ApiPath(date): ApiPath<String>,
    ApiJson(body): ApiJson<CalendarDayInput>,
) -> AppResult<Json<CalendarDay>> {
    let day = parse_date(&date).ok_or_else(|| AppError::field("date", INVALID))?;
    let name = parse_optional_text(Some(&body.name), 40)
        .map_err(|p| AppError::field("name", p))?
        .unwrap_or_default();
    let entry = CalendarDay {
        date: crate::domain::calendar::format_date(day),
        kind: body.kind,
        name,
    };
    state.db.set_calendar_day(&entry).await?;
    Ok(Json(entry))
}

/// Makes a date an ordinary day again.
#[utoipa::path(delete, path = "/api/v1/admin/calendar/{date}", tag = "calendar",
    params(("date" = String, Path)), responses((status = 204), (status = 404, body = ApiError)))]
pub async fn remove(
    State(state): State<AppState>,
    AdminUser(_): AdminUser,
    ApiPath(date): ApiPath<String>,
) -> AppResult<StatusCode> {
    let day = parse_date(&date).ok_or_else(|| AppError::field("date", INVALID))?;
    if state
        .db
        .delete_calendar_day(&crate::domain::calendar::format_date(day))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found())
    }
}
