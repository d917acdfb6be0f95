//! The one error shape every non-2xx API response carries.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `{ "code": "snake_case", "message": "human text", "fields": {..} }`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Machine-readable, stable snake_case code (see [`codes`]).
    pub code: String,
    /// Human-readable message (English; the app translates by `code`).
    pub message: String,
    /// Field name -> machine-readable problem code, for validation errors.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }

    pub fn with_field(mut self, field: &str, problem: &str) -> Self {
        self.fields.insert(field.to_owned(), problem.to_owned());
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// Stable error codes. The app maps each to a translated sentence.
pub mod codes {
    pub const BAD_REQUEST: &str = "bad_request";
    pub const INVALID_JSON: &str = "invalid_json";
    pub const VALIDATION: &str = "validation_failed";
    pub const UNAUTHENTICATED: &str = "unauthenticated";
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    pub const ACCOUNT_DISABLED: &str = "account_disabled";
    pub const PASSWORD_CHANGE_REQUIRED: &str = "password_change_required";
    pub const FORBIDDEN: &str = "forbidden";
    pub const CSRF: &str = "csrf_failed";
    pub const NOT_FOUND: &str = "not_found";
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    pub const CONFLICT: &str = "conflict";
    pub const INVALID_TRANSITION: &str = "invalid_transition";
    /// The author's time to edit a post has passed.
    pub const EDIT_WINDOW_CLOSED: &str = "edit_window_closed";
    pub const IN_USE: &str = "in_use";
    /// The account may not post until its suspension ends (the message says why and until).
    pub const ACCOUNT_SUSPENDED: &str = "account_suspended";
    /// The reporter already has an open report on this post.
    pub const ALREADY_REPORTED: &str = "already_reported";
    /// Staff act on other accounts this way; their own goes through their profile.
    pub const OWN_ACCOUNT: &str = "own_account";
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    pub const IMPORT_HAS_ERRORS: &str = "import_has_errors";
    pub const INTERNAL: &str = "internal_error";
    pub const UNAVAILABLE: &str = "service_unavailable";
}

/// Field-level problem codes used in `ApiError::fields`.
pub mod field_codes {
    pub const REQUIRED: &str = "required";
    pub const TOO_LONG: &str = "too_long";
    pub const TOO_SHORT: &str = "too_short";
    pub const INVALID: &str = "invalid";
    pub const TAKEN: &str = "taken";
    pub const UNKNOWN: &str = "unknown";
    pub const WRONG: &str = "wrong";
    pub const SAME_AS_OLD: &str = "same_as_old";
    /// A password found in the bundled list of common passwords.
    pub const TOO_COMMON: &str = "too_common";
}
