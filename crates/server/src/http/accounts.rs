//! Admin account management: list, create, edit, deactivate, reset, CSV import.

use crate::auth::password;
use crate::auth::session::AdminUser;
use crate::db::accounts::{insert_account, AccountFilter, AccountRecord};
use crate::domain::accounts::*;
use crate::domain::import;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::json::ApiJson;
use crate::http::json::{ApiPath, ApiQuery};
use crate::http::pagination::{next_cursor, PageQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(list).post(create))
        .route("/admin/accounts/{id}", get(one).put(update))
        .route("/admin/accounts/{id}/reset-password", post(reset_password))
        .route("/admin/accounts/import/preview", post(import_preview))
        .route("/admin/accounts/import", post(import_commit))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountListQuery {
    /// Part of a username, name or phone number.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/accounts", tag = "admin", params(AccountListQuery),
    responses((status = 200, body = Page<AccountSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiQuery(query): ApiQuery<AccountListQuery>,
) -> AppResult<Json<Page<AccountSummary>>> {
    // Flattening a shared struct breaks number parsing in query strings, so the page
    // fields are repeated here and checked by `PageQuery`.
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = page.limit()?;
    let after = page.after()?;
    let filter = AccountFilter {
        query: query.q,
        role: query.role,
        active: query.active,
    };
    let (items, total) = state.db.list_accounts(&filter, after, limit).await?;
    let next_cursor = next_cursor(&items, limit, |a| a.id.0);
    Ok(Json(Page {
        items,
        next_cursor,
        total,
    }))
}

#[utoipa::path(get, path = "/api/v1/admin/accounts/{id}", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, body = AccountSummary), (status = 404, body = ApiError)))]
pub async fn one(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<AccountSummary>> {
    state
        .db
        .account_summary(AccountId(id))
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// The checked editable fields shared by create and update.
struct CheckedFields {
    display_name: String,
    phone: Option<String>,
    title: Option<String>,
}

/// The fields that create and update both carry, borrowed from either request.
struct EditableFields<'a> {
    display_name: &'a str,
    phone: Option<&'a str>,
    title: Option<&'a str>,
    role: Role,
    links: [(&'static str, Option<i64>); 4],
}

macro_rules! editable_fields {
    ($body:expr) => {
        EditableFields {
            display_name: &$body.display_name,
            phone: $body.phone.as_deref(),
            title: $body.title.as_deref(),
            role: $body.role,
            links: [
                ("sector_id", $body.sector_id.map(|i| i.0)),
                ("committee_id", $body.committee_id.map(|i| i.0)),
                ("department_id", $body.department_id.map(|i| i.0)),
                ("workstation_id", $body.workstation_id.map(|i| i.0)),
            ],
        }
    };
}

async fn check_fields(
    state: &AppState,
    errors: &mut FieldErrors,
    this: Option<AccountId>,
    input: EditableFields<'_>,
) -> AppResult<CheckedFields> {
    let display_name = parse_text(input.display_name, MAX_NAME_CHARS)
        .map_err(|p| errors.add("display_name", p))
        .unwrap_or_default();
    let phone = parse_phone(input.phone.unwrap_or(""))
        .map_err(|p| errors.add("phone", p))
        .ok()
        .flatten();
    if let Some(p) = &phone {
        if state.db.phone_taken(p, this).await? {
            errors.add("phone", TAKEN);
        }
    }
    let title = parse_optional_text(input.title, MAX_TITLE_CHARS)
        .map_err(|p| errors.add("title", p))
        .ok()
        .flatten();
    let org = state.db.organisation().await?;
    for (field, id) in input.links {
        if let Some(id) = id {
            if !org_has(&org, field, id) {
                errors.add(field, UNKNOWN);
            }
        }
    }
    if let Err((field, problem)) = check_role_links(input.role, input.links[2].1.is_some()) {
        errors.add(field, problem);
    }
    Ok(CheckedFields {
        display_name,
        phone,
        title,
    })
}

#[utoipa::path(post, path = "/api/v1/admin/accounts", tag = "admin", request_body = NewAccount,
    responses((status = 201, body = IssuedCredentials), (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiJson(body): ApiJson<NewAccount>,
) -> AppResult<(StatusCode, Json<IssuedCredentials>)> {
    let mut errors = FieldErrors::default();
    let username = parse_username(&body.username)
        .map_err(|p| errors.add("username", p))
        .unwrap_or_default();
    if !username.is_empty() && state.db.username_taken(&username).await? {
        errors.add("username", TAKEN);
    }
    let fields = check_fields(&state, &mut errors, None, editable_fields!(body)).await?;
    errors.into_result()?;

    let one_time = password::generate_one_time();
    let hash = password::hash(one_time.clone(), state.config.password_hashing).await?;
    let mut tx = state.db.pool.begin().await?;
    let id = insert_account(
        &mut tx,
        &AccountRecord {
            username: &username,
            display_name: &fields.display_name,
            role: body.role,
            phone: fields.phone.as_deref(),
            title: fields.title.as_deref(),
            sector_id: body.sector_id,
            committee_id: body.committee_id,
            department_id: body.department_id,
            workstation_id: body.workstation_id,
            password_hash: &hash,
            must_change_password: true,
        },
    )
    .await?;
    tx.commit().await?;
    let account = state
        .db
        .account_summary(AccountId(id))
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedCredentials {
            account,
            one_time_password: one_time,
        }),
    ))
}

/// Edits an account. Setting `active` to false deactivates it and ends its sessions.
#[utoipa::path(put, path = "/api/v1/admin/accounts/{id}", tag = "admin", request_body = UpdateAccount,
    params(("id" = i64, Path)), responses((status = 200, body = AccountSummary), (status = 422, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateAccount>,
) -> AppResult<Json<AccountSummary>> {
    let id = AccountId(id);
    if state.db.account_summary(id).await?.is_none() {
        return Err(AppError::not_found());
    }
    let mut errors = FieldErrors::default();
    if id == admin.id && (!body.active || body.role != Role::Admin) {
        // An admin cannot lock themselves out; another admin must do it.
        errors.add(if body.active { "role" } else { "active" }, INVALID);
    }
    let fields = check_fields(&state, &mut errors, Some(id), editable_fields!(body)).await?;
    errors.into_result()?;
    let edit = UpdateAccount {
        display_name: fields.display_name,
        phone: fields.phone,
        title: fields.title,
        ..body
    };
    state.db.update_account(id, &edit).await?;
    if !edit.active {
        state.db.delete_sessions_of(id).await?;
        state.hub.notify();
    }
    state
        .db
        .account_summary(id)
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// Issues a new one-time password; the account must change it at next sign-in.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/reset-password", tag = "admin",
    params(("id" = i64, Path)), responses((status = 200, body = IssuedCredentials), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn reset_password(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<IssuedCredentials>> {
    let id = AccountId(id);
    // A one-time password for oneself would lock this session out until it is changed.
    if id == admin.id {
        return Err(AppError::conflict(
            codes::OWN_ACCOUNT,
            "Change your own password from your profile instead.",
        ));
    }
    let one_time = password::generate_one_time();
    let hash = password::hash(one_time.clone(), state.config.password_hashing).await?;
    if !state.db.set_password(id, &hash, true).await? {
        return Err(AppError::not_found());
    }
    state.hub.notify();
    let account = state
        .db
        .account_summary(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(IssuedCredentials {
        account,
        one_time_password: one_time,
    }))
}

async fn check_import(state: &AppState, body: &ImportAccounts) -> AppResult<import::CheckedImport> {
    if body.csv.len() > MAX_IMPORT_BYTES {
        return Err(AppError::field("csv", TOO_LONG));
    }
    let org = state.db.organisation().await?;
    let (usernames, phones) = state.db.taken_logins().await?;
    import::check(&body.csv, &org, &usernames, &phones)
        .map_err(|import::FileProblem(p)| AppError::field("csv", p))
}

/// Checks a CSV file and reports every row's problems, importing nothing.
#[utoipa::path(post, path = "/api/v1/admin/accounts/import/preview", tag = "admin", request_body = ImportAccounts,
    responses((status = 200, body = ImportPreview), (status = 422, body = ApiError)))]
pub async fn import_preview(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiJson(body): ApiJson<ImportAccounts>,
) -> AppResult<Json<ImportPreview>> {
    Ok(Json(check_import(&state, &body).await?.preview))
}

/// Imports in one transaction: all valid rows or nothing. With invalid rows the import is
/// refused (422 with the preview) unless `skip_invalid` is set.
#[utoipa::path(post, path = "/api/v1/admin/accounts/import", tag = "admin", request_body = ImportAccounts,
    responses((status = 201, body = ImportResult), (status = 422, body = ApiError)))]
pub async fn import_commit(
    State(state): State<AppState>,
    _admin: AdminUser,
    ApiJson(body): ApiJson<ImportAccounts>,
) -> AppResult<(StatusCode, Json<ImportResult>)> {
    let checked = check_import(&state, &body).await?;
    if checked.preview.error_count > 0 && !body.skip_invalid {
        return Err(AppError::Import(checked.preview));
    }
    if checked.valid.is_empty() {
        return Err(AppError::field("csv", REQUIRED));
    }
    // One-time passwords are 12 random characters (~68 bits), so a lighter hash is safe
    // for them and keeps an import of hundreds of members fast; they must be replaced.
    let cost = state.config.password_hashing.for_one_time();
    let mut issued = Vec::with_capacity(checked.valid.len());
    for _ in &checked.valid {
        let one_time = password::generate_one_time();
        let hash = password::hash(one_time.clone(), cost).await?;
        issued.push((one_time, hash));
    }
    let mut tx = state.db.pool.begin().await?;
    let mut ids = Vec::with_capacity(issued.len());
    for (row, (_, hash)) in checked.valid.iter().zip(&issued) {
        let record = AccountRecord {
            username: &row.username,
            display_name: &row.display_name,
            role: row.role,
            phone: row.phone.as_deref(),
            title: row.title.as_deref(),
            sector_id: row.sector_id,
            committee_id: row.committee_id,
            department_id: row.department_id,
            workstation_id: row.workstation_id,
            password_hash: hash,
            must_change_password: true,
        };
        ids.push(insert_account(&mut tx, &record).await?);
    }
    tx.commit().await?;
    let mut created = Vec::with_capacity(ids.len());
    for (id, (one_time, _)) in ids.into_iter().zip(issued) {
        let account = state
            .db
            .account_summary(AccountId(id))
            .await?
            .ok_or_else(AppError::not_found)?;
        created.push(IssuedCredentials {
            account,
            one_time_password: one_time,
        });
    }
    Ok((
        StatusCode::CREATED,
        Json(ImportResult {
            created,
            skipped: checked.preview.error_count,
        }),
    ))
}
