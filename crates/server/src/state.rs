//! Shared state handed to every handler through axum's `State`.

use crate::auth::rate_limit::Limits;
use crate::config::Config;
use crate::db::Db;
use crate::http::events::EventHub;
use crate::http::spa::{IndexPage, Readers};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub limiter: Arc<Limits>,
    /// Wakes event streams after commits that appended events.
    pub hub: EventHub,
    /// Anonymous reads of public threads, valid until the hub's generation moves.
    pub cache: Arc<crate::http::cache::ResponseCache>,
    /// Verified against for unknown logins, so timing does not reveal which exist.
    pub dummy_hash: Arc<String>,
    /// Becomes true when the server starts shutting down: event streams end with a retry
    /// hint, readiness answers 503, the scheduler stops.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// The built app's `index.html`, with its CSP hash; `None` when `dist/` is absent.
    pub index: Option<Arc<IndexPage>>,
    /// The readers' pages (`dist/reader/<kind>/index.html`): the app's small entries for
    /// public threads, sent to visitors without a session; each `None` when not built.
    pub readers: Readers,
}
