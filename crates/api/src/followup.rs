//! Follow-up to completion: one tracking loop for consultation recommendations,
//! micro-suggestions (微建议) and, later, micro-consultation measures; the committee calendar
//! that its working-day rules use.

use crate::ids::{AccountId, DepartmentId};
use crate::page::Page;
use serde::{Deserialize, Serialize};

/// A snake_case string enum with `ALL`, `as_str` and `parse` (stored as text in the database).
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

text_enum! {
    /// Where a tracked item came from.
    FollowUpSource {
        /// A numbered recommendation (协商建议) of a consultation.
        Recommendation => "recommendation",
        /// A member's micro-suggestion (微建议).
        MicroSuggestion => "micro_suggestion",
        /// An agreed measure of a micro-consultation (微协商).
        MicroMeasure => "micro_measure",
    }
}

text_enum! {
    /// assigned -> in handling -> replied -> rated -> closed; "returned" when the lead
    /// department says it is not theirs (staff reassign it).
    FollowUpState {
        Assigned => "assigned",
        InHandling => "in_handling",
        Returned => "returned",
        Replied => "replied",
        Rated => "rated",
        Closed => "closed",
    }
}

text_enum! {
    /// The result class of a reply (A / B / C).
    ResultClass {
        /// 已解决
        Solved => "solved",
        /// 正在解决或列入计划
        InProgress => "in_progress",
        /// 留作参考
        ForReference => "for_reference",
    }
}

text_enum! {
    /// The requester's rating of a reply.
    Rating {
        Satisfied => "satisfied",
        BasicallySatisfied => "basically_satisfied",
        Unsatisfied => "unsatisfied",
    }
}

text_enum! {
    /// One line of an item's timeline.
    TimelineKind {
        Assigned => "assigned",
        Accepted => "accepted",
        Returned => "returned",
        Reassigned => "reassigned",
        Note => "note",
        Replied => "replied",
        Rated => "rated",
        Closed => "closed",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentRef {
    pub id: DepartmentId,
    pub name: String,
}

/// An item in a list (inbox, overview, My activity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpSummary {
    pub id: i64,
    pub source: FollowUpSource,
    pub title: String,
    pub lead: DepartmentRef,
    pub state: FollowUpState,
    /// `YYYY-MM-DD` in the committee's time zone.
    pub due_date: String,
    /// Past the due date (committee time zone) and not replied.
    pub overdue: bool,
    pub assigned_at: i64,
    #[serde(default)]
    pub replied_at: Option<i64>,
    #[serde(default)]
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    /// `None`: made by the system.
    #[serde(default)]
    pub actor_name: Option<String>,
    /// The actor's department, for officials.
    #[serde(default)]
    pub actor_department: Option<String>,
    pub at: i64,
    /// Reason, note, reply or rating comment (plain text).
    pub text: String,
    #[serde(default)]
    pub result_class: Option<ResultClass>,
    #[serde(default)]
    pub rating: Option<Rating>,
}

/// What the reader may do with an item now (the server decides; the app shows the forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpActions {
    pub accept: bool,
    pub give_back: bool,
    pub note: bool,
    pub reply: bool,
    pub rate: bool,
    pub reassign: bool,
    pub close: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpDetail {
    pub summary: FollowUpSummary,
    pub body: String,
    pub assisting: Vec<DepartmentRef>,
    /// Who rates the result; `None`: staff record the rating.
    #[serde(default)]
    pub requester_name: Option<String>,
    /// The micro-suggestion or consultation it came from.
    pub source_id: i64,
    /// The last day the lead department may return it as "not ours" (3 working days).
    pub return_deadline: String,
    /// Sent back once after an "unsatisfied" rating: the next reply is final.
    pub rehandled: bool,
    #[serde(default)]
    pub reply: Option<String>,
    #[serde(default)]
    pub result_class: Option<ResultClass>,
    pub timeline: Vec<TimelineEntry>,
    /// Evidence of the handling.
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// The micro-suggestion's own photos of the problem.
    #[serde(default)]
    pub source_photos: Vec<Photo>,
    pub actions: FollowUpActions,
}

/// The lead department gives an item back as not its business (within 3 working days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GiveBack {
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressNote {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyInput {
    pub text: String,
    pub result_class: ResultClass,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingInput {
    pub rating: Rating,
    /// Required when unsatisfied.
    #[serde(default)]
    pub reason: String,
}

/// Staff assign (a returned item again, or a new micro-suggestion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    pub lead_department_id: DepartmentId,
    #[serde(default)]
    pub assisting: Vec<DepartmentId>,
    /// `YYYY-MM-DD` (committee time zone); not in the past.
    pub due_date: String,
}

pub type FollowUpPage = Page<FollowUpSummary>;

/// One department's line in the staff overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentStats {
    pub department: DepartmentRef,
    pub assigned: i64,
    pub in_handling: i64,
    pub returned: i64,
    /// Replied, rated or closed.
    pub replied: i64,
    pub overdue: i64,
    /// Average working days from assignment to (latest) reply; `None` before any reply.
    #[serde(default)]
    pub average_working_days_to_reply: Option<f64>,
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub unsatisfied: i64,
}

text_enum! {
    SuggestionState {
        /// Waiting for staff review.
        Submitted => "submitted",
        /// Accepted and assigned: its follow-up item tracks it.
        Accepted => "accepted",
        /// Returned to the member with a reason.
        NotAccepted => "not_accepted",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSuggestion {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub location: Option<String>,
    /// The member agrees to publish it once accepted.
    #[serde(default)]
    pub public: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub id: i64,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub location: Option<String>,
    pub public: bool,
    pub author_id: AccountId,
    pub author_name: String,
    pub state: SuggestionState,
    /// Why staff did not accept it (the member sees it).
    #[serde(default)]
    pub review_reason: Option<String>,
    pub created_at: i64,
    /// The follow-up item, once accepted.
    #[serde(default)]
    pub follow_up: Option<FollowUpSummary>,
    /// The department's reply, once replied (shown with the suggestion).
    #[serde(default)]
    pub reply: Option<String>,
    /// The reader may review it (staff, while submitted).
    #[serde(default)]
    pub can_review: bool,
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// The author may still add photos (while it waits for review).
    #[serde(default)]
    pub can_add_photos: bool,
}

/// Staff review: accept and assign, or return with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum SuggestionReview {
    Accept(Assignment),
    Return { reason: String },
}

text_enum! {
    /// A calendar exception: a holiday on a weekday, or a make-up working day (调休) at a weekend.
    DayKind {
        Holiday => "holiday",
        Workday => "workday",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub kind: DayKind,
    /// e.g. 国庆节, 国庆调休.
    #[serde(default)]
    pub name: String,
}

/// A photo: a suggestion's picture of the problem, or evidence of the handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    pub id: i64,
    pub filename: String,
    /// `None`: a visitor sent it with the public form.
    #[serde(default)]
    pub uploaded_by: Option<String>,
    pub created_at: i64,
}

/// A photo sent inside a JSON form (the public micro-consultation form has no session to
/// upload with): the image's bytes in standard Base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InlinePhoto {
    pub filename: String,
    pub data_base64: String,
}

/// Largest photo accepted (JPEG, PNG, WebP, GIF), in bytes.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Photos per suggestion and per tracked item.
pub const MAX_SUGGESTION_PHOTOS: i64 = 3;
pub const MAX_EVIDENCE_PHOTOS: i64 = 10;

/// Longest texts accepted, in characters.
pub const MAX_SUGGESTION_TITLE_CHARS: usize = 60;
pub const MAX_SUGGESTION_CHARS: usize = 2_000;
pub const MAX_FOLLOW_UP_TEXT_CHARS: usize = 5_000;
/// Working days after assignment in which the lead department may give an item back.
pub const RETURN_WINDOW_WORKING_DAYS: u32 = 3;
