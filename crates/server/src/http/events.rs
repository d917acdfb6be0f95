//! `GET /api/v1/events?topics=…`: one server-sent-events stream per tab. The event log is the
//! truth; the in-process hub only says "new rows may exist". Resume with `Last-Event-ID`.

use crate::auth::session::MaybeAuthUser;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::http::json::ApiQuery;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures::Stream;
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::watch;
use yishi_api::field_codes::*;
use yishi_api::*;

/// Wakes streams when events were committed. Per process; with several instances the
/// PostgreSQL notification channel feeds it (issue 9).
#[derive(Clone)]
pub struct EventHub {
    tx: watch::Sender<u64>,
    /// Bumped by every notification and every state-changing request: what the response
    /// cache checks its entries against.
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for EventHub {
    fn default() -> Self {
        Self::new()
    }
}

impl EventHub {
    pub fn new() -> EventHub {
        EventHub {
            tx: watch::channel(0).0,
            generation: Default::default(),
        }
    }

    /// Call after committing a transaction that appended events.
    pub fn notify(&self) {
        self.invalidate_reads();
        self.tx.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Data may have changed without an event: cached reads are stale, streams need not wake.
    pub fn invalidate_reads(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn subscribe(&self) -> watch::Receiver<u64> {
        self.tx.subscribe()
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/events", get(stream))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
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
        topics,
        after,
        wake: state.hub.subscribe(),
        shutdown: state.shutdown.clone(),
        pending: VecDeque::new(),
        ended: false,
    };
    let events = futures::stream::unfold(reader, |mut r| async move {
        let event = r.next().await?;
        Some((Ok(event), r))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
}

struct Reader {
    db: Db,
    topics: Vec<Topic>,
    after: i64,
    wake: watch::Receiver<u64>,
    shutdown: watch::Receiver<bool>,
    pending: VecDeque<LiveEvent>,
    /// The closing retry hint was sent.
    ended: bool,
}

/// How soon a browser reconnects after the server closed its stream for a shutdown.
const RETRY_AFTER_SHUTDOWN: Duration = Duration::from_secs(2);

impl Reader {
    /// The next event, waiting for one as long as the client stays; `None` ends the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if self.ended {
                return None;
            }
            if *self.shutdown.borrow() {
                // The last message: reconnect soon (to another instance); Last-Event-ID resumes.
                self.ended = true;
                return Some(
                    Event::default()
                        .retry(RETRY_AFTER_SHUTDOWN)
                        .comment("shutting down"),
                );
            }
            if let Some(e) = self.pending.pop_front() {
                self.after = e.id;
                let data = serde_json::to_string(&e).ok()?;
                return Some(Event::default().id(e.id.to_string()).data(data));
            }
            // Mark the hub seen before reading, so a commit after the read still wakes us.
            self.wake.borrow_and_update();
            match self.db.events_after(&self.topics, self.after, 200).await {
                Ok(rows) if !rows.is_empty() => self.pending.extend(rows),
                Ok(_) => {
                    // Also re-read now and then, in case a wake-up came from another instance
                    // that this process cannot see.
                    tokio::select! {
                        woken = tokio::time::timeout(Duration::from_secs(5), self.wake.changed()) => {
                            if let Ok(Err(_)) = woken {
                                return None;
                            }
                        }
                        _ = self.shutdown.changed() => {}
                    }
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "event stream read failed; client will reconnect");
                    return None;
                }
            }
        }
    }
}
