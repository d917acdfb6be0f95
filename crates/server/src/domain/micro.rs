//! Micro-consultation rules: who reads an issue, who takes which step, who posts opinions.

use crate::auth::session::AuthUser;
use yishi_api::{MicroActions, MicroState, Role, Visibility};
use MicroState::*;

#[derive(Debug, Clone)]
pub struct Facts {
    pub state: MicroState,
    pub visibility: Visibility,
    pub raised_by: Option<i64>,
    /// Members who took it up.
    pub takers: Vec<i64>,
    pub departments: Vec<i64>,
    pub feedback_recorded: bool,
    pub all_measures_closed: bool,
    pub questionnaire_answered_by_anyone: bool,
}

fn staff(u: Option<&AuthUser>) -> bool {
    u.is_some_and(|u| u.role == Role::Admin)
}

fn taker(u: Option<&AuthUser>, f: &Facts) -> bool {
    u.is_some_and(|u| u.role == Role::Member && f.takers.contains(&u.id.0))
}

fn raiser(u: Option<&AuthUser>, f: &Facts) -> bool {
    u.is_some_and(|u| Some(u.id.0) == f.raised_by)
}

fn concerned_official(u: Option<&AuthUser>, f: &Facts) -> bool {
    u.is_some_and(|u| {
        u.role == Role::Official
            && u.department_id
                .is_some_and(|d| f.departments.contains(&d.0))
    })
}

/// Until accepted, only staff and a member raiser see it (a resident's submission is never
/// shown publicly before acceptance); afterwards its visibility decides.
pub fn may_read(u: Option<&AuthUser>, f: &Facts) -> bool {
    if staff(u) || raiser(u, f) {
        return true;
    }
    match f.state {
        Raised | Declined => false,
        _ => match f.visibility {
            Visibility::Public => true,
            Visibility::Members => u.is_some(),
        },
    }
}

/// Questionnaire results: members and staff.
pub fn may_see_results(u: Option<&AuthUser>) -> bool {
    u.is_some_and(|u| matches!(u.role, Role::Member | Role::Admin))
}

/// Members answer the questionnaire once, while opinions are gathered.
pub fn may_answer(u: Option<&AuthUser>, f: &Facts) -> bool {
    u.is_some_and(|u| u.role == Role::Member) && f.state == Gathering && may_read(u, f)
}

/// Staff and the members who took the issue up run its opinions and meeting.
pub fn runs(u: Option<&AuthUser>, f: &Facts) -> bool {
    staff(u) || taker(u, f)
}

pub fn actions(u: Option<&AuthUser>, f: &Facts) -> MicroActions {
    let staff = staff(u);
    let runs = runs(u, f);
    MicroActions {
        accept: staff && f.state == Raised,
        decline: staff && f.state == Raised,
        open_opinions: runs && f.state == Accepted,
        schedule_meeting: runs && f.state == Gathering,
        record_meeting: runs && f.state == MeetingScheduled,
        publish_consensus: staff && f.state == MeetingScheduled,
        start_implementation: staff && f.state == ConsensusPublished,
        confirm_resolved: staff && f.state == InImplementation && f.all_measures_closed,
        record_feedback: (staff || raiser(u, f)) && f.state == Resolved,
        close: staff && f.state == Resolved && f.feedback_recorded,
        post: (runs || concerned_official(u, f)) && matches!(f.state, Gathering | MeetingScheduled),
        edit_questionnaire: staff
            && matches!(f.state, Accepted | Gathering)
            && !f.questionnaire_answered_by_anyone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yishi_api::{AccountId, DepartmentId};

    fn user(id: i64, role: Role, dept: Option<i64>) -> AuthUser {
        AuthUser {
            id: AccountId(id),
            role,
            department_id: dept.map(DepartmentId),
            must_change_password: false,
            session_hash: String::new(),
            csrf_token: String::new(),
        }
    }

    fn facts(state: MicroState) -> Facts {
        Facts {
            state,
            visibility: Visibility::Public,
            raised_by: None,
            takers: vec![5],
            departments: vec![2],
            feedback_recorded: false,
            all_measures_closed: false,
            questionnaire_answered_by_anyone: false,
        }
    }

    #[test]
    fn nobody_but_staff_sees_a_resident_submission_before_acceptance() {
        let member = user(9, Role::Member, None);
        assert!(!may_read(None, &facts(Raised)));
        assert!(!may_read(Some(&member), &facts(Raised)));
        assert!(may_read(Some(&user(1, Role::Admin, None)), &facts(Raised)));
        assert!(may_read(None, &facts(Gathering)));
        let members_only = Facts {
            visibility: Visibility::Members,
            ..facts(Gathering)
        };
        assert!(!may_read(None, &members_only));
        let own = Facts {
            raised_by: Some(9),
            ..facts(Declined)
        };
        assert!(may_read(Some(&member), &own));
    }

    #[test]
    fn steps_and_opinions() {
        let staff = user(1, Role::Admin, None);
        let taker = user(5, Role::Member, None);
        let official = user(7, Role::Official, Some(2));
        let other_official = user(8, Role::Official, Some(3));
        assert!(actions(Some(&staff), &facts(Raised)).accept);
        assert!(!actions(Some(&taker), &facts(Raised)).accept);
        assert!(actions(Some(&taker), &facts(Accepted)).open_opinions);
        assert!(actions(Some(&official), &facts(Gathering)).post);
        assert!(!actions(Some(&other_official), &facts(Gathering)).post);
        assert!(!actions(Some(&taker), &facts(MeetingScheduled)).publish_consensus);
        assert!(!actions(Some(&staff), &facts(InImplementation)).confirm_resolved);
        let done = Facts {
            all_measures_closed: true,
            ..facts(InImplementation)
        };
        assert!(actions(Some(&staff), &done).confirm_resolved);
        assert!(
            !actions(Some(&staff), &facts(Resolved)).close,
            "feedback first"
        );
        assert!(may_answer(Some(&taker), &facts(Gathering)));
        assert!(!may_answer(Some(&official), &facts(Gathering)));
    }
}
