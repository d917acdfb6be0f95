//! A group's thread: keyset pages of top-level posts with their replies, posting guides,
//! reflections, notes and replies (three levels deep), the author's edit window and soft
//! delete, featured marks.

use super::readable;
use crate::auth::session::{AuthUser, MaybeAuthUser};
use crate::db::posts::{Container, NewPostRecord, READING_GROUP};
use crate::db::reading::{ThreadFilter, ThreadItem, ThreadWindow};
use crate::domain::accounts::{parse_long_text, parse_text};
use crate::domain::reading::{self as rules};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::http::json::{ApiJson, ApiPath, ApiQuery};
use crate::http::pagination::Cursor;
use crate::markdown;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use yishi_api::field_codes::*;
use yishi_api::*;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreadQuery {
    /// Top-level posts per page, 1–100 (default 20).
    pub limit: Option<u32>,
    /// `later` of the previous page: the page after it.
    pub after: Option<String>,
    /// `earlier` of a page: the page before it.
    pub before: Option<String>,
    /// The page after this post id (a member's read position: "continue reading").
    pub after_post: Option<i64>,
    /// The newest page ("jump to newest").
    #[serde(default)]
    pub newest: bool,
    /// Featured posts only (at any depth).
    #[serde(default)]
    pub featured: bool,
    /// Posts about one chapter.
    pub chapter: Option<i64>,
}

fn cursor(field: &str, raw: &str) -> AppResult<i64> {
    Cursor::parse(raw).ok_or_else(|| AppError::field(field, INVALID))
}

async fn entries(
    state: &AppState,
    user: Option<&AuthUser>,
    rows: Vec<ThreadItem>,
) -> AppResult<Vec<ThreadEntry>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.post.id).collect();
    let (liked, sources) = match user {
        Some(u) => {
            let window_start = crate::db::now_ms() - READING_EDIT_WINDOW_HOURS * 3_600_000;
            (
                state.db.liked_by(u.id, &ids).await?,
                state.db.own_sources(u.id, &ids, window_start).await?,
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(rows
        .into_iter()
        .map(|r| ThreadEntry {
            liked: liked.contains(&r.post.id),
            source: sources
                .iter()
                .find(|(id, _)| *id == r.post.id)
                .map(|(_, md)| md.clone()),
            more_replies: r.more_replies,
            post: r.post,
            depth: r.depth,
        })
        .collect())
}

/// A page of the thread, oldest first: top-level posts with all their replies. Pages are
/// keyset ranges (`after`, `before`, `newest`), so a long thread opens as fast as a short one.
#[utoipa::path(get, path = "/api/v1/reading-groups/{id}/posts", tag = "reading",
    params(("id" = i64, Path), ThreadQuery),
    responses((status = 200, body = ThreadPage), (status = 400, body = ApiError), (status = 404, body = ApiError)))]
pub async fn thread(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ThreadQuery>,
) -> AppResult<Json<ThreadPage>> {
    readable(&state, user.as_ref(), id).await?;
    let limit = match q.limit {
        None => DEFAULT_PAGE_LIMIT,
        Some(n) if (1..=MAX_PAGE_LIMIT).contains(&n) => n,
        Some(_) => return Err(AppError::field("limit", INVALID)),
    };
    let window = match (&q.after, &q.before, q.after_post, q.newest) {
        (None, None, None, false) => ThreadWindow::After(0),
        (Some(a), None, None, false) => ThreadWindow::After(cursor("after", a)?),
        (None, Some(b), None, false) => ThreadWindow::Before(cursor("before", b)?),
        (None, None, Some(p), false) if p >= 0 => ThreadWindow::After(p),
        (None, None, None, true) => ThreadWindow::Before(i64::MAX),
        _ => return Err(AppError::field("after", INVALID)),
    };
    let filter = ThreadFilter {
        featured: q.featured,
        chapter_id: q.chapter,
    };
    let rows = state.db.thread(id, window, filter, limit).await?;
    let first = rows.entries.first().map(|r| r.post.id);
    let last = rows
        .entries
        .iter()
        .filter(|r| r.depth == 0 || filter.featured)
        .map(|r| r.post.id)
        .next_back();
    let earlier = first.filter(|_| rows.has_earlier).map(Cursor::after);
    let later = last.filter(|_| rows.has_later).map(Cursor::after);
    Ok(Json(ThreadPage {
        entries: entries(&state, user.as_ref(), rows.entries).await?,
        earlier,
        later,
    }))
}

/// One post with its replies, at a shareable address.
#[utoipa::path(get, path = "/api/v1/reading-groups/{id}/posts/{post}", tag = "reading",
    params(("id" = i64, Path), ("post" = i64, Path)),
    responses((status = 200, body = Vec<ThreadEntry>), (status = 404, body = ApiError)))]
pub async fn one_post(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath((id, post)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Vec<ThreadEntry>>> {
    readable(&state, user.as_ref(), id).await?;
    let rows = state
        .db
        .thread_post(id, post)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(entries(&state, user.as_ref(), rows).await?))
}

/// The checked chapter and quote of a post.
async fn chapter_and_quote(
    state: &AppState,
    group: i64,
    kind: PostKind,
    chapter_id: Option<i64>,
    quote: Option<&QuoteInput>,
    errors: &mut FieldErrors,
) -> AppResult<(Option<i64>, Option<Quote>)> {
    let books = state.db.group_book_ids(group).await?;
    let chapters = state.db.chapters_of_books(&books).await?;
    let chapter = match chapter_id {
        None => None,
        Some(c) => match chapters.iter().find(|(id, _)| *id == c) {
            Some(found) => Some(found.clone()),
            None => {
                errors.add("chapter_id", UNKNOWN);
                None
            }
        },
    };
    if kind == PostKind::Guide && chapter_id.is_none() {
        errors.add("chapter_id", REQUIRED);
    }
    let quote = match quote {
        None => None,
        Some(_) if kind != PostKind::Note => {
            errors.add("quote", INVALID);
            None
        }
        Some(q) => {
            let text = parse_long_text(&q.text, MAX_QUOTE_CHARS).unwrap_or_else(|p| {
                errors.add("quote.text", p);
                String::new()
            });
            let page = if q.page.trim().is_empty() {
                String::new()
            } else {
                parse_text(&q.page, 20).unwrap_or_else(|p| {
                    errors.add("quote.page", p);
                    String::new()
                })
            };
            if chapter_id.is_none() {
                errors.add("chapter_id", REQUIRED);
            }
            Some(Quote {
                text,
                chapter: chapter.as_ref().map(|(_, t)| t.clone()).unwrap_or_default(),
                page,
            })
        }
    };
    Ok((chapter.map(|(id, _)| id), quote))
}

/// Group members post reflections, notes (with an optional quote) and replies; the owner and
/// reading leaders also post guides on a chapter. Replies nest at most three levels deep.
#[utoipa::path(post, path = "/api/v1/reading-groups/{id}/posts", tag = "reading", request_body = NewReadingPost,
    params(("id" = i64, Path)),
    responses((status = 201, body = Post), (status = 403, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn create_post(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewReadingPost>,
) -> AppResult<(StatusCode, Json<Post>)> {
    let group = readable(&state, Some(&user), id).await?;
    if !rules::may_post(Some(&user), &group.facts, body.kind) {
        return Err(AppError::forbidden());
    }
    let mut errors = FieldErrors::default();
    let text = parse_long_text(&body.body, MAX_POST_CHARS).unwrap_or_else(|p| {
        errors.add("body", p);
        String::new()
    });
    let (root_id, depth) = match (body.kind, body.parent_id) {
        (PostKind::Reply, Some(pid)) => match state.db.post_ref(pid).await? {
            Some(p) if p.container_kind == READING_GROUP && p.container_id == id => {
                match rules::reply_depth(p.depth) {
                    Some(d) => (Some(p.root_id.unwrap_or(p.id)), d),
                    None => {
                        errors.add("parent_id", TOO_LONG);
                        (None, 0)
                    }
                }
            }
            _ => {
                errors.add("parent_id", UNKNOWN);
                (None, 0)
            }
        },
        (PostKind::Reply, None) => {
            errors.add("parent_id", REQUIRED);
            (None, 0)
        }
        (_, Some(_)) => {
            errors.add("parent_id", INVALID);
            (None, 0)
        }
        (_, None) => (None, 0),
    };
    let (chapter_id, quote) = if body.kind == PostKind::Reply {
        if body.chapter_id.is_some() || body.quote.is_some() {
            errors.add("chapter_id", INVALID);
        }
        (None, None)
    } else {
        chapter_and_quote(
            &state,
            id,
            body.kind,
            body.chapter_id,
            body.quote.as_ref(),
            &mut errors,
        )
        .await?
    };
    errors.into_result()?;
    super::super::limit_posting(&state, user.id).await?;
    let html = markdown::render(&text);
    let post = state
        .db
        .create_post(
            Container::reading(id),
            &NewPostRecord {
                author: user.id,
                kind: body.kind,
                body_md: &text,
                body_html: &html,
                parent_id: body.parent_id,
                chapter_id,
                quote,
                root_id,
                depth,
            },
        )
        .await?;
    // Streams were woken by the storage layer once the post committed.
    Ok((StatusCode::CREATED, Json(post)))
}

/// The author's own post of this group, not removed.
async fn own_post(
    state: &AppState,
    user: &AuthUser,
    group: i64,
    post: i64,
) -> AppResult<crate::db::posts::PostRef> {
    let found = state
        .db
        .post_ref(post)
        .await?
        .filter(|p| p.container_kind == READING_GROUP && p.container_id == group)
        .ok_or_else(AppError::not_found)?;
    if found.author_id != user.id.0 {
        return Err(AppError::forbidden());
    }
    Ok(found)
}

/// The author edits within 24 hours of posting, while the group is open; the post shows
/// "edited".
#[utoipa::path(put, path = "/api/v1/reading-groups/{id}/posts/{post}", tag = "reading", request_body = EditReadingPost,
    params(("id" = i64, Path), ("post" = i64, Path)),
    responses((status = 200, body = Vec<ThreadEntry>), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn edit_post(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((id, post)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<EditReadingPost>,
) -> AppResult<Json<Vec<ThreadEntry>>> {
    let group = readable(&state, Some(&user), id).await?;
    let found = own_post(&state, &user, id, post).await?;
    if !rules::may_post(Some(&user), &group.facts, PostKind::Reply) {
        return Err(AppError::forbidden());
    }
    if !rules::within_edit_window(found.created_at, crate::db::now_ms()) {
        return Err(AppError::conflict(
            codes::EDIT_WINDOW_CLOSED,
            "Posts can be edited for 24 hours after posting.",
        ));
    }
    let kind = PostKind::parse(&found.kind).ok_or_else(AppError::not_found)?;
    let mut errors = FieldErrors::default();
    let text = parse_long_text(&body.body, MAX_POST_CHARS).unwrap_or_else(|p| {
        errors.add("body", p);
        String::new()
    });
    let (chapter_id, quote) = if kind == PostKind::Reply {
        (None, None)
    } else {
        chapter_and_quote(
            &state,
            id,
            kind,
            body.chapter_id,
            body.quote.as_ref(),
            &mut errors,
        )
        .await?
    };
    errors.into_result()?;
    // A suspended account may not change what it said either.
    super::super::limit_posting(&state, user.id).await?;
    let html = markdown::render(&text);
    let held = state
        .db
        .edit_reading_post(id, &found, &text, &html, chapter_id, quote.as_ref())
        .await?;
    if held {
        // Only its author sees it now, marked pending, until a moderator decides.
        let own = state
            .db
            .own_post(post)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Ok(Json(vec![ThreadEntry {
            post: own,
            depth: found.depth,
            liked: false,
            more_replies: false,
            source: None,
        }]));
    }
    one_post(State(state), MaybeAuthUser(Some(user)), ApiPath((id, post))).await
}

/// The author removes a post: it disappears, or shows as removed where replies hang below it.
#[utoipa::path(delete, path = "/api/v1/reading-groups/{id}/posts/{post}", tag = "reading",
    params(("id" = i64, Path), ("post" = i64, Path)),
    responses((status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn delete_post(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((id, post)): ApiPath<(i64, i64)>,
) -> AppResult<StatusCode> {
    let group = readable(&state, Some(&user), id).await?;
    own_post(&state, &user, id, post).await?;
    if !rules::may_interact(Some(&user), &group.facts) {
        return Err(AppError::forbidden());
    }
    state.db.delete_reading_post(id, post).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_featured(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    post: i64,
    featured: bool,
) -> AppResult<Json<Vec<ThreadEntry>>> {
    let group = readable(state, Some(user), id).await?;
    if !rules::may_feature(Some(user), &group.facts) {
        return Err(AppError::forbidden());
    }
    state
        .db
        .post_ref(post)
        .await?
        .filter(|p| p.container_kind == READING_GROUP && p.container_id == id)
        .ok_or_else(AppError::not_found)?;
    state.db.set_featured(post, featured).await?;
    one_post(
        State(state.clone()),
        MaybeAuthUser(Some(user.clone())),
        ApiPath((id, post)),
    )
    .await
}

/// The owner, a reading leader or staff mark a post featured (精华).
#[utoipa::path(put, path = "/api/v1/reading-groups/{id}/posts/{post}/featured", tag = "reading",
    params(("id" = i64, Path), ("post" = i64, Path)),
    responses((status = 200, body = Vec<ThreadEntry>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn feature(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((id, post)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Vec<ThreadEntry>>> {
    set_featured(&state, &user, id, post, true).await
}

/// Takes the featured mark off.
#[utoipa::path(delete, path = "/api/v1/reading-groups/{id}/posts/{post}/featured", tag = "reading",
    params(("id" = i64, Path), ("post" = i64, Path)),
    responses((status = 200, body = Vec<ThreadEntry>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn unfeature(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath((id, post)): ApiPath<(i64, i64)>,
) -> AppResult<Json<Vec<ThreadEntry>>> {
    set_featured(&state, &user, id, post, false).await
}
