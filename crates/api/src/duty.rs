//! Duty records (履职档案): the points ledger, its rules, offline duties staff record, leave,
//! and the yearly totals and grades.

use crate::ids::AccountId;
use crate::micro::PersonRef;
use crate::text_enum;
use serde::{Deserialize, Serialize};

text_enum! {
    /// What earns points; each source has a rule (points per unit, optional yearly cap).
    DutySource {
        /// A plenary session (全体会议), per half-day.
        Plenary => "plenary",
        /// A standing-committee or other meeting.
        Meeting => "meeting",
        ConsultationJoined => "consultation_joined",
        Speech => "speech",
        WrittenSpeech => "written_speech",
        Question => "question",
        Inspection => "inspection",
        Survey => "survey",
        Training => "training",
        OtherActivity => "other_activity",
        MicroTakingPart => "micro_taking_part",
        MicroSuggestionAccepted => "micro_suggestion_accepted",
        ReadingReflection => "reading_reflection",
        ReadingFeatured => "reading_featured",
        ReadingPlanFinished => "reading_plan_finished",
        /// Approved leave from an activity.
        LeaveApproved => "leave_approved",
        /// Absence without approved leave.
        Absence => "absence",
    }
}

text_enum! {
    /// What a rule's points are counted per.
    RuleUnit {
        /// Each action or activity.
        Each => "each",
        /// Each half-day of a session.
        HalfDay => "half_day",
    }
}

text_enum! {
    /// The breakdown of a record.
    DutyCategory {
        Meetings => "meetings",
        Speeches => "speeches",
        Activities => "activities",
        Micro => "micro",
        Reading => "reading",
    }
}

impl DutySource {
    pub fn unit(self) -> RuleUnit {
        if self == DutySource::Plenary {
            RuleUnit::HalfDay
        } else {
            RuleUnit::Each
        }
    }

    pub fn category(self) -> DutyCategory {
        use DutySource::*;
        match self {
            Plenary | Meeting | ConsultationJoined | LeaveApproved | Absence => {
                DutyCategory::Meetings
            }
            Speech | WrittenSpeech | Question => DutyCategory::Speeches,
            Inspection | Survey | Training | OtherActivity => DutyCategory::Activities,
            MicroTakingPart | MicroSuggestionAccepted => DutyCategory::Micro,
            ReadingReflection | ReadingFeatured | ReadingPlanFinished => DutyCategory::Reading,
        }
    }
}

text_enum! {
    /// The 100-point scale's grades: excellent >= 90, good 80-89, competent 60-79,
    /// not competent < 60.
    DutyGrade {
        Excellent => "excellent",
        Good => "good",
        Competent => "competent",
        NotCompetent => "not_competent",
    }
}

impl DutyGrade {
    pub fn of(total: i64) -> DutyGrade {
        match total {
            t if t >= 90 => DutyGrade::Excellent,
            t if t >= 80 => DutyGrade::Good,
            t if t >= 60 => DutyGrade::Competent,
            _ => DutyGrade::NotCompetent,
        }
    }
}

text_enum! {
    /// Offline duties staff record.
    ActivityKind {
        Plenary => "plenary",
        StandingCommittee => "standing_committee",
        Inspection => "inspection",
        Survey => "survey",
        Training => "training",
        Other => "other",
    }
}

impl ActivityKind {
    /// The rule an attended activity of this kind scores by.
    pub fn source(self) -> DutySource {
        match self {
            ActivityKind::Plenary => DutySource::Plenary,
            ActivityKind::StandingCommittee => DutySource::Meeting,
            ActivityKind::Inspection => DutySource::Inspection,
            ActivityKind::Survey => DutySource::Survey,
            ActivityKind::Training => DutySource::Training,
            ActivityKind::Other => DutySource::OtherActivity,
        }
    }
}

text_enum! {
    LeaveState {
        Requested => "requested",
        Approved => "approved",
        Refused => "refused",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointRule {
    pub id: i64,
    pub source: DutySource,
    pub category: DutyCategory,
    pub points: i64,
    /// What the points are counted per.
    pub unit: RuleUnit,
    #[serde(default)]
    pub yearly_cap: Option<i64>,
    /// `YYYY-MM-DD`: applies to sources dated from then on.
    pub effective_from: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointRuleInput {
    pub source: DutySource,
    pub points: i64,
    #[serde(default)]
    pub yearly_cap: Option<i64>,
    pub effective_from: String,
}

/// One ledger row as a record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerRow {
    pub id: i64,
    pub at: i64,
    pub source: DutySource,
    pub category: DutyCategory,
    pub points: i64,
    /// A compensating row (the source was undone or corrected).
    pub reversal: bool,
    /// What the row is for, e.g. the activity's title.
    pub title: String,
    /// The app path of its source, where it has a page.
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryTotal {
    pub category: DutyCategory,
    pub points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyRecord {
    pub member: PersonRef,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub committee: Option<String>,
    pub year: i32,
    pub total: i64,
    pub grade: DutyGrade,
    pub by_category: Vec<CategoryTotal>,
    pub rows: Vec<LedgerRow>,
}

/// One member's line in the staff overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutySummary {
    pub member: PersonRef,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub committee: Option<String>,
    pub total: i64,
    pub grade: DutyGrade,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitee {
    pub id: AccountId,
    pub name: String,
    #[serde(default)]
    pub leave: Option<LeaveState>,
    #[serde(default)]
    pub leave_reason: Option<String>,
    /// `None` until attendance is recorded.
    #[serde(default)]
    pub attended: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyActivity {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub held_on: String,
    pub half_days: i64,
    /// Attendance has been entered.
    pub recorded: bool,
    pub invitees: Vec<Invitee>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub title: String,
    pub held_on: String,
    #[serde(default = "one")]
    pub half_days: i64,
    /// Members expected (all active members when empty).
    #[serde(default)]
    pub invitee_ids: Vec<AccountId>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaveRequest {
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaveDecision {
    pub approve: bool,
}

/// Who attended; every other expected member is on approved leave or absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceInput {
    pub attended: Vec<AccountId>,
}

/// A member's view of an activity they are expected at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpectedActivity {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub held_on: String,
    pub recorded: bool,
    #[serde(default)]
    pub leave: Option<LeaveState>,
    #[serde(default)]
    pub attended: Option<bool>,
}

pub const MAX_LEAVE_REASON_CHARS: usize = 200;
