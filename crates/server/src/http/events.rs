//! `GET /api/v1/events?topics=…`: one server-sent-events stream per tab. The event log is the
//! truth; the in-process hub only says "new rows may exist". Resume with `Last-Event-ID`.

use crate::auth::session::MaybeAuthUser;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::http::json::ApiQuery;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use yishi_api::field_codes::*;
use yishi_api::*;

/// Wakes the log reader when events were committed, and hands what it read to every stream
/// of this process. Per process; with several instances the PostgreSQL notification channel
/// wakes it too (issue 9).
#[derive(Clone)]
pub struct EventHub {
    tx: watch::Sender<u64>,
    /// Bumped by every notification and every state-changing request: what the response
    /// cache checks its entries against.
    generation: Arc<AtomicU64>,
    /// Each logged event once, serialised once, for all streams to filter by topic.
    live: broadcast::Sender<Arc<Logged>>,
}

/// One event of the log as streams send it: the whole server-sent-events frame, built once
/// and shared by every stream that carries it.
pub struct Logged {
    id: i64,
    topic: String,
    frame: Bytes,
}

impl Logged {
    fn of(e: &LiveEvent) -> Option<Arc<Logged>> {
        // Compact JSON has no line breaks, so one `data:` line carries it.
        let json = serde_json::to_string(e).ok()?;
        Some(Arc::new(Logged {
            id: e.id,
            topic: e.topic.clone(),
            frame: Bytes::from(format!("id: {}\ndata: {json}\n\n", e.id)),
        }))
    }
}

/// Events a slow stream may fall behind by before it re-reads the log for itself.
const LIVE_BACKLOG: usize = 4096;

impl EventHub {
    /// A hub whose log reader runs until `shutdown`: one query per batch of commits, whatever
    /// the number of streams (with 10,000 streams each querying on every wake-up, a post took
    /// seconds to reach the last of them).
    pub fn start(db: Db, shutdown: watch::Receiver<bool>) -> EventHub {
        let hub = EventHub {
            tx: watch::channel(0).0,
            generation: Default::default(),
            live: broadcast::channel(LIVE_BACKLOG).0,
        };
        tokio::spawn(read_log(db, hub.clone(), shutdown));
        hub
    }

    /// Call after committing a transaction that appended events.
    pub fn notify(&self) {
        self.invalidate_reads();
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Data may have changed without an event: cached reads are stale, streams need not wake.
    pub fn invalidate_reads(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

/// The process's one reader of the log. Ids are visible in commit order (one writer on SQLite,
/// an ordering lock on PostgreSQL), so reading "after the last id seen" misses nothing.
async fn read_log(db: Db, hub: EventHub, mut shutdown: watch::Receiver<bool>) {
    let mut wake = hub.tx.subscribe();
    let mut head = None;
    loop {
        if *shutdown.borrow() {
            return;
        }
        // Marked seen before reading, so a commit after the read still wakes us.
        wake.borrow_and_update();
        let read = match head {
            None => db.last_event_id().await.map(|id| {
                head = Some(id);
                (Vec::new(), None)
            }),
            Some(after) => db.events_since(after, 500).await,
        };
        match read {
            Ok((rows, Some(last))) => {
                head = Some(last);
                for e in &rows {
                    if let Some(logged) = Logged::of(e) {
                        // No receivers is fine: nobody is listening right now.
                        let _ = hub.live.send(logged);
                    }
                }
            }
            Ok((_, None)) if head.is_some() => {
                // Also re-read now and then, in case a wake-up came from another instance
                // that this process cannot see.
                tokio::select! {
                    woken = tokio::time::timeout(Duration::from_secs(5), wake.changed()) => {
                        if let Ok(Err(_)) = woken {
                            return;
                        }
                    }
                    changed = shutdown.changed() => {
                        // The server is gone without saying so.
                        if changed.is_err() {
                            return;
                        }
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = ?e, "reading the event log failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Routed by `http::router` itself, outside the compression layer.
pub const PATH: &str = "/api/v1/events";

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Comma-separated topics, e.g. `user:12`.
    pub topics: String,
    /// Resume after this event id (the `Last-Event-ID` header wins when both are sent).
    pub after: Option<i64>,
}

/// Who may follow a topic: each account its own notifications; a consultation's room,
/// whoever may read the consultation.
async fn may_follow(
    state: &AppState,
    user: Option<&crate::auth::session::AuthUser>,
    topic: Topic,
) -> AppResult<bool> {
    Ok(match topic {
        Topic::User(id) => user.is_some_and(|u| u.id == id),
        Topic::Consultation(id) => super::consultations::may_follow(state, user, id).await?,
        Topic::Micro(id) => super::micro::may_follow(state, user, id).await?,
        Topic::Reading(id) => super::reading::may_follow(state, user, id).await?,
    })
}

#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(StreamQuery),
    responses((status = 200, description = "text/event-stream of LiveEvent JSON", body = LiveEvent),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn stream(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StreamQuery>,
) -> AppResult<Response> {
    let mut topics = Vec::new();
    for raw in query
        .topics
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let topic = Topic::parse(raw).ok_or_else(|| AppError::field("topics", INVALID))?;
        if !topics.contains(&topic) {
            topics.push(topic);
        }
    }
    if topics.is_empty() {
        return Err(AppError::field("topics", REQUIRED));
    }
    if topics.len() > MAX_TOPICS {
        return Err(AppError::field("topics", TOO_LONG));
    }
    for topic in &topics {
        if !may_follow(&state, user.as_ref(), *topic).await? {
            return Err(if user.is_some() {
                AppError::forbidden()
            } else {
                AppError::unauthenticated()
            });
        }
    }
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(query.after);
    let after = match resume {
        Some(id) if id >= 0 => id,
        Some(_) => return Err(AppError::field("after", INVALID)),
        None => state.db.last_event_id().await?,
    };
    let reader = Reader {
        db: state.db.clone(),
        names: topics.iter().map(Topic::to_string).collect(),
        topics,
        after,
        // Subscribed before the first read of the log: whatever commits in between arrives
        // both ways and is sent once (ids only go up).
        live: state.hub.live.subscribe(),
        caught_up: false,
        shutdown: state.shutdown.clone(),
        pending: VecDeque::new(),
        ended: false,
        keep_alive: Box::pin(tokio::time::sleep(KEEP_ALIVE)),
    };
    let frames = futures::stream::unfold(reader, |mut r| async move {
        let frame = r.next().await?;
        Some((Ok::<_, Infallible>(frame), r))
    });
    let mut response = Response::new(Body::from_stream(frames));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    Ok(response)
}

struct Reader {
    db: Db,
    topics: Vec<Topic>,
    /// The topics as the log names them.
    names: Vec<String>,
    /// The last event id sent (or where the stream resumed).
    after: i64,
    live: broadcast::Receiver<Arc<Logged>>,
    /// False until this stream read the log itself from `after`, and again after it fell
    /// too far behind the live feed.
    caught_up: bool,
    shutdown: watch::Receiver<bool>,
    pending: VecDeque<Arc<Logged>>,
    /// The closing retry hint was sent.
    ended: bool,
    /// A comment goes out after this long without a frame, so proxies keep the stream open.
    keep_alive: std::pin::Pin<Box<tokio::time::Sleep>>,
}

const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// How soon a browser reconnects after the server closed its stream for a shutdown.
const RETRY_AFTER_SHUTDOWN: Duration = Duration::from_secs(2);
/// Events one catch-up read takes.
const CATCH_UP_BATCH: i64 = 200;

impl Reader {
    /// The next frame, waiting for one as long as the client stays; `None` ends the stream.
    async fn next(&mut self) -> Option<Bytes> {
        loop {
            if self.ended {
                return None;
            }
            if *self.shutdown.borrow() {
                // The last message: reconnect soon (to another instance); Last-Event-ID resumes.
                self.ended = true;
                return Some(Bytes::from(format!(
                    "retry: {}\n: shutting down\n\n",
                    RETRY_AFTER_SHUTDOWN.as_millis()
                )));
            }
            if let Some(e) = self.pending.pop_front() {
                if e.id <= self.after {
                    continue;
                }
                self.after = e.id;
                self.keep_alive
                    .as_mut()
                    .reset(tokio::time::Instant::now() + KEEP_ALIVE);
                return Some(e.frame.clone());
            }
            if !self.caught_up {
                match self
                    .db
                    .events_after(&self.topics, self.after, CATCH_UP_BATCH)
                    .await
                {
                    Ok(rows) => {
                        self.caught_up = (rows.len() as i64) < CATCH_UP_BATCH;
                        self.pending.extend(rows.iter().filter_map(Logged::of));
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(error = ?e, "event stream read failed; client will reconnect");
                        return None;
                    }
                }
            }
            tokio::select! {
                received = self.live.recv() => match received {
                    Ok(e) => {
                        if e.id > self.after && self.names.contains(&e.topic) {
                            self.pending.push_back(e);
                        }
                    }
                    // Fell behind the live feed: read the rest from the log.
                    Err(broadcast::error::RecvError::Lagged(_)) => self.caught_up = false,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                changed = self.shutdown.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                _ = self.keep_alive.as_mut() => {
                    self.keep_alive
                        .as_mut()
                        .reset(tokio::time::Instant::now() + KEEP_ALIVE);
                    return Some(Bytes::from_static(b":\n\n"));
                }
            }
        }
    }
}
