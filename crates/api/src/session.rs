//! Sign-in, the session and password changes.

use crate::account::Me;
use serde::{Deserialize, Serialize};

/// The current session: who is signed in (if anyone) and the CSRF token to send back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    #[serde(default)]
    pub user: Option<Me>,
    /// Send as the `X-CSRF-Token` header on every POST/PUT/PATCH/DELETE.
    pub csrf_token: String,
}

/// Sign in with a username or a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// Username or mobile phone number.
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// Smallest accepted password length, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Largest accepted password length, in characters (hashing cost stays bounded).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Ask for a password-reset link by email (answered the same whether or not the account
/// exists or has an email address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    /// Username or mobile phone number.
    pub login: String,
}

/// Set a new password with the token from the emailed link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    pub token: String,
    pub new_password: String,
}

/// How long an emailed reset link works, in minutes.
pub const PASSWORD_RESET_MINUTES: i64 = 30;
