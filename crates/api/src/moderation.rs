//! Moderation (reports, the queue, hiding, pre-moderation, sensitive words, suspensions) and
//! the audit log.

use crate::ids::AccountId;
use crate::text_enum;
use serde::{Deserialize, Serialize};

/// Report a post to the moderators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReport {
    /// Why (1–500 characters).
    pub reason: String,
}

/// Longest report reason, hide reason or suspension reason.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportEntry {
    pub reporter_name: String,
    pub reason: String,
    pub created_at: i64,
}

text_enum! {
    /// Why a post is in the queue.
    QueueReason {
        /// Someone reported it.
        Reported => "reported",
        /// Its container is pre-moderated.
        Premoderation => "premoderation",
        /// It contains a word on the sensitive-word list.
        SensitiveWord => "sensitive_word",
    }
}

/// One post waiting for a moderator: reported (grouped reports) or pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub post_id: i64,
    pub reason: QueueReason,
    pub author_id: AccountId,
    pub author_name: String,
    pub body_html: String,
    /// Where it was written, and a link there.
    pub container_title: String,
    pub link: String,
    pub created_at: i64,
    /// Open reports, oldest first (empty for pending posts).
    pub reports: Vec<ReportEntry>,
    /// Words from the list found in it (sensitive-word holds).
    #[serde(default)]
    pub words: Vec<String>,
}

/// A moderator's decision on a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HidePost {
    /// Shown to the author (1–500 characters).
    pub reason: String,
}

/// What happened to a post the moderators decided on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationState {
    pub post_id: i64,
    pub pending: bool,
    #[serde(default)]
    pub hidden_reason: Option<String>,
    pub open_reports: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SensitiveWord {
    pub id: i64,
    pub word: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSensitiveWord {
    /// 1–50 characters.
    pub word: String,
}

/// Whether posts in a consultation, micro-consultation or reading group wait for approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Premoderation {
    pub premoderated: bool,
}

/// An account kept from posting until a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suspension {
    /// Unix ms.
    pub until: i64,
    pub reason: String,
}

/// Suspend an account from posting for 1–365 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSuspension {
    pub days: u32,
    pub reason: String,
}

/// One audit row. Append-only: no endpoint edits or deletes these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// Absent for scheduled jobs and anonymous visitors.
    #[serde(default)]
    pub actor_id: Option<AccountId>,
    #[serde(default)]
    pub actor_name: Option<String>,
    /// e.g. `post.hide`, `consultation.state`, `account.update`.
    pub action: String,
    pub object_kind: String,
    #[serde(default)]
    pub object_id: Option<i64>,
    pub before: String,
    pub after: String,
    pub client_ip: String,
    pub at: i64,
}
