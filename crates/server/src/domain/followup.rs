//! Follow-up rules: who sees an item, who may make which step, and when.

use crate::auth::session::AuthUser;
use chrono::NaiveDate;
use yishi_api::{FollowUpActions, FollowUpState, Rating, Role};
use FollowUpState::*;

/// The facts about one item that permissions depend on.
#[derive(Debug, Clone)]
pub struct Facts {
    pub state: FollowUpState,
    pub lead_department: i64,
    pub assisting: Vec<i64>,
    pub requester: Option<i64>,
    pub rehandled: bool,
    /// Committee-local dates.
    pub return_deadline: NaiveDate,
    pub today: NaiveDate,
}

fn is_staff(u: &AuthUser) -> bool {
    u.role == Role::Admin
}

fn in_lead(u: &AuthUser, f: &Facts) -> bool {
    u.role == Role::Official && u.department_id.map(|d| d.0) == Some(f.lead_department)
}

fn in_assisting(u: &AuthUser, f: &Facts) -> bool {
    u.role == Role::Official && u.department_id.is_some_and(|d| f.assisting.contains(&d.0))
}

fn is_requester(u: &AuthUser, f: &Facts) -> bool {
    f.requester == Some(u.id.0)
}

/// Staff, the lead and assisting departments' officials, and the requester.
pub fn may_see(u: &AuthUser, f: &Facts) -> bool {
    is_staff(u) || in_lead(u, f) || in_assisting(u, f) || is_requester(u, f)
}

/// Open and past its due date: assigned, in handling or returned (not yet replied).
pub fn is_overdue(state: FollowUpState, due: NaiveDate, today: NaiveDate) -> bool {
    matches!(state, Assigned | InHandling | Returned) && today > due
}

/// What `u` may do at some point of the item's life, whatever its state now: refusing
/// anything else is a 403, refusing this in the wrong state a 409.
pub fn roles(u: &AuthUser, f: &Facts) -> FollowUpActions {
    let lead = in_lead(u, f);
    let staff = is_staff(u);
    // The requester rates; without one (a raiser without an account), staff record it.
    let rater = match f.requester {
        Some(_) => is_requester(u, f),
        None => staff,
    };
    FollowUpActions {
        accept: lead,
        give_back: lead,
        note: lead || in_assisting(u, f) || staff,
        reply: lead,
        rate: rater,
        reassign: staff,
        close: staff,
    }
}

/// What `u` may do now.
pub fn actions(u: &AuthUser, f: &Facts) -> FollowUpActions {
    let may = roles(u, f);
    let handling = matches!(f.state, Assigned | InHandling);
    FollowUpActions {
        accept: may.accept && f.state == Assigned,
        give_back: may.give_back && handling && !f.rehandled && f.today <= f.return_deadline,
        note: may.note && handling,
        reply: may.reply && handling,
        rate: may.rate && f.state == Replied,
        reassign: may.reassign && f.state == Returned,
        close: may.close && f.state == Rated,
    }
}

/// Where a rating leads: "unsatisfied" sends the item back to handling once; the second
/// reply is final.
pub fn after_rating(rating: Rating, rehandled: bool) -> FollowUpState {
    if rating == Rating::Unsatisfied && !rehandled {
        InHandling
    } else {
        Rated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::parse_date;
    use yishi_api::{AccountId, DepartmentId};

    fn user(id: i64, role: Role, department: Option<i64>) -> AuthUser {
        AuthUser {
            id: AccountId(id),
            role,
            department_id: department.map(DepartmentId),
            must_change_password: false,
            session_hash: String::new(),
            csrf_token: String::new(),
        }
    }

    fn facts(state: FollowUpState, today: &str) -> Facts {
        Facts {
            state,
            lead_department: 1,
            assisting: vec![2],
            requester: Some(7),
            rehandled: false,
            return_deadline: parse_date("2026-10-07").expect("date"),
            today: parse_date(today).expect("date"),
        }
    }

    #[test]
    fn who_does_what() {
        let lead = user(10, Role::Official, Some(1));
        let assisting = user(11, Role::Official, Some(2));
        let other = user(12, Role::Official, Some(3));
        let requester = user(7, Role::Member, None);
        let member = user(8, Role::Member, None);
        let staff = user(1, Role::Admin, None);
        let f = facts(Assigned, "2026-10-07");
        assert!(may_see(&lead, &f) && may_see(&assisting, &f) && may_see(&requester, &f));
        assert!(may_see(&staff, &f));
        assert!(!may_see(&other, &f) && !may_see(&member, &f));
        let a = actions(&lead, &f);
        assert!(a.accept && a.give_back && a.reply && a.note && !a.rate);
        let a = actions(&assisting, &f);
        assert!(a.note && !a.reply && !a.give_back && !a.accept);
        assert_eq!(actions(&other, &f), FollowUpActions::default());
        // The return window closes after the third working day.
        assert!(!actions(&lead, &facts(Assigned, "2026-10-08")).give_back);
        let replied = facts(Replied, "2026-10-20");
        assert!(actions(&requester, &replied).rate);
        assert!(!actions(&staff, &replied).rate, "the requester rates");
        let no_requester = Facts {
            requester: None,
            ..replied
        };
        assert!(actions(&staff, &no_requester).rate);
        assert!(actions(&staff, &facts(Returned, "2026-10-08")).reassign);
        assert!(actions(&staff, &facts(Rated, "2026-10-08")).close);
    }

    #[test]
    fn unsatisfied_sends_back_once() {
        assert_eq!(after_rating(Rating::Unsatisfied, false), InHandling);
        assert_eq!(after_rating(Rating::Unsatisfied, true), Rated);
        assert_eq!(after_rating(Rating::Satisfied, false), Rated);
    }

    #[test]
    fn overdue_only_while_open() {
        let due = parse_date("2026-11-25").expect("date");
        let next = parse_date("2026-11-26").expect("date");
        assert!(
            !is_overdue(InHandling, due, due),
            "the due date itself is not late"
        );
        assert!(is_overdue(InHandling, due, next));
        assert!(!is_overdue(Replied, due, next));
    }
}
