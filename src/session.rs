//! Who is signed in, shared through context and loaded once at start-up.

use crate::api::{Failure, Public};
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::{AccountId, Me, Role};

#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<Me>>,
    /// True once the first session request has answered (or failed).
    pub ready: RwSignal<bool>,
    pub load_failed: RwSignal<Option<Failure>>,
    /// Who is signed in, changing only when that does: pages that load per reader track
    /// this, so the session's first answer ("nobody") does not make them load twice.
    pub reader: Memo<Option<(AccountId, Role)>>,
}

impl Session {
    pub fn new() -> Session {
        let user = RwSignal::new(None::<Me>);
        let s = Session {
            user,
            ready: RwSignal::new(false),
            load_failed: RwSignal::new(None),
            reader: Memo::new(move |_| user.with(|u| u.as_ref().map(|u| (u.id, u.role)))),
        };
        s.reload();
        s
    }

    pub fn reload(self) {
        spawn_local(async move {
            match Public::session().await {
                Ok(info) => {
                    self.user.set(info.user);
                    self.load_failed.set(None);
                }
                Err(f) => self.load_failed.set(Some(f)),
            }
            self.ready.set(true);
        });
    }

    pub fn is_admin(self) -> bool {
        self.user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin))
    }

    pub fn signed_in(self) -> bool {
        self.user.with(Option::is_some)
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
