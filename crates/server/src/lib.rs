//! Yishi server: REST + SSE API, storage on SQLite or PostgreSQL, and the built app.

pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_reading;
pub mod domain;
pub mod error;
pub mod http;
pub mod markdown;
pub mod notify;
pub mod scheduler;
pub mod search;
pub mod serve;
pub mod state;

use crate::auth::rate_limit::Limits;
use crate::config::Config;
use crate::db::Db;
use crate::http::spa::IndexPage;
use crate::state::AppState;
use std::sync::Arc;
use std::time::Duration;

/// A bound, not yet serving, application. Tests build one on port 0 and read `port()`.
pub struct Application {
    listener: tokio::net::TcpListener,
    state: AppState,
    stopping: tokio::sync::watch::Sender<bool>,
}

/// Arbitrary constant naming the advisory lock of the start-up search index rebuild.
const SEARCH_REBUILD_LOCK: i64 = 0x7969_7368_6910;

impl Application {
    /// Binds, connects and migrates. Does not load demo data (see `demo::load_if_empty`).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        // The port first: a taken port fails at once, before any database work, and nothing
        // else can answer on it while migrations run (connections wait in the backlog).
        let listener = tokio::net::TcpListener::bind(&config.bind).await?;
        let db = Db::connect(&config.database_url, config.max_db_connections).await?;
        db.migrate().await?;
        // A database from before search (or restored without its index) is indexed once;
        // with several instances one of them does it.
        if db.search_index_missing().await? {
            let indexed = db
                .exclusively(SEARCH_REBUILD_LOCK, || db.rebuild_search_index())
                .await?;
            tracing::info!(?indexed, "search index rebuilt");
        }
        tokio::task::spawn_blocking(search::warm_up);
        let mut channels = Vec::new();
        if config.outbound.smtp_url.is_some() {
            channels.push("email");
        }
        if config.outbound.webhook_url.is_some() {
            channels.push("webhook");
        }
        db.set_outbound_channels(&channels.join(",")).await?;
        Self::with_db(config, db, listener).await
    }

    async fn with_db(
        config: Config,
        db: Db,
        listener: tokio::net::TcpListener,
    ) -> anyhow::Result<Application> {
        let index = IndexPage::load(&config.dist_dir)?.map(Arc::new);
        if index.is_none() {
            tracing::warn!(dist = %config.dist_dir.display(), "app not built: only the API is served");
        }
        let readers = http::spa::Readers::load(&config.dist_dir)?;
        for kind in http::spa::ReaderKind::ALL {
            if index.is_some() && readers.get(kind).is_none() {
                tracing::warn!(
                    reader = kind.dir(),
                    "a reader is not built: its public threads load the whole app"
                );
            }
        }
        let dummy_hash = Arc::new(auth::password::dummy_hash(config.password_hashing).await?);
        let (stopping, shutdown) = tokio::sync::watch::channel(false);
        let limiter = Arc::new(Limits::for_db(&db));
        let hub = http::events::EventHub::start(db.clone(), shutdown.clone());
        db.on_posts_committed({
            let hub = hub.clone();
            Arc::new(move || hub.notify())
        });
        let state = AppState {
            db,
            config: Arc::new(config),
            limiter,
            hub,
            cache: Default::default(),
            dummy_hash,
            shutdown,
            index,
            readers,
        };
        Ok(Application {
            listener,
            state,
            stopping,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Serves until the process ends; expired sessions are purged every ten minutes.
    pub async fn run(self) -> anyhow::Result<()> {
        let purge_state = self.state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(600));
            loop {
                tick.tick().await;
                let now = db::now_ms();
                let c = &purge_state.config;
                let idle = now - c.session_idle_minutes * 60_000;
                let absolute = now - c.session_absolute_hours * 3_600_000;
                if let Err(e) = purge_state.db.purge_sessions(idle, absolute).await {
                    tracing::warn!(error = ?e, "purging sessions failed");
                }
            }
        });
        scheduler::spawn(self.state.clone());
        if self.state.db.engine == db::Engine::Postgres {
            listen_for_events(self.state.clone());
        }
        let app = http::router(self.state);
        let stopping = self.stopping;
        // On SIGTERM or Ctrl-C: stop taking connections, tell event streams to end (with a
        // retry hint, so browsers resume from the event log on another instance), let
        // in-flight requests finish.
        let drained = async move {
            shutdown_signal().await;
            tracing::info!("shutting down: draining requests and closing event streams");
            let _ = stopping.send(true);
        };
        serve::serve(self.listener, app, drained).await;
        Ok(())
    }
}

/// With several instances on PostgreSQL, events committed by another instance arrive as a
/// notification that wakes this one's streams (they read the log; the wake-up is only a hint,
/// and streams re-read every few seconds anyway). Reconnects after errors.
fn listen_for_events(state: AppState) {
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(500);
        loop {
            let listening = async {
                let mut listener =
                    sqlx::postgres::PgListener::connect(&state.config.database_url).await?;
                listener.listen(db::events::EVENTS_CHANNEL).await?;
                tracing::info!("listening for events from other instances");
                loop {
                    listener.recv().await?;
                    state.hub.notify();
                }
                #[allow(unreachable_code)]
                Ok::<(), sqlx::Error>(())
            };
            if let Err(e) = listening.await {
                tracing::warn!(error = ?e, "event notifications lost; reconnecting");
            }
            // Whatever was missed meanwhile is in the log: wake the streams to read it.
            state.hub.notify();
            if *state.shutdown.borrow() {
                return;
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(30));
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
