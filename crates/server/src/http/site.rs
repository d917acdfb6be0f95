//! Site settings (public read, admin write) and the home page overview.

use crate::auth::session::{AdminUser, MaybeAuthUser};
use crate::db::consultations::{ConsultationFilter, ListScope};
use crate::db::settings::{COMMITTEE_NAME, FOOTER_TEXT, TIME_ZONE};
use crate::db::Db;
use crate::domain::accounts::parse_text;
use crate::error::{AppResult, FieldErrors};
use crate::http::json::ApiJson;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use yishi_api::field_codes::*;
use yishi_api::*;

pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/site", get(site_info))
        .route("/home", get(home))
        .route("/admin/settings", put(update_settings))
}

pub async fn load_site_info(db: &Db) -> AppResult<SiteInfo> {
    Ok(SiteInfo {
        committee_name: db
            .setting(COMMITTEE_NAME)
            .await?
            .unwrap_or_else(|| "政协".into()),
        footer_text: db.setting(FOOTER_TEXT).await?.unwrap_or_default(),
        time_zone: db
            .setting(TIME_ZONE)
            .await?
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.into()),
    })
}

#[utoipa::path(get, path = "/api/v1/site", tag = "site", responses((status = 200, body = SiteInfo)))]
pub async fn site_info(State(state): State<AppState>) -> AppResult<Json<SiteInfo>> {
    Ok(Json(load_site_info(&state.db).await?))
}

/// What is open now for this visitor: live consultations first, then published ones. Other
/// areas add their open items here as they land.
#[utoipa::path(get, path = "/api/v1/home", tag = "site", responses((status = 200, body = HomeOverview)))]
pub async fn home(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
) -> AppResult<Json<HomeOverview>> {
    let site = load_site_info(&state.db).await?;
    let (sector_count, workstation_count) = state.db.org_counts().await?;
    let scope = match &user {
        None => ListScope::Public,
        Some(_) => ListScope::SignedIn,
    };
    let mut open_items = Vec::new();
    for open_state in [ConsultationState::Live, ConsultationState::Published] {
        let (rows, _) = state
            .db
            .list_consultations(
                scope,
                &ConsultationFilter {
                    state: Some(open_state),
                    ..Default::default()
                },
                None,
                20,
            )
            .await?;
        for row in rows {
            // An online topic past its closing date is no longer open, whatever its state.
            let closed_by_date = row.kind()? == ConsultationKind::Online
                && row.ends_at.is_some_and(|t| t <= crate::db::now_ms());
            if closed_by_date {
                continue;
            }
            open_items.push(OpenItem {
                area: Area::Consultation,
                id: row.id,
                title: row.title.clone(),
                closes_at: row.ends_at,
                live: open_state == ConsultationState::Live,
            });
        }
    }
    // Micro-consultations open for opinions or before their meeting.
    let micro_scope = match &user {
        None => crate::db::micro::MicroScope::Public,
        Some(u) => crate::db::micro::MicroScope::SignedIn(u.id),
    };
    for open_state in [MicroState::Gathering, MicroState::MeetingScheduled] {
        let (rows, _, _) = state
            .db
            .list_micro(
                micro_scope,
                &crate::db::micro::MicroFilter {
                    state: Some(open_state),
                    ..Default::default()
                },
                "",
                None,
                10,
            )
            .await?;
        for row in rows {
            open_items.push(OpenItem {
                area: Area::MicroConsultation,
                id: row.id,
                title: row.title.clone(),
                closes_at: None,
                live: false,
            });
        }
    }
    // Reading groups open now.
    let (groups, _) = state
        .db
        .groups(
            &crate::db::reading::GroupFilter {
                public_only: user.is_none(),
                state: Some(ReadingGroupState::Open),
                ..Default::default()
            },
            None,
            10,
        )
        .await?;
    for g in groups {
        open_items.push(OpenItem {
            area: Area::ReadingGroup,
            id: g.id,
            title: g.name,
            closes_at: None,
            live: false,
        });
    }
    Ok(Json(HomeOverview {
        committee_name: site.committee_name,
        open_items,
        member_count: state.db.count_active_members().await?,
        sector_count,
        workstation_count,
    }))
}

#[utoipa::path(put, path = "/api/v1/admin/settings", tag = "admin", request_body = UpdateSettings,
    responses((status = 200, body = SiteInfo), (status = 422, body = ApiError)))]
pub async fn update_settings(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiJson(body): ApiJson<UpdateSettings>,
) -> AppResult<Json<SiteInfo>> {
    let mut errors = FieldErrors::default();
    let name = body
        .committee_name
        .as_deref()
        .map(|n| parse_text(n, 60))
        .transpose()
        .map_err(|p| errors.add("committee_name", p))
        .ok()
        .flatten();
    let footer = match body.footer_text.as_deref() {
        Some(f) if f.chars().count() > 500 => {
            errors.add("footer_text", TOO_LONG);
            None
        }
        Some(f) => Some(f.trim().to_owned()),
        None => None,
    };
    let zone = match body.time_zone.as_deref().map(str::trim) {
        Some(z) if z.parse::<chrono_tz::Tz>().is_err() => {
            errors.add("time_zone", INVALID);
            None
        }
        other => other.map(str::to_owned),
    };
    errors.into_result()?;
    if let Some(n) = name {
        state.db.set_setting(COMMITTEE_NAME, &n).await?;
    }
    if let Some(f) = footer {
        state.db.set_setting(FOOTER_TEXT, &f).await?;
    }
    if let Some(z) = zone {
        state.db.set_setting(TIME_ZONE, &z).await?;
    }
    Ok(Json(load_site_info(&state.db).await?))
}
