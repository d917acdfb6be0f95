//! The accept loop: HTTP/1.1 only, one task per connection, graceful shutdown.
//!
//! Why not `axum::serve`: it serves each connection through hyper-util's protocol-detecting
//! builder, which reads the first bytes to tell HTTP/1 from HTTP/2 and hands them back to
//! hyper; hyper then grows its read buffer to 16 KB on the next read. A held event stream
//! keeps that buffer for its whole life: with 10,000 streams the process was 43 MB larger
//! for it (docs/performance.md). The server sits
//! behind a TLS proxy that speaks HTTP/1.1 to it (plain-text HTTP/2 is not used by browsers),
//! so detection buys nothing.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// A connection silent this long, inside a request head or between requests, is closed
/// (slow-header attacks). Longer than the idle time proxies keep upstream connections for
/// (nginx 60 s, Caddy 2 min), so a proxy never reuses one the server is just closing.
const IDLE_TIMEOUT: Duration = Duration::from_secs(180);

/// How long a shutdown waits for responses in flight before the process exits anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, asks every
/// connection to finish its current response and close, and returns once all have (or after
/// `DRAIN_TIMEOUT`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    // Dropped at shutdown: each connection sees its receiver's sender close.
    let (stop_tx, stop_rx) = watch::channel(());
    let open = Arc::new(AtomicUsize::new(0));
    let releasing = tokio::spawn(release_memory_after_waves_of_closes(open.clone()));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tokio::select! {
                        () = accept_failed(e) => continue,
                        () = &mut shutdown => break,
                    }
                }
            },
            () = &mut shutdown => break,
        };
        let service = app
            .clone()
            .map_request(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request.map(Body::new)
            });
        let mut stop = stop_rx.clone();
        let counted = Open::new(&open);
        tokio::spawn(async move {
            let builder = {
                let mut b = hyper::server::conn::http1::Builder::new();
                b.timer(TokioTimer::new()).header_read_timeout(IDLE_TIMEOUT);
                b
            };
            let connection =
                builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => log_end(result, peer),
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    log_end(connection.await, peer);
                }
            }
            drop(counted);
        });
    }
    releasing.abort();
    drop(listener);
    drop(stop_tx);
    let drained = async {
        while open.load(Ordering::Acquire) > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    if tokio::time::timeout(DRAIN_TIMEOUT, drained).await.is_err() {
        tracing::warn!(
            connections = open.load(Ordering::Acquire),
            "shutting down with responses still in flight"
        );
    }
}

/// One open connection, counted from accept until its task ends (however it ends).
struct Open(Arc<AtomicUsize>);

impl Open {
    fn new(open: &Arc<AtomicUsize>) -> Open {
        open.fetch_add(1, Ordering::AcqRel);
        Open(open.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Connections that must have closed since the last high point before memory is handed back.
const RELEASE_AFTER_CLOSED: usize = 1_000;

/// glibc keeps memory freed by closed connections in its per-thread arenas, and connections
/// opened later are served from other arenas as often as not: when 10,000 subscribers left
/// and came back, the process grew by 40 MB each time. After a wave of closes (the open count
/// fell by 1,000 from its high point) the free pages are handed back, as jemalloc does on its
/// own by decay. Steady churn (a proxy opening a connection per request) is not a wave: the
/// open count stays level, and nothing is trimmed.
async fn release_memory_after_waves_of_closes(open: Arc<AtomicUsize>) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    let mut high = 0;
    loop {
        tick.tick().await;
        let now = open.load(Ordering::Acquire);
        high = high.max(now);
        if high - now >= RELEASE_AFTER_CLOSED {
            high = now;
            // Walks every arena: off the async workers.
            let _ = tokio::task::spawn_blocking(release_free_memory).await;
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    // SAFETY: malloc_trim only returns free pages of the allocator's own heaps to the
    // kernel; it takes the arenas' locks and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

fn log_end(result: Result<(), hyper::Error>, peer: SocketAddr) {
    if let Err(e) = result {
        // Clients hang up and time out all the time; nothing for an operator to act on.
        tracing::debug!(error = %e, %peer, "connection ended with an error");
    }
}

/// Out of file descriptors or memory: wait rather than spin; other errors concern one
/// connection only (it was reset before it was accepted).
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
