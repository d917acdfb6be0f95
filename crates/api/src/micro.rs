//! Micro-consultations (微协商): one local livelihood issue from request to resolution, the
//! "four-order loop": raised (点单), taken up (买单), settled (解单), checked (查单).

use crate::consultation::Visibility;
use crate::followup::FollowUpSummary;
use crate::ids::{AccountId, DepartmentId, WorkstationId};
use crate::text_enum;
use serde::{Deserialize, Serialize};

text_enum! {
    MicroState {
        Raised => "raised",
        Declined => "declined",
        Accepted => "accepted",
        Gathering => "gathering",
        MeetingScheduled => "meeting_scheduled",
        ConsensusPublished => "consensus_published",
        InImplementation => "in_implementation",
        Resolved => "resolved",
        Closed => "closed",
    }
}

/// A member raises an issue from their account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RaiseIssue {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub location: String,
    /// An optional photo of the problem.
    #[serde(default)]
    pub photo: Option<crate::followup::InlinePhoto>,
}

/// A visitor raises an issue through the public form (moderated; contact seen by staff only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicIssue {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub location: String,
    pub name: String,
    /// Phone or other contact.
    pub contact: String,
    /// Agreement to the personal-information notice; required.
    #[serde(default)]
    pub consent: bool,
    /// An optional photo of the problem.
    #[serde(default)]
    pub photo: Option<crate::followup::InlinePhoto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicroSummary {
    pub id: i64,
    pub title: String,
    pub state: MicroState,
    #[serde(default)]
    pub workstation: Option<String>,
    #[serde(default)]
    pub location: String,
    pub created_at: i64,
}

/// The raiser: staff see the contact (until it is erased); others see only whether a member
/// or a resident raised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Raiser {
    /// The member who raised it, if a member did.
    #[serde(default)]
    pub member_id: Option<AccountId>,
    #[serde(default)]
    pub member_name: Option<String>,
    /// A resident's name and contact: staff only.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    /// When the contact details were erased (retention period after closing).
    #[serde(default)]
    pub contact_erased_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicroStep {
    pub to: MicroState,
    #[serde(default)]
    pub actor_name: Option<String>,
    #[serde(default)]
    pub note: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    /// Unix ms.
    #[serde(default)]
    pub at: Option<i64>,
    /// Place or online link.
    #[serde(default)]
    pub place: String,
    /// Members, department people, residents' representatives (free text).
    #[serde(default)]
    pub participants: String,
    /// What was said.
    #[serde(default)]
    pub record: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    pub id: i64,
    pub text: String,
    pub multiple: bool,
    pub options: Vec<QuestionOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionOption {
    pub id: i64,
    pub text: String,
    /// Answers so far; shown to members and staff.
    #[serde(default)]
    pub count: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Questionnaire {
    pub questions: Vec<Question>,
    /// How many have answered (members and staff see it).
    #[serde(default)]
    pub respondents: Option<i64>,
    /// The reader has answered.
    #[serde(default)]
    pub answered: bool,
    /// The reader may answer now.
    #[serde(default)]
    pub can_answer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewQuestion {
    pub text: String,
    #[serde(default)]
    pub multiple: bool,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionnaireInput {
    pub questions: Vec<NewQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub question_id: i64,
    pub option_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answers {
    pub answers: Vec<Answer>,
}

/// One agreed measure; it becomes a tracked item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMeasure {
    pub text: String,
    pub lead_department_id: DepartmentId,
    /// `YYYY-MM-DD`, committee time zone.
    pub due_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsensusInput {
    /// 协商意见 (plain text).
    pub text: String,
    pub measures: Vec<NewMeasure>,
}

/// Staff accept a raised issue: who takes it up, who is concerned, who may read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptIssue {
    #[serde(default)]
    pub workstation_id: Option<WorkstationId>,
    pub members: Vec<AccountId>,
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
    pub visibility: Visibility,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclineIssue {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveIssue {
    pub to: MicroState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RaiserFeedback {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub id: AccountId,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicroActions {
    pub accept: bool,
    pub decline: bool,
    pub open_opinions: bool,
    pub schedule_meeting: bool,
    pub record_meeting: bool,
    pub publish_consensus: bool,
    pub start_implementation: bool,
    pub confirm_resolved: bool,
    pub record_feedback: bool,
    pub close: bool,
    pub post: bool,
    pub edit_questionnaire: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicroDetail {
    pub summary: MicroSummary,
    pub description: String,
    pub visibility: Visibility,
    pub raiser: Raiser,
    #[serde(default)]
    pub decline_reason: Option<String>,
    pub members: Vec<PersonRef>,
    pub departments: Vec<crate::followup::DepartmentRef>,
    pub meeting: Meeting,
    #[serde(default)]
    pub consensus: Option<String>,
    /// The agreed measures as tracked items.
    pub measures: Vec<FollowUpSummary>,
    #[serde(default)]
    pub feedback: Option<String>,
    pub timeline: Vec<MicroStep>,
    pub questionnaire: Questionnaire,
    /// Photos of the problem sent by the raiser.
    #[serde(default)]
    pub photos: Vec<crate::followup::Photo>,
    pub actions: MicroActions,
}

/// The list page's small summary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicroCounts {
    pub raised: i64,
    pub in_progress: i64,
    pub resolved: i64,
    pub overdue_measures: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MicroPage {
    pub items: Vec<MicroSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    pub total: i64,
    pub counts: MicroCounts,
}

pub const MAX_MICRO_TITLE_CHARS: usize = 60;
pub const MAX_MICRO_TEXT_CHARS: usize = 5_000;
