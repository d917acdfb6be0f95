//! HTTP: one module per area owning its routes; this file assembles them with the layers
//! every request passes through.

pub mod accounts;
pub mod attachments;
pub mod cache;
pub mod calendar;
pub mod consultations;
pub mod duty;
pub mod events;
pub mod followup;
pub mod json;
pub mod members;
pub mod micro;
pub mod moderation;
pub mod notifications;
pub mod openapi;
pub mod org;
pub mod outcome;
pub mod pagination;
pub mod photos;
pub mod reading;
pub mod search;
pub mod session;
pub mod site;
pub mod spa;
pub mod speaking;
pub mod suggestions;

use crate::auth::session::session_layer;
use crate::config::Config;
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::routing::get;
use axum::{middleware, Json, Router};
use std::net::{IpAddr, SocketAddr};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest request body (a 1 MiB CSV file wrapped in JSON fits).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(session::routes())
        .merge(site::routes())
        .merge(org::routes())
        .merge(accounts::routes())
        .merge(members::routes())
        .merge(consultations::routes())
        .merge(speaking::routes())
        .merge(outcome::routes())
        .merge(attachments::routes())
        .merge(followup::routes())
        .merge(suggestions::routes())
        .merge(calendar::routes())
        .merge(photos::routes())
        .merge(micro::routes())
        .merge(reading::routes())
        .merge(duty::routes())
        .merge(search::routes())
        .merge(moderation::routes())
        .merge(notifications::routes())
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::document));
    let api = if state.config.bench_baseline {
        api.route("/bench/baseline", get(bench_baseline))
    } else {
        api
    };
    let api = with_api_layers(
        api.fallback(|| async { crate::error::AppError::not_found() })
            .method_not_allowed_fallback(method_not_allowed),
        &state,
    );
    // Event streams stay outside the compression layer: its response body reserves room for
    // every encoder's state (about 6 KB) whether it compresses or not, and a stream keeps its
    // body for hours; with 10,000 subscribers that was 34 MB. Streams are never compressed.
    let events = with_api_layers(
        Router::new()
            .route(events::PATH, get(events::stream))
            .method_not_allowed_fallback(method_not_allowed),
        &state,
    );

    // Served over HTTPS (behind a TLS proxy): browsers must never fall back to plain HTTP.
    let hsts = state.config.secure_cookies.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    let pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .nest("/api/v1", api.clone())
        // The app's page of a public thread carries the thread's first page, read through the
        // API itself (its permission checks and its cache) as an anonymous request.
        .fallback({
            let api = api.with_state(state.clone());
            move |state, request| spa::serve(state, api.clone(), request)
        })
        .with_state(state.clone())
        // The default predicate leaves images uncompressed.
        .layer(CompressionLayer::new());
    events
        .with_state(state)
        .merge(pages)
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // The app's page sets its own policy; everything else (JSON, files, images opened
        // directly) may run and embed nothing.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .layer(tower::util::option_layer(hsts))
        .layer(TraceLayer::new_for_http())
}

/// What every API route, event streams included, passes through.
fn with_api_layers(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router
        .layer(middleware::from_fn_with_state(state.clone(), session_layer))
        // Outside the session layer: a cached anonymous read needs no session work.
        .layer(middleware::from_fn_with_state(state.clone(), cache::layer))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

async fn method_not_allowed() -> crate::error::AppError {
    crate::error::AppError::client(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        yishi_api::codes::METHOD_NOT_ALLOWED,
        "This method is not allowed here.",
    )
}

/// A constant 2 KB JSON document behind the same layers as every API route: what benchmarks
/// compare real endpoints against in the same run (served only with `--bench-baseline`).
async fn bench_baseline() -> impl axum::response::IntoResponse {
    static BODY: std::sync::LazyLock<axum::body::Bytes> = std::sync::LazyLock::new(|| {
        let items: Vec<serde_json::Value> = (1..=12)
            .map(|i| {
                serde_json::json!({
                    "id": i,
                    "author": "基准测试委员",
                    "body": "这是一段固定的文字，用来衡量服务器本身的开销。",
                    "created_at": 1_800_000_000_000i64 + i,
                })
            })
            .collect();
        let mut body =
            serde_json::json!({ "items": items, "next_cursor": null, "total": 12 }).to_string();
        // Pad to exactly 2,048 bytes so the figure means what it says.
        if body.len() < 2048 {
            let pad = 2048 - body.len() - r#","pad":"""#.len();
            body.insert_str(body.len() - 1, &format!(r#","pad":"{}""#, "x".repeat(pad)));
        }
        axum::body::Bytes::from(body)
    });
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        BODY.clone(),
    )
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/api/v1/health", tag = "site", responses((status = 200, body = serde_json::Value)))]
pub async fn health(State(state): State<AppState>) -> AppResult<Json<serde_json::Value>> {
    state.db.ping().await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}

/// Liveness for a load balancer: the process is up and answering.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness for a load balancer: the database answers, every migration of this build is
/// applied, and the server is not shutting down. 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> (axum::http::StatusCode, &'static str) {
    use axum::http::StatusCode;
    if *state.shutdown.borrow() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    match state.db.migrations_current().await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(e) => {
            tracing::warn!(error = ?e, "readiness: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// The client's address: the socket peer, unless that peer is a trusted proxy, in which case
/// the right-most untrusted address of `X-Forwarded-For`.
/// Posting (posts, suggestions, raised issues) is limited per account per minute.
/// A suspended account may not post at all; it is told until when and why.
pub async fn limit_posting(state: &AppState, account: yishi_api::AccountId) -> AppResult<()> {
    if let Some(s) = state.db.suspension(account).await? {
        let until = chrono::DateTime::from_timestamp_millis(s.until)
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        return Err(crate::error::AppError::client(
            axum::http::StatusCode::FORBIDDEN,
            yishi_api::codes::ACCOUNT_SUSPENDED,
            format!(
                "Your account may not post until {until}. Reason: {}",
                s.reason
            ),
        ));
    }
    state
        .limiter
        .hit(
            &format!("post:{account}"),
            state.config.limits.posts_per_minute,
            std::time::Duration::from_secs(60),
        )
        .await
}

pub fn client_ip(config: &Config, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let peer_ip = peer.ip();
    if !config.trusted_proxies.contains(&peer_ip) {
        return peer_ip;
    }
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|list| {
            list.rsplit(',')
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .find(|ip| !config.trusted_proxies.contains(ip))
        })
        .unwrap_or(peer_ip)
}
