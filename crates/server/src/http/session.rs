//! Sign-in, the current session, sign-out (here or everywhere) and password changes.

use crate::auth::session::{
    anon_csrf_cookie, cookie, cookie_value, session_cookie, MaybeAuthUser, SignedIn,
};
use crate::auth::{password, random_token, token_hash};
use crate::db::now_ms;
use crate::domain::accounts::check_new_password;
use crate::error::{AppError, AppResult};
use crate::http::{client_ip, json::ApiJson};
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::CookieJar;
use std::net::SocketAddr;
use std::time::Duration;
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", get(current).post(sign_in).delete(sign_out))
        .route("/session/everywhere", post(sign_out_everywhere))
        .route("/me/password", post(change_password))
        .route("/password-resets", post(request_reset))
        .route("/password-resets/confirm", post(confirm_reset))
}

/// The current session and a CSRF token. Visitors without a session get a double-submit
/// token in a cookie, which also protects the sign-in form.
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = SessionInfo)))]
pub async fn current(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
) -> AppResult<(CookieJar, Json<SessionInfo>)> {
    if let Some(user) = user {
        let me = state.db.me(user.id).await?;
        return Ok((
            jar,
            Json(SessionInfo {
                user: me,
                csrf_token: user.csrf_token,
            }),
        ));
    }
    let existing =
        cookie_value(&headers, anon_csrf_cookie(state.config.secure_cookies)).map(str::to_owned);
    let (jar, token) = match existing {
        Some(token) if !token.is_empty() => (jar, token),
        _ => {
            let token = random_token();
            (
                jar.add(cookie(
                    anon_csrf_cookie(state.config.secure_cookies),
                    token.clone(),
                    state.config.secure_cookies,
                )),
                token,
            )
        }
    };
    Ok((
        jar,
        Json(SessionInfo {
            user: None,
            csrf_token: token,
        }),
    ))
}

/// Sign in with username or phone. Limited per client address and per account.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses((status = 200, body = SessionInfo), (status = 401, body = ApiError), (status = 429, body = ApiError)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<SignIn>,
) -> AppResult<(CookieJar, Json<SessionInfo>)> {
    let limits = state.config.limits;
    let ip = client_ip(&state.config, peer, &headers);
    state
        .limiter
        .hit(
            &format!("login-ip:{ip}"),
            limits.login_per_ip_per_minute,
            Duration::from_secs(60),
        )
        .await?;
    let login = body.login.trim();
    if login.is_empty() || login.len() > 64 || body.password.len() > 4 * MAX_PASSWORD_CHARS {
        return Err(invalid_credentials());
    }
    let account_key = format!("login-account:{login}");
    let failure_window = Duration::from_secs(15 * 60);
    state
        .limiter
        .check(
            &account_key,
            limits.login_failures_per_account,
            failure_window,
        )
        .await?;

    let found = state.db.credentials(login).await?;
    let stored = found
        .as_ref()
        .map_or_else(|| state.dummy_hash.to_string(), |c| c.password_hash.clone());
    let matches = password::verify(body.password, stored).await?;
    let Some(account) = found.filter(|_| matches) else {
        // Counting the failure may itself be refused (already at the limit): still a failure.
        let _ = state
            .limiter
            .hit(
                &account_key,
                limits.login_failures_per_account,
                failure_window,
            )
            .await;
        return Err(invalid_credentials());
    };
    if account.active == 0 {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            codes::ACCOUNT_DISABLED,
            "This account has been deactivated; contact the committee office.",
        ));
    }
    state.limiter.clear(&account_key).await?;

    let id = AccountId(account.id);
    let token = random_token();
    let csrf = random_token();
    state
        .db
        .create_session(&token_hash(&token), id, &csrf, now_ms())
        .await?;
    let me = state.db.me(id).await?;
    let jar = jar
        .add(cookie(
            session_cookie(state.config.secure_cookies),
            token,
            state.config.secure_cookies,
        ))
        .remove(removal(
            anon_csrf_cookie(state.config.secure_cookies),
            state.config.secure_cookies,
        ));
    Ok((
        jar,
        Json(SessionInfo {
            user: me,
            csrf_token: csrf,
        }),
    ))
}

fn invalid_credentials() -> AppError {
    AppError::client(
        StatusCode::UNAUTHORIZED,
        codes::INVALID_CREDENTIALS,
        "Wrong username, phone number or password.",
    )
}

/// Sign out of this browser: the session is deleted on the server.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn sign_out(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    jar: CookieJar,
) -> AppResult<(StatusCode, CookieJar)> {
    if let Some(user) = user {
        state.db.delete_session(&user.session_hash).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        jar.remove(removal(
            session_cookie(state.config.secure_cookies),
            state.config.secure_cookies,
        )),
    ))
}

/// Sign out of every browser and device.
#[utoipa::path(post, path = "/api/v1/session/everywhere", tag = "session", responses((status = 204)))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    jar: CookieJar,
) -> AppResult<(StatusCode, CookieJar)> {
    state.db.delete_sessions_of(user.id).await?;
    state.hub.notify();
    Ok((
        StatusCode::NO_CONTENT,
        jar.remove(removal(
            session_cookie(state.config.secure_cookies),
            state.config.secure_cookies,
        )),
    ))
}

/// Replaces the password (also the one-time password after first sign-in). Every other
/// session of the account ends; this one is replaced by a fresh session.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "session", request_body = ChangePassword,
    responses((status = 200, body = SessionInfo), (status = 422, body = ApiError)))]
pub async fn change_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    jar: CookieJar,
    ApiJson(body): ApiJson<ChangePassword>,
) -> AppResult<(CookieJar, Json<SessionInfo>)> {
    check_new_password(&body.new_password).map_err(|p| AppError::field("new_password", p))?;
    if body.new_password == body.current_password {
        return Err(AppError::field("new_password", SAME_AS_OLD));
    }
    let stored = state
        .db
        .password_hash(user.id)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    if !password::verify(body.current_password, stored).await? {
        return Err(AppError::field("current_password", WRONG));
    }
    let hash = password::hash(body.new_password, state.config.password_hashing).await?;
    state.db.set_password(user.id, &hash, false).await?;
    state.hub.notify();
    let token = random_token();
    let csrf = random_token();
    state
        .db
        .create_session(&token_hash(&token), user.id, &csrf, now_ms())
        .await?;
    let me = state.db.me(user.id).await?;
    Ok((
        jar.add(cookie(
            session_cookie(state.config.secure_cookies),
            token,
            state.config.secure_cookies,
        )),
        Json(SessionInfo {
            user: me,
            csrf_token: csrf,
        }),
    ))
}

/// Emails a single-use link valid for 30 minutes when the account has an email address.
/// Answers 202 either way, so the form does not reveal which accounts exist; accounts without
/// an email address are reset by staff.
#[utoipa::path(post, path = "/api/v1/password-resets", tag = "session", request_body = PasswordResetRequest,
    responses((status = 202), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn request_reset(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordResetRequest>,
) -> AppResult<StatusCode> {
    let login = body.login.trim();
    if login.is_empty() {
        return Err(AppError::field("login", REQUIRED));
    }
    if login.chars().any(char::is_control) {
        return Err(AppError::field("login", INVALID));
    }
    if login.chars().count() > 64 {
        return Err(AppError::field("login", TOO_LONG));
    }
    // The sign-in budget per address also bounds reset requests (no mail bombing).
    let ip = client_ip(&state.config, peer, &headers);
    state
        .limiter
        .hit(
            &format!("reset:{ip}"),
            state.config.limits.login_per_ip_per_minute,
            Duration::from_secs(60),
        )
        .await?;
    // Per login, whether or not it exists, so the limit itself reveals nothing.
    state
        .limiter
        .hit(
            &format!("reset-login:{}", login.to_lowercase()),
            3,
            Duration::from_secs(900),
        )
        .await?;
    if state.config.outbound.smtp_url.is_none() {
        return Ok(StatusCode::ACCEPTED);
    }
    if let Some(target) = state.db.reset_target(login).await? {
        let token = random_token();
        let link = format!(
            "{}/reset-password?token={token}",
            state.config.outbound.public_url
        );
        let body = format!(
            "您好：\n\n有人（可能是您本人）申请重设议事平台的登录密码。请在{PASSWORD_RESET_MINUTES}分钟内打开下面的链接设置新密码，链接只能使用一次：\n\n{link}\n\n如果不是您本人申请，请忽略本邮件，您的密码不会改变。"
        );
        state
            .db
            .start_password_reset(&target, &token_hash(&token), "【议事】重设密码", &body)
            .await?;
    }
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with an emailed token; every session of the account ends.
#[utoipa::path(post, path = "/api/v1/password-resets/confirm", tag = "session", request_body = PasswordResetConfirm,
    responses((status = 204), (status = 422, body = ApiError)))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<PasswordResetConfirm>,
) -> AppResult<StatusCode> {
    check_new_password(&body.new_password).map_err(|p| AppError::field("new_password", p))?;
    if body.token.is_empty()
        || body.token.len() > 128
        || !body.token.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(AppError::field("token", INVALID));
    }
    let account = state
        .db
        .use_password_reset(&token_hash(&body.token))
        .await?
        .ok_or_else(|| AppError::field("token", INVALID))?;
    let hash = password::hash(body.new_password, state.config.password_hashing).await?;
    state.db.set_password(account, &hash, false).await?;
    state.hub.notify();
    Ok(StatusCode::NO_CONTENT)
}

/// A cookie to remove, with the attributes it was set with: a `__Host-` cookie is only
/// replaced by one that is Secure with path `/`.
fn removal(name: &'static str, secure: bool) -> axum_extra::extract::cookie::Cookie<'static> {
    cookie(name, String::new(), secure)
}
