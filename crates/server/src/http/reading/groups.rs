//! Groups: list and detail (public groups for everyone), staff create and edit them and move
//! their state, members join and leave, the owner manages members, check-ins and progress.

use super::{readable, Group};
use crate::auth::session::{AdminUser, AuthUser, MaybeAuthUser};
use crate::db::reading::{GroupFilter, GroupRecord, GroupRow};
use crate::domain::accounts::parse_text;
use crate::domain::reading::{self as rules};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::http::pagination::{next_cursor, PageQuery};
use crate::markdown;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use std::collections::HashSet;
use yishi_api::field_codes::*;
use yishi_api::*;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupListQuery {
    pub state: Option<ReadingGroupState>,
    pub period_id: Option<i64>,
    /// Only groups the reader belongs to.
    #[serde(default)]
    pub mine: bool,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Summaries of rows, with the reader's role and unread count where they belong.
async fn summaries(
    state: &AppState,
    user: Option<&AuthUser>,
    rows: &[GroupRow],
) -> AppResult<Vec<ReadingGroupSummary>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let titles = state.db.group_book_titles(&ids).await?;
    let roles = match user {
        Some(u) => state.db.group_roles(u.id, &ids).await?,
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mine = roles.iter().find(|(g, _, _)| *g == row.id);
        let unread_count = match (user, mine) {
            (Some(u), Some((_, _, read))) => {
                Some(state.db.unread_count(row.id, u.id, *read).await?)
            }
            _ => None,
        };
        out.push(ReadingGroupSummary {
            id: row.id,
            name: row.name.clone(),
            theme: row.theme.clone(),
            period_name: row.period_name.clone(),
            visibility: row.visibility(),
            state: row.state()?,
            owner_name: row.owner_name.clone(),
            member_count: row.member_count,
            post_count: row.post_count,
            book_titles: titles
                .iter()
                .filter(|(g, _)| *g == row.id)
                .map(|(_, t)| t.clone())
                .collect(),
            my_role: mine.map(|(_, role, _)| *role),
            unread_count,
        });
    }
    Ok(out)
}

/// Reading groups, newest first. Anonymous visitors see public groups only (members-only
/// groups appear in neither the items nor the total).
#[utoipa::path(get, path = "/api/v1/reading-groups", tag = "reading", params(GroupListQuery),
    responses((status = 200, body = Page<ReadingGroupSummary>), (status = 400, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiQuery(q): ApiQuery<GroupListQuery>,
) -> AppResult<Json<Page<ReadingGroupSummary>>> {
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let limit = page.limit()?;
    if q.mine && user.is_none() {
        return Err(AppError::unauthenticated());
    }
    let filter = GroupFilter {
        public_only: user.is_none(),
        state: q.state,
        period_id: q.period_id,
        member_of: user.as_ref().filter(|_| q.mine).map(|u| u.id),
    };
    let (rows, total) = state.db.groups(&filter, page.before()?, limit).await?;
    let items = summaries(&state, user.as_ref(), &rows).await?;
    let next_cursor = next_cursor(&items, limit, |g| g.id);
    Ok(Json(Page {
        items,
        next_cursor,
        total,
    }))
}

pub async fn detail_of(
    state: &AppState,
    user: Option<&AuthUser>,
    group: &Group,
) -> AppResult<ReadingGroupDetail> {
    let row = &group.row;
    let summary = summaries(state, user, std::slice::from_ref(row))
        .await?
        .pop()
        .ok_or_else(AppError::not_found)?;
    let book_ids = state.db.group_book_ids(row.id).await?;
    let books = state.db.books(Some(&book_ids)).await?;
    let people = state.db.group_progress(row.id).await?;
    let leaders = people
        .iter()
        .filter(|p| p.role == GroupRole::Leader)
        .map(|p| PersonRef {
            id: p.id,
            name: p.name.clone(),
        })
        .collect();
    let (done, planned) = state.db.completion(row.id).await?;
    let members = people.len() as i64;
    let completion_percent = if planned * members == 0 {
        0
    } else {
        done * 100 / (planned * members)
    };
    let (my_checkins, read_position) = match (user, group.facts.role) {
        (Some(u), Some(_)) => {
            let read = state
                .db
                .group_roles(u.id, &[row.id])
                .await?
                .first()
                .map(|(_, _, r)| *r);
            (state.db.my_checkins(row.id, u.id).await?, read)
        }
        _ => (Vec::new(), None),
    };
    Ok(ReadingGroupDetail {
        summary,
        description: row.description_md.clone(),
        description_html: row.description_html.clone(),
        period: row.period(),
        owner: PersonRef {
            id: AccountId(row.owner_id),
            name: row.owner_name.clone(),
        },
        leaders,
        books,
        plan: state.db.plan(row.id).await?,
        my_checkins,
        read_position,
        completion_percent,
        actions: rules::actions(user, &group.facts),
    })
}

/// A group: description, books with chapters, the plan, owner and leaders, completion, and
/// what the reader may do.
#[utoipa::path(get, path = "/api/v1/reading-groups/{id}", tag = "reading", params(("id" = i64, Path)),
    responses((status = 200, body = ReadingGroupDetail), (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ReadingGroupDetail>> {
    let group = readable(&state, user.as_ref(), id).await?;
    Ok(Json(detail_of(&state, user.as_ref(), &group).await?))
}

/// Checks a group form; returns the rendered description.
async fn check_group(state: &AppState, input: &ReadingGroupInput) -> AppResult<(String, String)> {
    let mut errors = FieldErrors::default();
    // Lengths first: nothing is looked up for an oversized form.
    if input.leader_ids.len() > 50 {
        errors.add("leader_ids", TOO_LONG);
    }
    if input.book_ids.len() > 20 {
        errors.add("book_ids", TOO_LONG);
    }
    if input.plan.len() > 20 * MAX_BOOK_CHAPTERS {
        errors.add("plan", TOO_LONG);
    }
    errors.into_result()?;
    let mut errors = FieldErrors::default();
    let name = parse_text(&input.name, MAX_GROUP_NAME_CHARS).unwrap_or_else(|p| {
        errors.add("name", p);
        String::new()
    });
    if input.theme.chars().count() > 100 || input.theme.chars().any(char::is_control) {
        errors.add("theme", TOO_LONG);
    }
    if input.description.chars().count() > 20_000 {
        errors.add("description", TOO_LONG);
    }
    if !state.db.period_exists(input.period_id).await? {
        errors.add("period_id", UNKNOWN);
    }
    match state.db.me(input.owner_id).await? {
        Some(me) if matches!(me.role, Role::Member | Role::Admin) => {}
        _ => errors.add("owner_id", INVALID),
    }
    for leader in &input.leader_ids {
        match state.db.me(*leader).await? {
            Some(me) if me.role == Role::Member => {}
            _ => errors.add("leader_ids", INVALID),
        }
    }
    let distinct: HashSet<i64> = input.book_ids.iter().copied().collect();
    if input.book_ids.is_empty() {
        errors.add("book_ids", REQUIRED);
    } else if distinct.len() != input.book_ids.len() {
        errors.add("book_ids", INVALID);
    }
    let books = state.db.books(Some(&input.book_ids)).await?;
    if books.len() != distinct.len() {
        errors.add("book_ids", UNKNOWN);
    }
    let chapters: HashSet<i64> = books
        .iter()
        .flat_map(|b| b.chapters.iter().map(|c| c.id))
        .collect();
    let planned: HashSet<i64> = input.plan.iter().map(|p| p.chapter_id).collect();
    if planned.len() != input.plan.len() || !planned.is_subset(&chapters) {
        errors.add("plan", UNKNOWN);
    }
    if input.plan.iter().any(|p| !(1..=104).contains(&p.week)) {
        errors.add("plan", INVALID);
    }
    errors.into_result()?;
    Ok((name, markdown::render(&input.description)))
}

async fn save(
    state: &AppState,
    admin: &AuthUser,
    id: Option<i64>,
    input: &ReadingGroupInput,
) -> AppResult<i64> {
    let (name, html) = check_group(state, input).await?;
    let record = GroupRecord {
        name: &name,
        theme: input.theme.trim(),
        description_md: &input.description,
        description_html: &html,
        period_id: input.period_id,
        visibility: input.visibility,
        owner: input.owner_id,
        leaders: &input.leader_ids,
        book_ids: &input.book_ids,
        plan: &input.plan,
    };
    Ok(state.db.save_group(id, &record, admin.id).await?)
}

/// Staff create a group (upcoming) with its books, plan, owner and reading leaders.
#[utoipa::path(post, path = "/api/v1/reading-groups", tag = "reading", request_body = ReadingGroupInput,
    responses((status = 201, body = ReadingGroupDetail), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(input): ApiJson<ReadingGroupInput>,
) -> AppResult<(StatusCode, Json<ReadingGroupDetail>)> {
    let id = save(&state, &admin, None, &input).await?;
    let group = readable(&state, Some(&admin), id).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail_of(&state, Some(&admin), &group).await?),
    ))
}

/// Staff edit a group: fields, books, plan, owner and leaders (earlier leaders stay members).
#[utoipa::path(put, path = "/api/v1/reading-groups/{id}", tag = "reading", request_body = ReadingGroupInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = ReadingGroupDetail), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReadingGroupInput>,
) -> AppResult<Json<ReadingGroupDetail>> {
    readable(&state, Some(&admin), id).await?;
    save(&state, &admin, Some(id), &input).await?;
    let group = readable(&state, Some(&admin), id).await?;
    Ok(Json(detail_of(&state, Some(&admin), &group).await?))
}

/// Staff open a group, close it (read-only) or reopen it.
#[utoipa::path(post, path = "/api/v1/reading-groups/{id}/state", tag = "reading", request_body = ChangeGroupState,
    params(("id" = i64, Path)),
    responses((status = 200, body = ReadingGroupDetail), (status = 409, body = ApiError)))]
pub async fn change_state(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ChangeGroupState>,
) -> AppResult<Json<ReadingGroupDetail>> {
    let group = readable(&state, Some(&admin), id).await?;
    let from = group.facts.state;
    if !rules::may_move(from, body.state) || !state.db.set_group_state(id, from, body.state).await?
    {
        return Err(AppError::conflict(
            codes::INVALID_TRANSITION,
            "The group cannot move to that state from where it is.",
        ));
    }
    let group = readable(&state, Some(&admin), id).await?;
    Ok(Json(detail_of(&state, Some(&admin), &group).await?))
}

/// A member joins a group that has not closed.
#[utoipa::path(post, path = "/api/v1/reading-groups/{id}/join", tag = "reading", params(("id" = i64, Path)),
    responses((status = 200, body = ReadingGroupDetail), (status = 403, body = ApiError)))]
pub async fn join(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ReadingGroupDetail>> {
    let group = readable(&state, Some(&user), id).await?;
    if !rules::may_join(Some(&user), &group.facts) {
        return Err(AppError::forbidden());
    }
    state.db.add_group_member(id, user.id).await?;
    let group = readable(&state, Some(&user), id).await?;
    Ok(Json(detail_of(&state, Some(&user), &group).await?))
}

/// A member or reading leader leaves (the owner cannot).
#[utoipa::path(post, path = "/api/v1/reading-groups/{id}/leave", tag = "reading", params(("id" = i64, Path)),
    responses((status = 200, body = ReadingGroupDetail), (status = 403, body = ApiError)))]
pub async fn leave(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ReadingGroupDetail>> {
    let group = readable(&state, Some(&user), id).await?;
    if !rules::may_leave(&group.facts) {
        return Err(AppError::forbidden());
    }
    state.db.remove_group_member(id, user.id).await?;
    let group = readable(&state, Some(&user), id).await?;
    Ok(Json(detail_of(&state, Some(&user), &group).await?))
}

/// Everyone in the group with their progress through the plan (signed-in readers).
#[utoipa::path(get, path = "/api/v1/reading-groups/{id}/members", tag = "reading", params(("id" = i64, Path)),
    responses((status = 200, body = GroupMembers), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn members(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<GroupMembers>> {
    readable(&state, Some(&user), id).await?;
    let (_, planned) = state.db.completion(id).await?;
    Ok(Json(GroupMembers {
        planned_chapters: planned,
        members: state.db.group_progress(id).await?,
    }))
}

/// The owner or staff add a member.
#[utoipa::path(post, path = "/api/v1/reading-groups/{id}/members", tag = "reading", request_body = AddGroupMember,
    params(("id" = i64, Path)),
    responses((status = 200, body = GroupMembers), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_member(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AddGroupMember>,
) -> AppResult<Json<GroupMembers>> {
    let group = readable(&state, Some(&user), id).await?;
    if !rules::may_manage_members(Some(&user), &group.facts) {
        return Err(AppError::forbidden());
    }
    match state.db.me(body.account_id).await? {
        Some(me) if me.role == Role::Member => {}
        _ => return Err(AppError::field("account_id", INVALID)),
    }
    state.db.add_group_member(id, body.account_id).await?;
    members(State(state), user, ApiPath(id)).await
}

/// The owner or staff remove a member or leader (never the owner).
#[utoipa::path(delete, path = "/api/v1/reading-groups/{id}/members/{account}", tag = "reading",
    params(("id" = i64, Path), ("account" = i64, Path)),
    responses((status = 200, body = GroupMembers), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn remove_member(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((id, account)): ApiPath<(i64, i64)>,
) -> AppResult<Json<GroupMembers>> {
    let group = readable(&state, Some(&user), id).await?;
    if !rules::may_manage_members(Some(&user), &group.facts) {
        return Err(AppError::forbidden());
    }
    if !state.db.remove_group_member(id, AccountId(account)).await? {
        return Err(AppError::not_found());
    }
    members(State(state), user, ApiPath(id)).await
}

async fn set_check_in(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    chapter: i64,
    done: bool,
) -> AppResult<Json<ReadingGroupDetail>> {
    let group = readable(state, Some(user), id).await?;
    if !rules::may_check_in(&group.facts) {
        return Err(AppError::forbidden());
    }
    if !state
        .db
        .plan(id)
        .await?
        .iter()
        .any(|p| p.chapter_id == chapter)
    {
        return Err(AppError::not_found());
    }
    state.db.set_checkin(id, user.id, chapter, done).await?;
    Ok(Json(detail_of(state, Some(user), &group).await?))
}

/// A group member marks a chapter of the plan read (打卡), while the group is open.
#[utoipa::path(put, path = "/api/v1/reading-groups/{id}/checkins/{chapter}", tag = "reading",
    params(("id" = i64, Path), ("chapter" = i64, Path)),
    responses((status = 200, body = ReadingGroupDetail), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn check_in(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((id, chapter)): ApiPath<(i64, i64)>,
) -> AppResult<Json<ReadingGroupDetail>> {
    set_check_in(&state, &user, id, chapter, true).await
}

/// Takes a check-in back.
#[utoipa::path(delete, path = "/api/v1/reading-groups/{id}/checkins/{chapter}", tag = "reading",
    params(("id" = i64, Path), ("chapter" = i64, Path)),
    responses((status = 200, body = ReadingGroupDetail), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn undo_check_in(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((id, chapter)): ApiPath<(i64, i64)>,
) -> AppResult<Json<ReadingGroupDetail>> {
    set_check_in(&state, &user, id, chapter, false).await
}

/// Moves the member's read position forward to a post they have seen.
#[utoipa::path(put, path = "/api/v1/reading-groups/{id}/read-position", tag = "reading", request_body = ReadPosition,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn read_position(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReadPosition>,
) -> AppResult<StatusCode> {
    let group = readable(&state, Some(&user), id).await?;
    if group.facts.role.is_none() {
        return Err(AppError::forbidden());
    }
    match state.db.post_ref(body.post_id).await? {
        Some(p) if p.container_kind == "reading_group" && p.container_id == id => {}
        _ => return Err(AppError::field("post_id", UNKNOWN)),
    }
    state
        .db
        .set_read_position(id, user.id, body.post_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateQuery {
    /// Part of a member's name or username.
    pub q: String,
}

/// Members the owner or staff may add: active members matching the query (at most 8), with
/// no contact details.
#[utoipa::path(get, path = "/api/v1/reading-groups/{id}/candidates", tag = "reading",
    params(("id" = i64, Path), CandidateQuery),
    responses((status = 200, body = Vec<AccountSummary>), (status = 403, body = ApiError)))]
pub async fn candidates(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<CandidateQuery>,
) -> AppResult<Json<Vec<AccountSummary>>> {
    let group = readable(&state, Some(&user), id).await?;
    if !rules::may_manage_members(Some(&user), &group.facts) {
        return Err(AppError::forbidden());
    }
    if q.q.trim().is_empty() || q.q.chars().count() > 40 {
        return Ok(Json(Vec::new()));
    }
    let (found, _) = state
        .db
        .list_accounts(
            &crate::db::accounts::AccountFilter {
                query: Some(q.q.clone()),
                role: Some(Role::Member),
                active: Some(true),
            },
            0,
            8,
        )
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|a| AccountSummary { phone: None, ..a })
            .collect(),
    ))
}
