//! One search across areas. Candidates come from the index ranked in application code; each is
//! shown only if its container passes the same reading check its page uses.

use crate::auth::session::MaybeAuthUser;
use crate::db::search::{Candidate, SearchFilter};
use crate::error::{AppError, AppResult};
use crate::http::json::ApiQuery;
use crate::search;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::collections::HashMap;
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(search_all))
}

/// Most pages a search can be paged to.
const MAX_PAGE: u32 = 50;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to look for (Chinese, English, numbers; up to 100 characters).
    pub q: String,
    /// Only this kind of result.
    pub kind: Option<String>,
    /// Only results from this year (the committee's time zone).
    pub year: Option<i64>,
    /// 1-based page (20 results each).
    pub page: Option<u32>,
}

/// Consultations, posts and answers, micro-consultations, reading groups and posts, and
/// micro-suggestions matching every word, title matches first, then newest first.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 422, body = ApiError)))]
pub async fn search_all(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> AppResult<Json<SearchResults>> {
    let ip = super::client_ip(&state.config, peer, &headers);
    state
        .limiter
        .hit(
            &format!("search:{ip}"),
            state.config.limits.searches_per_minute,
            std::time::Duration::from_secs(60),
        )
        .await?;
    let q = params.q.trim();
    if q.is_empty() {
        return Err(AppError::field("q", REQUIRED));
    }
    if q.chars().count() > MAX_SEARCH_QUERY_CHARS {
        return Err(AppError::field("q", TOO_LONG));
    }
    if q.chars().any(char::is_control) {
        return Err(AppError::field("q", INVALID));
    }
    let kind = match params.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(SearchKind::parse(k).ok_or_else(|| AppError::field("kind", INVALID))?),
        None => None,
    };
    if params.year.is_some_and(|y| !(1949..=9999).contains(&y)) {
        return Err(AppError::field("year", INVALID));
    }
    let page = params.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(AppError::field("page", INVALID));
    }
    let terms = search::query_terms(q);
    let candidates = state
        .db
        .search_candidates(
            &terms,
            SearchFilter {
                kind,
                year: params.year,
            },
        )
        .await?;
    // Walk the ranking, keeping what this reader may see, until one past the page.
    let skip = ((page - 1) * SEARCH_PAGE_SIZE) as usize;
    let want = skip + SEARCH_PAGE_SIZE as usize + 1;
    let mut gates = Gates::new(&state, user.as_ref());
    let mut visible: Vec<(Candidate, String)> = Vec::new();
    for c in candidates {
        if visible.len() >= want {
            break;
        }
        if let Some(container_title) = gates.title_if_readable(&c.gate_kind, c.gate_id).await? {
            visible.push((c, container_title));
        }
    }
    let has_more = visible.len() > skip + SEARCH_PAGE_SIZE as usize;
    let shown: Vec<(Candidate, String)> = visible
        .into_iter()
        .skip(skip)
        .take(SEARCH_PAGE_SIZE as usize)
        .collect();
    let ids: Vec<i64> = shown.iter().map(|(c, _)| c.doc).collect();
    let mut texts = state.db.search_texts(&ids).await?;
    let items = shown
        .into_iter()
        .filter_map(|(c, container_title)| {
            let (title, body) = texts.remove(&c.doc)?;
            hit(c, title, body, container_title, &terms)
        })
        .collect();
    Ok(Json(SearchResults {
        items,
        page,
        has_more,
        terms,
    }))
}

fn hit(
    c: Candidate,
    title: String,
    body: String,
    container_title: String,
    terms: &[String],
) -> Option<SearchHit> {
    let kind = SearchKind::parse(&c.doc_kind)?;
    let link = match kind {
        SearchKind::Consultation => format!("/consultations/{}", c.doc_id),
        SearchKind::ConsultationPost => format!("/consultations/{}#post-{}", c.gate_id, c.doc_id),
        SearchKind::Micro => format!("/micro-consultations/{}", c.doc_id),
        SearchKind::MicroPost => format!("/micro-consultations/{}#post-{}", c.gate_id, c.doc_id),
        SearchKind::ReadingGroup => format!("/reading-groups/{}", c.doc_id),
        SearchKind::ReadingPost => format!("/reading-groups/{}/posts/{}", c.gate_id, c.doc_id),
        SearchKind::Suggestion => format!("/suggestions/{}", c.doc_id),
    };
    // Posts have no title of their own: they show where they were written.
    let title = if title.is_empty() {
        container_title
    } else {
        title
    };
    Some(SearchHit {
        kind,
        title_parts: search::snippet(&title, terms),
        title,
        snippet: search::snippet(&body, terms),
        link,
        created_at: c.created_at,
    })
}

/// The reading checks of each container, asked once per container (per search, per report).
pub(crate) struct Gates<'a> {
    state: &'a AppState,
    user: Option<&'a crate::auth::session::AuthUser>,
    seen: HashMap<(String, i64), Option<String>>,
}

impl<'a> Gates<'a> {
    pub(crate) fn new(
        state: &'a AppState,
        user: Option<&'a crate::auth::session::AuthUser>,
    ) -> Self {
        Gates {
            state,
            user,
            seen: HashMap::new(),
        }
    }

    /// The container's title when the reader may read it; `None` when not.
    pub(crate) async fn title_if_readable(
        &mut self,
        kind: &str,
        id: i64,
    ) -> AppResult<Option<String>> {
        let key = (kind.to_owned(), id);
        if let Some(known) = self.seen.get(&key) {
            return Ok(known.clone());
        }
        let (state, user) = (self.state, self.user);
        let answer = match kind {
            "consultation" => readable_or_none(
                super::consultations::readable(state, user, id)
                    .await
                    .map(|row| row.title),
            )?,
            "micro_consultation" => readable_or_none(
                super::micro::readable(state, user, id)
                    .await
                    .map(|(row, _)| row.title),
            )?,
            "reading_group" => readable_or_none(
                super::reading::readable(state, user, id)
                    .await
                    .map(|g| g.row.name),
            )?,
            "suggestion" => state
                .db
                .suggestion(id)
                .await?
                .filter(|row| super::suggestions::may_read(user, row))
                .map(|row| row.title),
            _ => None,
        };
        self.seen.insert(key, answer.clone());
        Ok(answer)
    }
}

/// A refusal (not found, sign in, forbidden) means "not for this reader"; anything else is a
/// real failure and is passed on.
fn readable_or_none(result: AppResult<String>) -> AppResult<Option<String>> {
    match result {
        Ok(title) => Ok(Some(title)),
        Err(AppError::Client { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}
