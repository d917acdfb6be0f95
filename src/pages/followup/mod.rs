//! Follow-up to completion: micro-suggestions (微建议), the department inbox and staff
//! overview, one tracked item with its timeline and steps.

mod assignment;
mod inbox;
mod item;
mod suggestions;

pub use inbox::*;
pub use item::*;
pub use suggestions::*;

use crate::i18n::{I18n, K};
use yishi_api::{
    FollowUpSource, FollowUpState, Rating, ResultClass, SuggestionState, TimelineKind,
};

pub fn follow_up_state_label(i: I18n, s: FollowUpState) -> &'static str {
    i.t(match s {
        FollowUpState::Assigned => K::FuAssigned,
        FollowUpState::InHandling => K::FuInHandling,
        FollowUpState::Returned => K::FuReturned,
        FollowUpState::Replied => K::FuReplied,
        FollowUpState::Rated => K::FuRated,
        FollowUpState::Closed => K::FuClosed,
    })
}

pub fn source_label(i: I18n, s: FollowUpSource) -> &'static str {
    i.t(match s {
        FollowUpSource::Recommendation => K::SourceRecommendation,
        FollowUpSource::MicroSuggestion => K::SourceMicroSuggestion,
        FollowUpSource::MicroMeasure => K::SourceMicroMeasure,
    })
}

pub fn result_class_label(i: I18n, c: ResultClass) -> &'static str {
    i.t(match c {
        ResultClass::Solved => K::ResultSolved,
        ResultClass::InProgress => K::ResultInProgress,
        ResultClass::ForReference => K::ResultForReference,
    })
}

pub fn rating_label(i: I18n, r: Rating) -> &'static str {
    i.t(match r {
        Rating::Satisfied => K::RatingSatisfied,
        Rating::BasicallySatisfied => K::RatingBasically,
        Rating::Unsatisfied => K::RatingUnsatisfied,
    })
}

pub fn suggestion_state_label(i: I18n, s: SuggestionState) -> &'static str {
    i.t(match s {
        SuggestionState::Submitted => K::SugSubmitted,
        SuggestionState::Accepted => K::SugAccepted,
        SuggestionState::NotAccepted => K::SugNotAccepted,
    })
}

pub fn timeline_label(i: I18n, k: TimelineKind) -> &'static str {
    i.t(match k {
        TimelineKind::Assigned => K::TlAssigned,
        TimelineKind::Accepted => K::TlAccepted,
        TimelineKind::Returned => K::TlReturned,
        TimelineKind::Reassigned => K::TlReassigned,
        TimelineKind::Note => K::TlNote,
        TimelineKind::Replied => K::TlReplied,
        TimelineKind::Rated => K::TlRated,
        TimelineKind::Closed => K::TlClosed,
    })
}

/// The browser's local date `days` from today, `YYYY-MM-DD` (a default for date inputs).
pub fn date_in(days: i32) -> String {
    let d = js_sys::Date::new_0();
    d.set_date((d.get_date() as i32 + days) as u32);
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}
