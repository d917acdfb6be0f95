//! Duty records (履职档案): a member's record with the year's points and grade, the staff
//! overview with CSV export, offline activities with leave and attendance, and the rules.

mod activities;
mod overview;
mod record;
mod rules;

pub use activities::*;
pub use overview::*;
pub use record::*;
pub use rules::*;

use crate::i18n::{I18n, K};
use yishi_api::{ActivityKind, DutyCategory, DutyGrade, DutySource, LeaveState};

pub fn grade_label(i: I18n, g: DutyGrade) -> &'static str {
    i.t(match g {
        DutyGrade::Excellent => K::GradeExcellent,
        DutyGrade::Good => K::GradeGood,
        DutyGrade::Competent => K::GradeCompetent,
        DutyGrade::NotCompetent => K::GradeNotCompetent,
    })
}

pub fn category_label(i: I18n, c: DutyCategory) -> &'static str {
    i.t(match c {
        DutyCategory::Meetings => K::CatMeetings,
        DutyCategory::Speeches => K::CatSpeeches,
        DutyCategory::Activities => K::CatActivities,
        DutyCategory::Micro => K::CatMicro,
        DutyCategory::Reading => K::CatReading,
    })
}

pub fn source_label(i: I18n, s: DutySource) -> &'static str {
    use DutySource::*;
    i.t(match s {
        Plenary => K::SrcPlenary,
        Meeting => K::SrcMeeting,
        ConsultationJoined => K::SrcConsultationJoined,
        Speech => K::SrcSpeech,
        WrittenSpeech => K::SrcWrittenSpeech,
        Question => K::SrcQuestion,
        Inspection => K::SrcInspection,
        Survey => K::SrcSurvey,
        Training => K::SrcTraining,
        OtherActivity => K::SrcOtherActivity,
        MicroTakingPart => K::SrcMicroTakingPart,
        MicroSuggestionAccepted => K::SrcMicroSuggestionAccepted,
        ReadingReflection => K::SrcReadingReflection,
        ReadingFeatured => K::SrcReadingFeatured,
        ReadingPlanFinished => K::SrcReadingPlanFinished,
        LeaveApproved => K::SrcLeaveApproved,
        Absence => K::SrcAbsence,
    })
}

pub fn activity_kind_label(i: I18n, k: ActivityKind) -> &'static str {
    i.t(match k {
        ActivityKind::Plenary => K::ActPlenary,
        ActivityKind::StandingCommittee => K::ActStandingCommittee,
        ActivityKind::Inspection => K::ActInspection,
        ActivityKind::Survey => K::ActSurvey,
        ActivityKind::Training => K::ActTraining,
        ActivityKind::Other => K::ActOther,
    })
}

pub fn leave_label(i: I18n, l: LeaveState) -> &'static str {
    i.t(match l {
        LeaveState::Requested => K::LeaveRequested,
        LeaveState::Approved => K::LeaveApproved,
        LeaveState::Refused => K::LeaveRefused,
    })
}

/// This year in the browser's calendar (the server's default is the committee's).
pub fn this_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}
