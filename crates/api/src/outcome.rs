//! What a consultation produces: attendance, minutes (会议纪要), recommendations (协商建议).

use crate::ids::{AccountId, DepartmentId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttendanceSource {
    /// Opened the live room while the meeting was live.
    Online,
    /// Had the floor.
    Speaker,
    /// Ticked by staff at a venue.
    Venue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendee {
    pub account_id: AccountId,
    pub name: String,
    pub source: AttendanceSource,
}

/// One line of the roll call: an invited account (or anyone recorded as attending) and how
/// they attended, if they did. Staff tick venue attendance from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollEntry {
    pub account_id: AccountId,
    pub name: String,
    #[serde(default)]
    pub sector_name: Option<String>,
    /// On the invitation list (not only recorded as attending).
    pub invited: bool,
    /// Every way the account attended; empty when absent.
    pub sources: Vec<AttendanceSource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceMark {
    pub account_id: AccountId,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Minutes {
    /// Markdown source (staff edit it).
    pub body: String,
    /// Sanitised HTML rendered by the server.
    pub body_html: String,
    #[serde(default)]
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MinutesInput {
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendation {
    pub id: i64,
    /// 1, 2, 3… in the order listed.
    pub number: i64,
    pub text: String,
    pub department_id: DepartmentId,
    pub department_name: String,
    /// Its tracked item, once the outcome is published.
    #[serde(default)]
    pub follow_up_id: Option<i64>,
    #[serde(default)]
    pub follow_up_state: Option<crate::followup::FollowUpState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRecommendation {
    pub text: String,
    pub department_id: DepartmentId,
}

/// Longest minutes accepted, in characters.
pub const MAX_MINUTES_CHARS: usize = 100_000;
