//! Consultation rules: who may read, post, answer and manage; which state changes exist.

use crate::auth::session::AuthUser;
use yishi_api::{ConsultationKind, ConsultationState, Role, Visibility};
use ConsultationState::*;

/// The facts about one consultation that permissions depend on.
#[derive(Debug, Clone)]
pub struct Facts {
    pub kind: ConsultationKind,
    pub visibility: Visibility,
    pub state: ConsultationState,
    pub chair_id: Option<i64>,
}

/// The reader's relation to the consultation, looked up once per request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Relation {
    /// Invited through a sector, a committee or by name.
    pub invited: bool,
    /// An official of a participating department.
    pub answering_department: bool,
}

fn is_admin(user: Option<&AuthUser>) -> bool {
    user.is_some_and(|u| u.role == Role::Admin)
}

fn is_chair(user: Option<&AuthUser>, f: &Facts) -> bool {
    user.is_some_and(|u| Some(u.id.0) == f.chair_id)
}

/// Drafts are staff's (and the chair's) only; afterwards visibility decides (decisions.md).
pub fn may_read(user: Option<&AuthUser>, f: &Facts) -> bool {
    if is_admin(user) || is_chair(user, f) {
        return true;
    }
    if f.state == Draft {
        return false;
    }
    match f.visibility {
        Visibility::Public => true,
        Visibility::Members => user.is_some(),
    }
}

/// Posting is open while published or live (an online topic: while open).
fn open_for_posts(f: &Facts) -> bool {
    matches!(f.state, Published | Live)
}

/// Comments and questions: invited participants, the chair and staff.
pub fn may_post(user: Option<&AuthUser>, f: &Facts, r: Relation) -> bool {
    open_for_posts(f)
        && (is_admin(user)
            || is_chair(user, f)
            || (user.is_some_and(|u| u.role == Role::Member) && r.invited))
}

/// Answers: officials of a participating department.
pub fn may_answer(user: Option<&AuthUser>, f: &Facts, r: Relation) -> bool {
    open_for_posts(f) && user.is_some_and(|u| u.role == Role::Official) && r.answering_department
}

/// Running the meeting (accept speakers, order the queue, segments, the floor): the chair
/// or staff.
pub fn may_run_meeting(user: Option<&AuthUser>, f: &Facts) -> bool {
    is_admin(user) || is_chair(user, f)
}

/// Applying to speak: invited members of a remote consultation, before or during the meeting.
pub fn may_apply_to_speak(user: Option<&AuthUser>, f: &Facts, r: Relation) -> bool {
    f.kind == ConsultationKind::Remote
        && open_for_posts(f)
        && user.is_some_and(|u| u.role == Role::Member)
        && r.invited
}

/// Editing and the office's steps: staff only.
pub fn may_manage(user: Option<&AuthUser>) -> bool {
    is_admin(user)
}

/// Whether `to` follows `from`, and who may make that step: `Err(code)` otherwise.
/// Staff make every step; the chair runs the meeting's steps (start, conclude).
pub fn check_transition(
    user: Option<&AuthUser>,
    f: &Facts,
    to: ConsultationState,
) -> Result<(), TransitionRefusal> {
    let live_step = matches!(
        (f.kind, f.state, to),
        (ConsultationKind::Remote, Published, Live)
            | (ConsultationKind::Remote, Live, Concluded)
            | (ConsultationKind::Online, Published, Concluded)
    );
    let office_step = matches!(
        (f.state, to),
        (Draft, Published) | (Concluded, OutcomePublished) | (OutcomePublished, Closed)
    );
    if !live_step && !office_step {
        return Err(TransitionRefusal::NotAllowed);
    }
    if is_admin(user) || (live_step && is_chair(user, f)) {
        Ok(())
    } else {
        Err(TransitionRefusal::Forbidden)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum TransitionRefusal {
    /// No such step from the current state.
    NotAllowed,
    /// The step exists but this user may not make it.
    Forbidden,
}

#[cfg(test)]
mod tests {
    use super::*;
    use yishi_api::AccountId;

    fn user(id: i64, role: Role) -> AuthUser {
        AuthUser {
            id: AccountId(id),
            role,
            department_id: None,
            must_change_password: false,
            session_hash: String::new(),
            csrf_token: String::new(),
        }
    }

    fn facts(state: ConsultationState, visibility: Visibility) -> Facts {
        Facts {
            kind: ConsultationKind::Remote,
            visibility,
            state,
            chair_id: Some(5),
        }
    }

    #[test]
    fn reading_follows_state_and_visibility() {
        let member = user(9, Role::Member);
        assert!(!may_read(None, &facts(Draft, Visibility::Public)));
        assert!(!may_read(Some(&member), &facts(Draft, Visibility::Public)));
        assert!(may_read(
            Some(&user(5, Role::Member)),
            &facts(Draft, Visibility::Members)
        ));
        assert!(may_read(None, &facts(Published, Visibility::Public)));
        assert!(!may_read(None, &facts(Published, Visibility::Members)));
        assert!(may_read(Some(&member), &facts(Live, Visibility::Members)));
    }

    #[test]
    fn posting_needs_an_invitation_and_an_open_state() {
        let member = user(9, Role::Member);
        let invited = Relation {
            invited: true,
            answering_department: false,
        };
        assert!(may_post(
            Some(&member),
            &facts(Live, Visibility::Public),
            invited
        ));
        assert!(!may_post(
            Some(&member),
            &facts(Live, Visibility::Public),
            Relation::default()
        ));
        assert!(!may_post(
            Some(&member),
            &facts(Concluded, Visibility::Public),
            invited
        ));
        assert!(!may_post(None, &facts(Live, Visibility::Public), invited));
        let official = user(3, Role::Official);
        let dept = Relation {
            invited: false,
            answering_department: true,
        };
        assert!(may_answer(
            Some(&official),
            &facts(Live, Visibility::Public),
            dept
        ));
        assert!(!may_answer(
            Some(&official),
            &facts(Live, Visibility::Public),
            Relation::default()
        ));
        assert!(!may_post(
            Some(&official),
            &facts(Live, Visibility::Public),
            dept
        ));
    }

    #[test]
    fn transitions() {
        let admin = user(1, Role::Admin);
        let chair = user(5, Role::Member);
        let other = user(9, Role::Member);
        assert_eq!(
            check_transition(Some(&admin), &facts(Draft, Visibility::Public), Published),
            Ok(())
        );
        assert_eq!(
            check_transition(Some(&chair), &facts(Draft, Visibility::Public), Published),
            Err(TransitionRefusal::Forbidden)
        );
        assert_eq!(
            check_transition(Some(&chair), &facts(Published, Visibility::Public), Live),
            Ok(())
        );
        assert_eq!(
            check_transition(Some(&other), &facts(Published, Visibility::Public), Live),
            Err(TransitionRefusal::Forbidden)
        );
        assert_eq!(
            check_transition(Some(&admin), &facts(Draft, Visibility::Public), Closed),
            Err(TransitionRefusal::NotAllowed)
        );
        assert_eq!(
            check_transition(Some(&admin), &facts(Live, Visibility::Public), Published),
            Err(TransitionRefusal::NotAllowed)
        );
        let online = Facts {
            kind: ConsultationKind::Online,
            ..facts(Published, Visibility::Public)
        };
        assert_eq!(
            check_transition(Some(&admin), &online, Live),
            Err(TransitionRefusal::NotAllowed)
        );
        assert_eq!(check_transition(Some(&admin), &online, Concluded), Ok(()));
    }
}
