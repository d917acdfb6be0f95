//! Consultations: list, create, read, edit, state changes; their posts and likes.

use crate::auth::session::{AdminUser, AuthUser, MaybeAuthUser};
use crate::db::consultations::AfterChange;
use crate::db::consultations::{ConsultationFilter, ConsultationRow, ListScope};
use crate::db::posts::{Container, NewPostRecord};
use crate::domain::accounts::parse_text;
use crate::domain::calendar;
use crate::domain::consultation::{self as rules, Relation, TransitionRefusal};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::http::pagination::{next_cursor, PageQuery};
use crate::markdown;
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
        .route("/consultations", get(list).post(create))
        .route("/consultations/{id}", get(detail).put(update))
        .route("/consultations/{id}/state", post(change_state))
        .route("/consultations/{id}/posts", get(posts).post(create_post))
        .route("/posts/{id}/like", post(like).delete(unlike))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsultationListQuery {
    pub state: Option<ConsultationState>,
    pub kind: Option<ConsultationKind>,
    /// Host special committee.
    pub committee: Option<i64>,
    /// Calendar year of the start, in the committee's time zone.
    pub year: Option<i32>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// Loads a consultation the reader may see; others get 404 so that drafts and members-only
/// consultations do not reveal that they exist.
pub async fn readable(
    state: &AppState,
    user: Option<&AuthUser>,
    id: i64,
) -> AppResult<ConsultationRow> {
    let row = state
        .db
        .consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !rules::may_read(user, &row.facts()?) {
        return Err(
            if user.is_none() && row.state()? != ConsultationState::Draft {
                AppError::unauthenticated()
            } else {
                AppError::not_found()
            },
        );
    }
    Ok(row)
}

/// Loads a consultation for a staff-only action (outcome, materials): readable, and the user
/// is staff.
pub async fn staff_only(state: &AppState, user: &AuthUser, id: i64) -> AppResult<ConsultationRow> {
    let row = readable(state, Some(user), id).await?;
    if !rules::may_manage(Some(user)) {
        return Err(AppError::forbidden());
    }
    Ok(row)
}

/// Whether `user` may follow the live topic of consultation `id`.
pub async fn may_follow(state: &AppState, user: Option<&AuthUser>, id: i64) -> AppResult<bool> {
    Ok(match state.db.consultation(id).await? {
        Some(row) => rules::may_read(user, &row.facts()?),
        None => false,
    })
}

pub async fn relation(state: &AppState, user: Option<&AuthUser>, id: i64) -> AppResult<Relation> {
    let Some(user) = user else {
        return Ok(Relation::default());
    };
    Ok(Relation {
        invited: state.db.is_invited(id, user.id).await?,
        answering_department: match (user.role, user.department_id) {
            (Role::Official, Some(d)) => state.db.department_participates(id, d).await?,
            _ => false,
        },
    })
}

async fn detail_of(
    state: &AppState,
    user: Option<&AuthUser>,
    row: ConsultationRow,
) -> AppResult<ConsultationDetail> {
    let facts = row.facts()?;
    let rel = relation(state, user, row.id).await?;
    let (invited_sectors, invited_committees, invited_accounts, departments) =
        state.db.consultation_links(row.id).await?;
    Ok(ConsultationDetail {
        summary: row.summary()?,
        description: row.description_md.clone(),
        description_html: row.description_html.clone(),
        committee_id: row.committee_id.map(CommitteeId),
        chair_id: row.chair_id.map(AccountId),
        chair_name: row.chair_name.clone(),
        venues: row.venues.clone(),
        video_link: row.video_link.clone(),
        invited_sectors,
        invited_committees,
        invited_accounts,
        departments,
        transitions: state.db.transitions(row.id).await?,
        can_post: rules::may_post(user, &facts, rel),
        can_answer: rules::may_answer(user, &facts, rel),
        can_manage: rules::may_manage(user),
        can_run_meeting: facts.kind == ConsultationKind::Remote
            && rules::may_run_meeting(user, &facts),
        can_apply_to_speak: rules::may_apply_to_speak(user, &facts, rel),
    })
}

#[utoipa::path(get, path = "/api/v1/consultations", tag = "consultations", params(ConsultationListQuery),
    responses((status = 200, body = Page<ConsultationSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiQuery(query): ApiQuery<ConsultationListQuery>,
) -> AppResult<Json<Page<ConsultationSummary>>> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = page.limit()?;
    let before = page.before()?;
    let scope = match &user {
        None => ListScope::Public,
        Some(u) if u.role == Role::Admin => ListScope::Staff,
        Some(_) => ListScope::SignedIn,
    };
    let starts_within = match query.year {
        None => None,
        Some(y) => Some(year_bounds(&state, y).await?),
    };
    let filter = ConsultationFilter {
        state: query.state,
        kind: query.kind,
        committee: query.committee.map(CommitteeId),
        starts_within,
    };
    let (rows, total) = state
        .db
        .list_consultations(scope, &filter, before, limit)
        .await?;
    let items = rows
        .iter()
        .map(ConsultationRow::summary)
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = next_cursor(&items, limit, |c| c.id);
    Ok(Json(Page {
        items,
        next_cursor,
        total,
    }))
}

/// Checks an input; the description is rendered to sanitised HTML.
async fn check_input(state: &AppState, input: &ConsultationInput) -> AppResult<String> {
    let mut errors = FieldErrors::default();
    if let Err(p) = parse_text(&input.title, 100) {
        errors.add("title", p);
    }
    if input.description.chars().count() > 20_000 {
        errors.add("description", TOO_LONG);
    }
    if input.venues.chars().count() > 500 {
        errors.add("venues", TOO_LONG);
    }
    if let Some(link) = &input.video_link {
        if !(link.starts_with("https://") || link.starts_with("http://")) || link.len() > 500 {
            errors.add("video_link", INVALID);
        }
    }
    if let (Some(s), Some(e)) = (input.starts_at, input.ends_at) {
        if e <= s {
            errors.add("ends_at", INVALID);
        }
    }
    let org = state.db.organisation().await?;
    if let Some(c) = input.committee_id {
        if !org.committees.iter().any(|x| x.id == c) {
            errors.add("committee_id", UNKNOWN);
        }
    }
    if input
        .invited_sectors
        .iter()
        .any(|s| !org.sectors.iter().any(|x| x.id == *s))
    {
        errors.add("invited_sectors", UNKNOWN);
    }
    if input
        .invited_committees
        .iter()
        .any(|s| !org.committees.iter().any(|x| x.id == *s))
    {
        errors.add("invited_committees", UNKNOWN);
    }
    if input
        .departments
        .iter()
        .any(|s| !org.departments.iter().any(|x| x.id == *s))
    {
        errors.add("departments", UNKNOWN);
    }
    if let Some(chair) = input.chair_id {
        match state.db.me(chair).await? {
            Some(me) if me.role != Role::Official => {}
            _ => errors.add("chair_id", INVALID),
        }
    }
    for a in &input.invited_accounts {
        if state.db.me(*a).await?.is_none() {
            errors.add("invited_accounts", UNKNOWN);
        }
    }
    if input.invited_sectors.len() + input.invited_committees.len() + input.invited_accounts.len()
        > 2000
    {
        errors.add("invited_accounts", TOO_LONG);
    }
    errors.into_result()?;
    Ok(markdown::render(&input.description))
}

#[utoipa::path(post, path = "/api/v1/consultations", tag = "consultations", request_body = ConsultationInput,
    responses((status = 201, body = ConsultationDetail), (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(input): ApiJson<ConsultationInput>,
) -> AppResult<(StatusCode, Json<ConsultationDetail>)> {
    let html = check_input(&state, &input).await?;
    let id = state
        .db
        .create_consultation(&input, &html, admin.id)
        .await?;
    let row = state
        .db
        .consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((
        StatusCode::CREATED,
        Json(detail_of(&state, Some(&admin), row).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "consultations", params(("id" = i64, Path)),
    responses((status = 200, body = ConsultationDetail), (status = 401, body = ApiError), (status = 404, body = ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ConsultationDetail>> {
    let row = readable(&state, user.as_ref(), id).await?;
    // Opening a live meeting's page counts as attending it online.
    if let (Some(u), ConsultationState::Live) = (&user, row.state()?) {
        state
            .db
            .record_attendance(id, u.id, AttendanceSource::Online)
            .await?;
    }
    Ok(Json(detail_of(&state, user.as_ref(), row).await?))
}

/// Edits while a draft or published; later the record stands.
#[utoipa::path(put, path = "/api/v1/consultations/{id}", tag = "consultations", request_body = ConsultationInput,
    params(("id" = i64, Path)), responses((status = 200, body = ConsultationDetail), (status = 409, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ConsultationInput>,
) -> AppResult<Json<ConsultationDetail>> {
    let row = state
        .db
        .consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !matches!(
        row.state()?,
        ConsultationState::Draft | ConsultationState::Published
    ) {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "A consultation can be edited only before it starts.",
        ));
    }
    let html = check_input(&state, &input).await?;
    state.db.update_consultation(id, &input, &html).await?;
    let row = state
        .db
        .consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(detail_of(&state, Some(&admin), row).await?))
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/state", tag = "consultations", request_body = ChangeState,
    params(("id" = i64, Path)), responses((status = 200, body = ConsultationDetail), (status = 409, body = ApiError)))]
pub async fn change_state(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ChangeState>,
) -> AppResult<Json<ConsultationDetail>> {
    let row = readable(&state, Some(&user), id).await?;
    let facts = row.facts()?;
    match rules::check_transition(Some(&user), &facts, body.to) {
        Ok(()) => {}
        Err(TransitionRefusal::Forbidden) => return Err(AppError::forbidden()),
        Err(TransitionRefusal::NotAllowed) => {
            return Err(AppError::conflict(
                codes::INVALID_TRANSITION,
                format!(
                    "Cannot move from {} to {}.",
                    facts.state.as_str(),
                    body.to.as_str()
                ),
            ))
        }
    }
    let then = if body.to == ConsultationState::OutcomePublished {
        // Recommendations become tracked items, rated by the chair and due in three months
        // (replies are due within 2–3 months: domain.md).
        let zone = state.db.time_zone().await?;
        let today = calendar::local_date(zone, crate::db::now_ms());
        let due = today
            .checked_add_months(chrono::Months::new(3))
            .unwrap_or(today);
        AfterChange::TrackRecommendations {
            requester: facts.chair_id.map(AccountId),
            due_date: calendar::format_date(due),
        }
    } else {
        AfterChange::Nothing
    };
    if !state
        .db
        .change_state(id, facts.state, body.to, Some(user.id), then)
        .await?
    {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "Someone else changed the state first; reload.",
        ));
    }
    state.hub.notify();
    let row = state
        .db
        .consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(detail_of(&state, Some(&user), row).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostListQuery {
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/posts", tag = "consultations",
    params(("id" = i64, Path), PostListQuery), responses((status = 200, body = Page<Post>)))]
pub async fn posts(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PostListQuery>,
) -> AppResult<Json<Page<Post>>> {
    readable(&state, user.as_ref(), id).await?;
    Ok(Json(
        page_of_posts(
            &state,
            Container::consultation(id),
            PageQuery {
                limit: query.limit,
                cursor: query.cursor,
            },
        )
        .await?,
    ))
}

/// A page of a container's posts in the order written (every area's post list).
pub async fn page_of_posts(
    state: &AppState,
    container: Container,
    page: PageQuery,
) -> AppResult<Page<Post>> {
    let limit = page.limit()?;
    let (items, total) = state.db.list_posts(container, page.after()?, limit).await?;
    let next_cursor = next_cursor(&items, limit, |p| p.id);
    Ok(Page {
        items,
        next_cursor,
        total,
    })
}

/// Comments and questions from participants; answers (to a question) from participating
/// departments; replies one level deep.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/posts", tag = "consultations", request_body = NewPost,
    params(("id" = i64, Path)), responses((status = 201, body = Post), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_post(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewPost>,
) -> AppResult<(StatusCode, Json<Post>)> {
    let row = readable(&state, Some(&user), id).await?;
    let facts = row.facts()?;
    let rel = relation(&state, Some(&user), id).await?;
    let allowed = match body.kind {
        PostKind::Answer => rules::may_answer(Some(&user), &facts, rel),
        PostKind::Comment | PostKind::Question | PostKind::Reply => {
            rules::may_post(Some(&user), &facts, rel)
        }
        PostKind::Guide | PostKind::Reflection | PostKind::Note => false,
    };
    if !allowed {
        return Err(AppError::forbidden());
    }
    let text = body.body.trim();
    if text.is_empty() {
        return Err(AppError::field("body", REQUIRED));
    }
    if text.chars().count() > MAX_POST_CHARS {
        return Err(AppError::field("body", TOO_LONG));
    }
    // Parents: answers answer a question; replies reply to a top-level post; both in this
    // consultation. Comments and questions have none.
    let parent = match body.parent_id {
        Some(pid) => Some(
            state
                .db
                .post_ref(pid)
                .await?
                .filter(|p| p.container_kind == "consultation" && p.container_id == id)
                .ok_or_else(|| AppError::field("parent_id", UNKNOWN))?,
        ),
        None => None,
    };
    let parent_ok = match (body.kind, &parent) {
        (PostKind::Answer, Some(p)) => p.kind == "question",
        (PostKind::Reply, Some(p)) => p.parent_id.is_none(),
        (PostKind::Comment | PostKind::Question, None) => true,
        _ => false,
    };
    if !parent_ok {
        return Err(AppError::field("parent_id", INVALID));
    }
    super::limit_posting(&state, user.id).await?;
    let html = markdown::render(text);
    let post = state
        .db
        .create_post(
            Container::consultation(id),
            &NewPostRecord {
                author: user.id,
                kind: body.kind,
                body_md: text,
                body_html: &html,
                parent_id: body.parent_id,
                chapter_id: None,
                quote: None,
                root_id: body.parent_id,
                depth: i64::from(body.parent_id.is_some()),
            },
        )
        .await?;
    // Streams were woken by the storage layer once the post committed.
    Ok((StatusCode::CREATED, Json(post)))
}

async fn set_like(
    state: &AppState,
    user: &AuthUser,
    post_id: i64,
    like: bool,
) -> AppResult<Json<LikeCount>> {
    let post = state
        .db
        .post_ref(post_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    // Likes follow reading: whoever may read the container may like its posts.
    let topic = match post.container_kind.as_str() {
        "consultation" => {
            readable(state, Some(user), post.container_id).await?;
            Topic::Consultation(post.container_id)
        }
        "micro_consultation" => {
            super::micro::readable(state, Some(user), post.container_id).await?;
            Topic::Micro(post.container_id)
        }
        crate::db::posts::READING_GROUP => {
            let group = super::reading::readable(state, Some(user), post.container_id).await?;
            if !crate::domain::reading::may_interact(Some(user), &group.facts) {
                return Err(AppError::forbidden());
            }
            Topic::Reading(post.container_id)
        }
        _ => return Err(AppError::not_found()),
    };
    let count = state.db.set_like(&post, topic, user.id, like).await?;
    state.hub.notify();
    Ok(Json(LikeCount { like_count: count }))
}

#[utoipa::path(post, path = "/api/v1/posts/{id}/like", tag = "consultations", params(("id" = i64, Path)),
    responses((status = 200, body = LikeCount), (status = 404, body = ApiError)))]
pub async fn like(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<LikeCount>> {
    set_like(&state, &user, id, true).await
}

#[utoipa::path(delete, path = "/api/v1/posts/{id}/like", tag = "consultations", params(("id" = i64, Path)),
    responses((status = 200, body = LikeCount), (status = 404, body = ApiError)))]
pub async fn unlike(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<LikeCount>> {
    set_like(&state, &user, id, false).await
}

/// [1 January, next 1 January) of `year` in the committee's time zone, as Unix ms; lists
/// filter by year with it.
pub async fn year_bounds(state: &AppState, year: i32) -> AppResult<(i64, i64)> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field("year", INVALID));
    }
    calendar::year_bounds(state.db.time_zone().await?, year)
        .ok_or_else(|| AppError::field("year", INVALID))
}
