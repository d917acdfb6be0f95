//! Reading groups (委员读书) over HTTP: the catalogue of periods and books (staff), groups
//! with their people, plan and check-ins, and threads of guides, reflections and notes.

mod catalog;
mod groups;
mod thread;

pub use catalog::*;
pub use groups::*;
pub use thread::*;

use crate::auth::session::AuthUser;
use crate::db::reading::GroupRow;
use crate::domain::reading::{self as rules, Facts};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reading-periods", get(periods).post(create_period))
        .route("/books", get(books).post(create_book))
        .route(
            "/books/{id}/cover",
            get(cover)
                .put(set_cover)
                .layer(DefaultBodyLimit::max(MAX_COVER_BYTES + 1)),
        )
        .route("/reading-groups", get(list).post(create))
        .route("/reading-groups/{id}", get(detail).put(update))
        .route("/reading-groups/{id}/state", post(change_state))
        .route("/reading-groups/{id}/join", post(join))
        .route("/reading-groups/{id}/leave", post(leave))
        .route(
            "/reading-groups/{id}/members",
            get(members).post(add_member),
        )
        .route("/reading-groups/{id}/candidates", get(candidates))
        .route(
            "/reading-groups/{id}/members/{account}",
            axum::routing::delete(remove_member),
        )
        .route(
            "/reading-groups/{id}/checkins/{chapter}",
            put(check_in).delete(undo_check_in),
        )
        .route("/reading-groups/{id}/read-position", put(read_position))
        .route("/reading-groups/{id}/posts", get(thread).post(create_post))
        .route(
            "/reading-groups/{id}/posts/{post}",
            get(one_post).put(edit_post).delete(delete_post),
        )
        .route(
            "/reading-groups/{id}/posts/{post}/featured",
            put(feature).delete(unfeature),
        )
}

/// A group and the reader's place in it.
pub struct Group {
    pub row: GroupRow,
    pub facts: Facts,
}

/// The group, if the reader may read it. A members-only group answers 404 to anonymous
/// visitors, exactly like a group that does not exist.
pub async fn readable(state: &AppState, user: Option<&AuthUser>, id: i64) -> AppResult<Group> {
    let row = state.db.group(id).await?.ok_or_else(AppError::not_found)?;
    let role = match user {
        Some(u) => state
            .db
            .group_roles(u.id, &[id])
            .await?
            .first()
            .map(|(_, role, _)| *role),
        None => None,
    };
    let facts = Facts {
        visibility: row.visibility(),
        state: row.state()?,
        role,
    };
    if !rules::may_read(user, &facts) {
        return Err(AppError::not_found());
    }
    Ok(Group { row, facts })
}

pub async fn may_follow(state: &AppState, user: Option<&AuthUser>, id: i64) -> AppResult<bool> {
    match readable(state, user, id).await {
        Ok(_) => Ok(true),
        Err(AppError::Client { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}
