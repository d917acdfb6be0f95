//! Consultations (远程协商 and 网络议政) and their life cycle.

use crate::ids::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsultationKind {
    /// A scheduled live meeting linking a main venue and branch venues.
    Remote,
    /// A topic open online between two dates (网络议政).
    Online,
}

/// Who may read a container (decisions.md): `public` = anyone, `members` = any signed-in account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Members,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsultationState {
    Draft,
    Published,
    Live,
    Concluded,
    OutcomePublished,
    Closed,
}

impl ConsultationState {
    pub const ALL: [ConsultationState; 6] = [
        ConsultationState::Draft,
        ConsultationState::Published,
        ConsultationState::Live,
        ConsultationState::Concluded,
        ConsultationState::OutcomePublished,
        ConsultationState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsultationState::Draft => "draft",
            ConsultationState::Published => "published",
            ConsultationState::Live => "live",
            ConsultationState::Concluded => "concluded",
            ConsultationState::OutcomePublished => "outcome_published",
            ConsultationState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ConsultationState> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// Create or edit a consultation (admins; while it is a draft or published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultationInput {
    pub kind: ConsultationKind,
    pub title: String,
    /// Markdown; rendered and sanitised by the server.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub committee_id: Option<CommitteeId>,
    /// The chair (主持人): an admin or a member.
    #[serde(default)]
    pub chair_id: Option<AccountId>,
    /// Start (remote) or opening (online), Unix ms.
    #[serde(default)]
    pub starts_at: Option<i64>,
    /// End (remote) or closing (online), Unix ms.
    #[serde(default)]
    pub ends_at: Option<i64>,
    /// Main and branch venues, free text.
    #[serde(default)]
    pub venues: String,
    #[serde(default)]
    pub video_link: Option<String>,
    pub visibility: Visibility,
    #[serde(default)]
    pub invited_sectors: Vec<SectorId>,
    #[serde(default)]
    pub invited_committees: Vec<CommitteeId>,
    #[serde(default)]
    pub invited_accounts: Vec<AccountId>,
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
}

/// A consultation in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultationSummary {
    pub id: i64,
    pub kind: ConsultationKind,
    pub title: String,
    pub state: ConsultationState,
    pub visibility: Visibility,
    #[serde(default)]
    pub starts_at: Option<i64>,
    #[serde(default)]
    pub ends_at: Option<i64>,
}

/// One recorded state change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionRecord {
    pub from: ConsultationState,
    pub to: ConsultationState,
    /// Who made the change; `None` when the schedule made it (an online topic closing on its
    /// closing date).
    #[serde(default)]
    pub actor_name: Option<String>,
    pub at: i64,
}

/// A consultation page: everything a reader may see, plus what this reader may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultationDetail {
    pub summary: ConsultationSummary,
    /// Markdown source (for editors).
    pub description: String,
    /// Sanitised HTML rendered by the server.
    pub description_html: String,
    #[serde(default)]
    pub committee_id: Option<CommitteeId>,
    #[serde(default)]
    pub chair_id: Option<AccountId>,
    #[serde(default)]
    pub chair_name: Option<String>,
    pub venues: String,
    #[serde(default)]
    pub video_link: Option<String>,
    pub invited_sectors: Vec<SectorId>,
    pub invited_committees: Vec<CommitteeId>,
    pub invited_accounts: Vec<AccountId>,
    pub departments: Vec<DepartmentId>,
    pub transitions: Vec<TransitionRecord>,
    /// The reader may post comments and questions (an invited participant, the chair, staff).
    pub can_post: bool,
    /// The reader may post answers (an official of a participating department).
    pub can_answer: bool,
    /// The reader may edit it and move its state (staff; the chair for the live steps).
    pub can_manage: bool,
    /// The reader runs the meeting: speakers, queue, segments, floor (the chair or staff).
    #[serde(default)]
    pub can_run_meeting: bool,
    /// The reader may apply to speak (an invited member, remote kind, before or during it).
    #[serde(default)]
    pub can_apply_to_speak: bool,
}

/// Move a consultation to another state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeState {
    pub to: ConsultationState,
}

/// A background material (PDF, Word document or image) attached to a consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
}

/// Largest attachment accepted, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
