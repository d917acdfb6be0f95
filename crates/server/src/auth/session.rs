//! Resolves the session once per API request, enforces CSRF on state-changing requests,
//! and offers the extractors handlers use: `MaybeAuthUser`, `SignedIn`, `AuthUser`, `AdminUser`.

use crate::auth::constant_time_eq;
use crate::auth::token_hash;
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use yishi_api::{codes, AccountId, DepartmentId, Role, CSRF_HEADER};

pub const SESSION_COOKIE: &str = "yishi_session";
/// Double-submit token for visitors without a session (protects the sign-in form itself).
pub const ANON_CSRF_COOKIE: &str = "yishi_csrf";
/// Over HTTPS the cookies carry the `__Host-` prefix: browsers then accept them only when
/// Secure, set by this host, for the whole site, so no subdomain can plant or shadow them.
pub const HOST_SESSION_COOKIE: &str = "__Host-yishi_session";
pub const HOST_ANON_CSRF_COOKIE: &str = "__Host-yishi_csrf";

/// The value of the cookie named exactly `name` in the request. Names are compared as sent,
/// never percent-decoded: a sibling subdomain may set `__Host%2Dyishi_session` for the whole
/// domain, which a decoding parser would take for the prefixed cookie only this host can set.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
}

/// The session cookie's name under these settings.
pub fn session_cookie(secure: bool) -> &'static str {
    if secure {
        HOST_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The anonymous double-submit cookie's name under these settings.
pub fn anon_csrf_cookie(secure: bool) -> &'static str {
    if secure {
        HOST_ANON_CSRF_COOKIE
    } else {
        ANON_CSRF_COOKIE
    }
}

/// The signed-in account behind this request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: AccountId,
    pub role: Role,
    pub department_id: Option<DepartmentId>,
    pub must_change_password: bool,
    pub session_hash: String,
    pub csrf_token: String,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The session lookup's result, stored in request extensions by [`session_layer`].
#[derive(Debug, Clone)]
struct ResolvedSession(Option<AuthUser>);

/// Middleware on `/api`: resolves the session cookie, then refuses a state-changing request
/// whose Origin is foreign or whose `X-CSRF-Token` does not match.
pub async fn session_layer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let user = match resolve(&state, request.headers()).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    if is_state_changing(request.method()) {
        if let Err(e) = check_csrf(
            request.headers(),
            user.as_ref(),
            anon_csrf_cookie(state.config.secure_cookies),
        ) {
            return e.into_response();
        }
    }
    // Storage functions stamp audit rows with who made the change and from where.
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let context = crate::db::audit::AuditContext {
        actor: user.as_ref().map(|u| u.id.0),
        client_ip: peer
            .map(|p| crate::http::client_ip(&state.config, p, request.headers()).to_string())
            .unwrap_or_default(),
    };
    request.extensions_mut().insert(ResolvedSession(user));
    crate::db::audit::scope(context, next.run(request)).await
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Option<AuthUser>, AppError> {
    let Some(token) = cookie_value(headers, session_cookie(state.config.secure_cookies)) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let Some(row) = state.db.session(&hash).await? else {
        return Ok(None);
    };
    let now = now_ms();
    let idle_limit = state.config.session_idle_minutes * 60_000;
    let absolute_limit = state.config.session_absolute_hours * 3_600_000;
    if row.active == 0
        || now - row.last_seen_at > idle_limit
        || now - row.created_at > absolute_limit
    {
        // Expired either way; clearing the row can wait for a database that takes writes.
        if let Err(e) = state.db.delete_session(&hash).await {
            tracing::warn!(error = ?e, "could not delete an expired session");
        }
        return Ok(None);
    }
    // At most one write a minute per session (decisions.md).
    if now - row.last_seen_at > 60_000 {
        // Bookkeeping only: a database that cannot take writes must not stop reading.
        if let Err(e) = state.db.touch_session(&hash, now).await {
            tracing::warn!(error = ?e, "could not record session activity");
        }
    }
    let role = Role::parse(&row.role)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown role in database")))?;
    Ok(Some(AuthUser {
        id: AccountId(row.account_id),
        role,
        department_id: row.department_id.map(DepartmentId),
        must_change_password: row.must_change_password != 0,
        session_hash: hash,
        csrf_token: row.csrf_token,
    }))
}

fn csrf_error(message: &str) -> AppError {
    AppError::client(StatusCode::FORBIDDEN, codes::CSRF, message)
}

fn check_csrf(
    headers: &HeaderMap,
    user: Option<&AuthUser>,
    anon_cookie: &str,
) -> Result<(), AppError> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let origin = origin.to_str().unwrap_or_default();
        let origin_host = origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        if host.is_empty() || origin_host != host {
            return Err(csrf_error("Request came from another site."));
        }
    }
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let expected = match user {
        Some(u) => u.csrf_token.clone(),
        None => cookie_value(headers, anon_cookie)
            .unwrap_or_default()
            .to_owned(),
    };
    if sent.is_empty() || expected.is_empty() || !constant_time_eq(sent, &expected) {
        return Err(csrf_error(
            "Security token missing or stale; reload the page and retry.",
        ));
    }
    Ok(())
}

/// A cookie with the defaults every Yishi cookie shares.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

fn resolved(parts: &Parts) -> Option<AuthUser> {
    parts
        .extensions
        .get::<ResolvedSession>()
        .and_then(|r| r.0.clone())
}

/// Anyone; `Some` when signed in.
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuthUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuthUser(resolved(parts)))
    }
}

/// Signed in, even if a one-time password still has to be replaced (for the password page).
pub struct SignedIn(pub AuthUser);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        resolved(parts)
            .map(SignedIn)
            .ok_or_else(AppError::unauthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user = resolved(parts).ok_or_else(AppError::unauthenticated)?;
        if user.must_change_password {
            return Err(AppError::client(
                StatusCode::FORBIDDEN,
                codes::PASSWORD_CHANGE_REQUIRED,
                "Please replace your one-time password first.",
            ));
        }
        Ok(user)
    }
}

/// Staff of the committee office.
pub struct AdminUser(pub AuthUser);

impl<S: Send + Sync> FromRequestParts<S> for AdminUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if user.is_admin() {
            Ok(AdminUser(user))
        } else {
            Err(AppError::forbidden())
        }
    }
}
