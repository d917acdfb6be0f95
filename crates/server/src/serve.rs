//! The accept loop: HTTP/1.1 only, one task per connection, graceful shutdown.
//!
//! Why not `axum::serve`: it serves each connection through hyper-util's protocol-detecting
//! builder, which reads the first bytes to tell HTTP/1 from HTTP/2 and hands them back to
//! hyper; hyper then grows its read buffer to 16 KB on the next read. A held event stream
//! keeps that buffer for its whole life: 80 MB of 10,000 streams went to it. The server sits
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

/// A client that has not sent its request head by then is dropped (slow-header attacks).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, asks every
/// connection to finish its current response and close, and returns once all have.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    // Dropped at shutdown: each connection sees its receiver's sender close.
    let (stop_tx, stop_rx) = watch::channel(());
    // Each connection holds a receiver; all gone means all connections closed.
    let (closed_tx, closed_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    let closed_since_release = Arc::new(AtomicUsize::new(0));
    let releasing = tokio::spawn(release_memory_of_closed_connections(
        closed_since_release.clone(),
    ));
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
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
        let closed = closed_rx.clone();
        let closed_count = closed_since_release.clone();
        tokio::spawn(async move {
            let builder = {
                let mut b = hyper::server::conn::http1::Builder::new();
                b.timer(TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT);
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
            closed_count.fetch_add(1, Ordering::Relaxed);
            drop(closed);
        });
    }
    releasing.abort();
    drop(listener);
    drop(stop_tx);
    drop(closed_rx);
    closed_tx.closed().await;
}

/// Connections closed before the freed memory goes back to the system.
const RELEASE_AFTER_CLOSED: usize = 1_000;

/// glibc keeps memory freed by closed connections in its per-thread arenas, and connections
/// opened later are served from other arenas as often as not: when 10,000 subscribers left
/// and came back, the process grew by 40 MB each time. After a wave of closed connections the
/// free pages are handed back (what jemalloc does on its own by decay).
async fn release_memory_of_closed_connections(closed: Arc<AtomicUsize>) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        if closed.load(Ordering::Relaxed) >= RELEASE_AFTER_CLOSED {
            closed.store(0, Ordering::Relaxed);
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
