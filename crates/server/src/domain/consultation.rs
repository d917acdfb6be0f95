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
    /// An online topic's opening and closing times (Unix ms), and the time of the request.
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub now: i64,
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
/// An online topic (网络议政) is open between its dates by itself: before it opens and after it
/// closes nobody posts, even while staff have not yet moved its state.
fn open_for_posts(f: &Facts) -> bool {
    let in_window = f.kind == ConsultationKind::Remote
        || (f.opens_at.is_none_or(|t| f.now >= t) && f.closes_at.is_none_or(|t| f.now < t));
    matches!(f.state, Published | Live) && in_window
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
    // Someone who may make no step at all learns nothing about which steps exist.
    if !is_admin(user) && !is_chair(user, f) {
        return Err(TransitionRefusal::Forbidden);
    }
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
            opens_at: None,
            closes_at: None,
            now: 1_000,
        }
    }

    #[test]
    fn online_topics_open_and_close_on_their_dates() {
        let member = user(9, Role::Member);
        let invited = Relation {
            invited: true,
            answering_department: false,
        };
        let topic = |now| Facts {
            kind: ConsultationKind::Online,
            opens_at: Some(100),
            closes_at: Some(200),
            now,
            ..facts(Published, Visibility::Public)
        };
        assert!(
            !may_post(Some(&member), &topic(99), invited),
            "not yet open"
        );
        assert!(may_post(Some(&member), &topic(100), invited));
        assert!(
            !may_post(Some(&member), &topic(200), invited),
            "closed on its date"
        );
        // A remote meeting follows its live state, not the clock.
        let meeting = Facts {
            opens_at: Some(100),
            closes_at: Some(200),
            now: 500,
            ..facts(Live, Visibility::Public)
        };
        assert!(may_post(Some(&member), &meeting, invited));
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
