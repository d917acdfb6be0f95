//! Anonymous reads of public threads answered from memory until the next write.
//!
//! Every visitor without a session sees the same bytes for the same URL, so the first request
//! after a change pays for the queries and the rest are a map lookup. An entry is valid while
//! the hub's generation is the one it was filled under: committed events (this instance's, and
//! other instances' through the PostgreSQL channel) and every state-changing request of this
//! instance bump it. The short time-to-live bounds what no event reports (another instance's
//! edit without an event, a scheduled job).

use crate::auth::session::{cookie_value, HOST_SESSION_COOKIE, SESSION_COOKIE};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Longest time an entry is served without a generation change.
const TIME_TO_LIVE: Duration = Duration::from_secs(2);
/// Entries kept before the map is emptied (a crude bound; hot pages come straight back).
const MAX_ENTRIES: usize = 4096;
/// Bytes of bodies kept before the map is emptied.
const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
/// Larger responses are not kept.
const MAX_BODY: usize = 512 * 1024;
/// Query parameters the cached reads understand; any other makes a request uncached, so
/// made-up parameters cannot fill the cache with copies of one page.
const KNOWN_PARAMS: [&str; 7] = [
    "limit",
    "cursor",
    "after",
    "before",
    "newest",
    "after_post",
    "chapter",
];

struct Entry {
    generation: u64,
    stored: Instant,
    content_type: HeaderValue,
    body: Bytes,
}

#[derive(Default)]
pub struct ResponseCache {
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    /// Sum of the kept bodies' lengths.
    bytes: std::sync::atomic::AtomicUsize,
    /// One fill at a time per URL: when an entry goes stale under 64 concurrent readers, one
    /// runs the queries and the others wait for its result instead of queueing 64 copies on
    /// the connection pool.
    fills: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl ResponseCache {
    /// A fresh entry filled under `generation` or a later one.
    fn get(&self, key: &str, generation: u64) -> Option<Arc<Entry>> {
        let entries = self.entries.read().ok()?;
        let entry = entries.get(key)?;
        (entry.generation >= generation && entry.stored.elapsed() < TIME_TO_LIVE)
            .then(|| entry.clone())
    }

    fn fill_lock(&self, key: &str) -> Option<Arc<tokio::sync::Mutex<()>>> {
        let mut fills = self.fills.lock().ok()?;
        if fills.len() >= MAX_ENTRIES {
            fills.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Some(fills.entry(key.to_owned()).or_default().clone())
    }

    fn put(&self, key: String, entry: Entry) {
        use std::sync::atomic::Ordering;
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES
                || self.bytes.load(Ordering::Relaxed) + entry.body.len() > MAX_TOTAL_BYTES
            {
                entries.clear();
                self.bytes.store(0, Ordering::Relaxed);
            }
            self.bytes.fetch_add(entry.body.len(), Ordering::Relaxed);
            if let Some(old) = entries.insert(key, Arc::new(entry)) {
                self.bytes.fetch_sub(old.body.len(), Ordering::Relaxed);
            }
        }
    }
}

/// The public reads worth keeping: a container's page and its posts (paths inside `/api/v1`).
fn cacheable(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        ["consultations" | "reading-groups" | "micro-consultations", id] => numeric(id),
        ["consultations" | "reading-groups" | "micro-consultations", id, "posts"] => numeric(id),
        _ => false,
    }
}

/// Whether the request carries a session cookie, read as the session layer reads it (exact
/// names), under either setting.
pub(crate) fn signed_in(headers: &axum::http::HeaderMap) -> bool {
    cookie_value(headers, SESSION_COOKIE).is_some()
        || cookie_value(headers, HOST_SESSION_COOKIE).is_some()
}

/// Only queries made of the parameters the cached reads understand.
fn known_query(query: Option<&str>) -> bool {
    query.is_none_or(|q| {
        q.split('&').filter(|p| !p.is_empty()).all(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            pair.len() <= 128 && KNOWN_PARAMS.contains(&name)
        })
    })
}

/// Serves anonymous GETs of [`cacheable`] paths from the cache, and marks the cache stale
/// after every state-changing request.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        let response = next.run(request).await;
        // A refused request changed nothing (its transaction, if any, rolled back).
        if response.status().as_u16() < 400 {
            state.hub.invalidate_reads();
        }
        return response;
    }
    if method != Method::GET
        || signed_in(request.headers())
        || !cacheable(request.uri().path())
        || !known_query(request.uri().query())
    {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    let arrived = state.hub.generation();
    if let Some(entry) = state.cache.get(&key, arrived) {
        return respond(&entry);
    }
    let lock = state.cache.fill_lock(&key);
    let _filling = match &lock {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    // Filled while we waited, under the generation we arrived with or a later one.
    if let Some(entry) = state.cache.get(&key, arrived) {
        return respond(&entry);
    }
    // Read before the queries: a write landing meanwhile leaves the entry stale at once.
    let generation = state.hub.generation();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let small = axum::body::HttpBody::size_hint(&body)
        .upper()
        .is_some_and(|n| n <= MAX_BODY as u64);
    let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned() else {
        return Response::from_parts(parts, body);
    };
    if !small {
        return Response::from_parts(parts, body);
    }
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = ?e, "a response body failed while read for the cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    state.cache.put(
        key,
        Entry {
            generation,
            stored: Instant::now(),
            content_type,
            body: body.clone(),
        },
    );
    Response::from_parts(parts, Body::from(body))
}

fn respond(entry: &Entry) -> Response {
    let mut response = Response::new(Body::from(entry.body.clone()));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, entry.content_type.clone());
    response
}

#[cfg(test)]
mod tests {
    use super::cacheable;

    #[test]
    fn only_public_thread_reads_are_kept() {
        assert!(cacheable("/consultations/12/posts"));
        assert!(cacheable("/reading-groups/3"));
        assert!(!cacheable("/consultations"));
        assert!(!cacheable("/consultations/x/posts"));
        assert!(!cacheable("/me/pending-posts"));
        assert!(!cacheable("/consultations/1/posts/extra"));
    }

    #[test]
    fn a_session_cookie_is_seen_by_its_exact_name() {
        use super::signed_in;
        let with = |cookie: &str| {
            axum::extract::Request::builder()
                .header("cookie", cookie)
                .body(axum::body::Body::empty())
                .map(|r| signed_in(r.headers()))
                .unwrap_or(false)
        };
        assert!(with("yishi_session=abc"));
        assert!(with("a=1; __Host-yishi_session=abc"));
        // Not decoded, as the session layer does not decode them either.
        assert!(!with("a=1; yishi%5Fsession=abc"));
        assert!(!with("yishi_csrf=abc"));
        assert!(!with("yishi_session_x=abc"));
    }

    #[test]
    fn made_up_parameters_are_not_kept() {
        use super::known_query;
        assert!(known_query(None));
        assert!(known_query(Some("limit=50&cursor=YToxMg")));
        assert!(!known_query(Some("limit=50&x=1")));
        assert!(!known_query(Some(&format!("cursor={}", "a".repeat(200)))));
    }
}
