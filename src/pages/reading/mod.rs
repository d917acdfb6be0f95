//! Reading groups (委员读书 / 书香政协): the list, a group's page with its books, plan,
//! check-ins, people and thread, one post's shareable page, and the staff group form.

mod form;
mod group;
mod list;
mod post;
mod thread;

pub use form::*;
pub use group::*;
pub use list::*;
pub use post::*;

use crate::i18n::{I18n, K};
use yishi_api::{GroupRole, ReadingActions, ReadingGroupState, Visibility};

/// What the group offers this reader to do: nothing in the reader's build, whose visitors
/// have no session (`crate::session::READER`), so the forms behind the actions are left out.
#[inline(always)]
pub(crate) fn offered(actions: ReadingActions) -> ReadingActions {
    if crate::session::READER {
        ReadingActions::default()
    } else {
        actions
    }
}

pub fn group_state_label(i: I18n, s: ReadingGroupState) -> &'static str {
    i.t(match s {
        ReadingGroupState::Upcoming => K::RgUpcoming,
        ReadingGroupState::Open => K::RgOpen,
        ReadingGroupState::Closed => K::RgClosed,
    })
}

pub fn role_label(i: I18n, r: GroupRole) -> &'static str {
    i.t(match r {
        GroupRole::Owner => K::RoleOwner,
        GroupRole::Leader => K::RoleLeader,
        GroupRole::Member => K::RoleGroupMember,
    })
}

pub fn visibility_label(i: I18n, v: Visibility) -> &'static str {
    i.t(match v {
        Visibility::Public => K::VisibilityPublic,
        Visibility::Members => K::VisibilityMembers,
    })
}

/// "99+" once the server's count reaches its cap.
pub fn unread_text(n: i64) -> String {
    if n >= yishi_api::UNREAD_CAP {
        "99+".to_owned()
    } else {
        n.to_string()
    }
}
