//! Micro-consultations (微协商): the list with its summary, raising an issue (members, and
//! visitors through the moderated public form), one issue's page with every step.

mod list;
mod page;
mod raise;

pub use list::*;
pub use page::*;
pub use raise::*;

use crate::i18n::{I18n, K};
use yishi_api::MicroState;

pub fn micro_state_label(i: I18n, s: MicroState) -> &'static str {
    i.t(match s {
        MicroState::Raised => K::MsRaised,
        MicroState::Declined => K::MsDeclined,
        MicroState::Accepted => K::MsAccepted,
        MicroState::Gathering => K::MsGathering,
        MicroState::MeetingScheduled => K::MsMeeting,
        MicroState::ConsensusPublished => K::MsConsensus,
        MicroState::InImplementation => K::MsImplementation,
        MicroState::Resolved => K::MsResolved,
        MicroState::Closed => K::MsClosed,
    })
}
