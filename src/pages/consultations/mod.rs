//! Consultations: the list, the staff's create form, and the consultation page with its live
//! room (posts, answers, likes, state changes arriving over the event stream).

mod floor;
mod form;
mod list;
mod materials;
mod outcome;
pub(crate) mod room;

pub use form::*;
pub use list::*;
pub use room::*;

use crate::i18n::{I18n, K};
use yishi_api::{ConsultationKind, ConsultationState, PostKind};

pub fn state_label(i: I18n, s: ConsultationState) -> &'static str {
    i.t(match s {
        ConsultationState::Draft => K::StateDraft,
        ConsultationState::Published => K::StatePublished,
        ConsultationState::Live => K::StateLive,
        ConsultationState::Concluded => K::StateConcluded,
        ConsultationState::OutcomePublished => K::StateOutcomePublished,
        ConsultationState::Closed => K::StateClosed,
    })
}

pub fn kind_label(i: I18n, k: ConsultationKind) -> &'static str {
    i.t(match k {
        ConsultationKind::Remote => K::KindRemote,
        ConsultationKind::Online => K::KindOnline,
    })
}

pub fn post_kind_label(i: I18n, k: PostKind) -> &'static str {
    i.t(match k {
        PostKind::Comment => K::PostKindComment,
        PostKind::Question => K::PostKindQuestion,
        PostKind::Answer => K::PostKindAnswer,
        PostKind::Reply => K::PostKindReply,
        PostKind::Guide => K::PostKindGuide,
        PostKind::Reflection => K::PostKindReflection,
        PostKind::Note => K::PostKindNote,
    })
}
