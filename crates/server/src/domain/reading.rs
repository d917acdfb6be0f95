//! Reading-group rules: who reads a group, who posts which kind, who features, manages
//! members and checks in. Threads nest replies at most three levels deep and authors edit
//! within a window.

use crate::auth::session::AuthUser;
use yishi_api::{
    GroupRole, PostKind, ReadingActions, ReadingGroupState, Role, Visibility, MAX_REPLY_DEPTH,
    READING_EDIT_WINDOW_HOURS,
};

/// What the rules need to know about a group and the reader's place in it.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub visibility: Visibility,
    pub state: ReadingGroupState,
    /// The reader's role in the group, if they belong to it.
    pub role: Option<GroupRole>,
}

fn staff(u: Option<&AuthUser>) -> bool {
    u.is_some_and(|u| u.role == Role::Admin)
}

/// Public groups are for everyone; members-only groups for any signed-in account.
pub fn may_read(u: Option<&AuthUser>, f: &Facts) -> bool {
    f.visibility == Visibility::Public || u.is_some()
}

fn open(f: &Facts) -> bool {
    f.state == ReadingGroupState::Open
}

/// Group members post while the group is open; guides only from the owner and leaders.
pub fn may_post(u: Option<&AuthUser>, f: &Facts, kind: PostKind) -> bool {
    if u.is_none() || !open(f) {
        return false;
    }
    match (kind, f.role) {
        (_, None) => false,
        (PostKind::Guide, Some(role)) => role != GroupRole::Member,
        (PostKind::Reflection | PostKind::Note | PostKind::Reply, Some(_)) => true,
        _ => false,
    }
}

/// Featured (精华) marks: the owner, reading leaders and staff, until the group closes.
pub fn may_feature(u: Option<&AuthUser>, f: &Facts) -> bool {
    f.state != ReadingGroupState::Closed
        && (staff(u) || matches!(f.role, Some(GroupRole::Owner | GroupRole::Leader)))
}

/// A closed group is read-only: no likes, removals or marks.
pub fn may_interact(u: Option<&AuthUser>, f: &Facts) -> bool {
    u.is_some() && f.state != ReadingGroupState::Closed
}

/// Adding and removing members: the owner and staff, until the group closes.
pub fn may_manage_members(u: Option<&AuthUser>, f: &Facts) -> bool {
    f.state != ReadingGroupState::Closed && (staff(u) || f.role == Some(GroupRole::Owner))
}

/// Reading is a member activity: members join a group that has not closed.
pub fn may_join(u: Option<&AuthUser>, f: &Facts) -> bool {
    u.is_some_and(|u| u.role == Role::Member)
        && f.role.is_none()
        && f.state != ReadingGroupState::Closed
}

/// Members leave; the owner stays (staff hand the group to someone else first).
pub fn may_leave(f: &Facts) -> bool {
    f.state != ReadingGroupState::Closed
        && matches!(f.role, Some(GroupRole::Leader | GroupRole::Member))
}

pub fn may_check_in(f: &Facts) -> bool {
    open(f) && f.role.is_some()
}

pub fn actions(u: Option<&AuthUser>, f: &Facts) -> ReadingActions {
    ReadingActions {
        post: may_post(u, f, PostKind::Reflection),
        guide: may_post(u, f, PostKind::Guide),
        feature: may_feature(u, f),
        manage_members: may_manage_members(u, f),
        edit: staff(u),
        join: may_join(u, f),
        leave: may_leave(f),
        check_in: may_check_in(f),
        interact: may_interact(u, f),
    }
}

/// The depth of a reply to a post at `parent_depth`, if replies may nest that deep.
pub fn reply_depth(parent_depth: i64) -> Option<i64> {
    (parent_depth < MAX_REPLY_DEPTH).then_some(parent_depth + 1)
}

/// Whether a post written at `created_at` may still be edited at `now` (both Unix ms).
pub fn within_edit_window(created_at: i64, now: i64) -> bool {
    now - created_at < READING_EDIT_WINDOW_HOURS * 3_600_000
}

/// upcoming -> open -> closed, and a closed group may be reopened by staff.
pub fn may_move(from: ReadingGroupState, to: ReadingGroupState) -> bool {
    use ReadingGroupState::*;
    matches!(
        (from, to),
        (Upcoming, Open) | (Open, Closed) | (Closed, Open) | (Open, Upcoming)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(role: Option<GroupRole>, state: ReadingGroupState) -> Facts {
        Facts {
            visibility: Visibility::Members,
            state,
            role,
        }
    }

    fn user(role: Role) -> AuthUser {
        AuthUser {
            id: yishi_api::AccountId(7),
            role,
            department_id: None,
            must_change_password: false,
            session_hash: String::new(),
            csrf_token: String::new(),
        }
    }

    #[test]
    fn guides_need_a_leader_and_closed_groups_are_read_only() {
        let m = user(Role::Member);
        let open = ReadingGroupState::Open;
        assert!(!may_post(
            Some(&m),
            &facts(Some(GroupRole::Member), open),
            PostKind::Guide
        ));
        assert!(may_post(
            Some(&m),
            &facts(Some(GroupRole::Leader), open),
            PostKind::Guide
        ));
        assert!(may_post(
            Some(&m),
            &facts(Some(GroupRole::Member), open),
            PostKind::Note
        ));
        assert!(!may_post(
            Some(&m),
            &facts(None, open),
            PostKind::Reflection
        ));
        assert!(!may_post(
            Some(&m),
            &facts(Some(GroupRole::Member), open),
            PostKind::Comment
        ));
        let closed = facts(Some(GroupRole::Owner), ReadingGroupState::Closed);
        assert!(!may_post(Some(&m), &closed, PostKind::Reflection));
        assert!(!may_check_in(&closed));
    }

    #[test]
    fn depth_and_edit_window() {
        assert_eq!(reply_depth(0), Some(1));
        assert_eq!(reply_depth(2), Some(3));
        assert_eq!(reply_depth(3), None);
        let day = 24 * 3_600_000;
        assert!(within_edit_window(0, day - 1));
        assert!(!within_edit_window(0, day));
    }
}
