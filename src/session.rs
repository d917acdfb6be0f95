//! Who is signed in, shared through context and loaded once at start-up.

use crate::api::{Failure, Public};
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::{AccountId, Me, Role};

/// True in the reader's build (`src/reader.rs`). The server sends the reader only to visitors
/// without a session, so what only signed-in people see (forms, member, chair and staff
/// controls) is left out of its module: such views go behind `member_ui` or `members_view`,
/// which are false at compile time there.
pub const READER: bool = cfg!(feature = "reader");

/// `shown`, except in the reader, where it is `false` at compile time.
#[inline(always)]
pub fn member_ui(shown: bool) -> bool {
    !READER && shown
}

/// A view only signed-in people see; never built into the reader.
#[inline(always)]
pub fn members_view<V>(view: impl FnOnce() -> V) -> Option<V> {
    (!READER).then(view)
}

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
        if READER {
            // The server sends the reader only to a browser without a session cookie: nobody
            // is signed in, so there is nothing to ask (and no account to decode).
            self.ready.set(true);
            return;
        }
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

    #[inline(always)]
    pub fn is_admin(self) -> bool {
        member_ui(
            self.user
                .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Admin)),
        )
    }

    #[inline(always)]
    pub fn signed_in(self) -> bool {
        member_ui(self.user.with(Option::is_some))
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
