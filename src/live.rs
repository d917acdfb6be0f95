//! Live events: one EventSource per subscription on `/api/v1/events`. The browser reconnects
//! by itself and resumes with Last-Event-ID; if it gives up (the connection closed), we open a
//! new one after a pause, resuming after the last event seen. Events are de-duplicated by id.

use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};
use yishi_api::{EventKind, LiveEvent, API_PREFIX};

/// What the connection indicator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    Reconnecting,
    Offline,
}

type Callback = Closure<dyn FnMut(web_sys::Event)>;

struct Inner {
    topics: String,
    last_id: Cell<i64>,
    source: RefCell<Option<EventSource>>,
    // Kept alive while the source uses them.
    callbacks: RefCell<Vec<Callback>>,
    on_event: Box<dyn Fn(LiveEvent)>,
    status: RwSignal<Connection>,
    stopped: Cell<bool>,
}

/// Keeps a subscription open; dropping it closes the connection.
pub struct LiveHandle(Rc<Inner>);

impl Drop for LiveHandle {
    fn drop(&mut self) {
        self.0.stopped.set(true);
        if let Some(es) = self.0.source.borrow_mut().take() {
            es.close();
        }
    }
}

/// Follows `topics` (comma-separated), calling `on_event` once per event, in order.
pub fn follow(
    topics: String,
    status: RwSignal<Connection>,
    on_event: impl Fn(LiveEvent) + 'static,
) -> LiveHandle {
    // Data the page came with was read at a log position: resume there, so nothing that
    // changed since is missed.
    let resume = crate::api::initial_resume_point(&topics).unwrap_or(0);
    let inner = Rc::new(Inner {
        topics,
        last_id: Cell::new(resume),
        source: RefCell::new(None),
        callbacks: RefCell::new(Vec::new()),
        on_event: Box::new(on_event),
        status,
        stopped: Cell::new(false),
    });
    connect(&inner);
    LiveHandle(inner)
}

fn connect(inner: &Rc<Inner>) {
    if inner.stopped.get() {
        return;
    }
    let mut url = format!("{API_PREFIX}/events?topics={}", inner.topics);
    if inner.last_id.get() > 0 {
        url.push_str(&format!("&after={}", inner.last_id.get()));
    }
    let Ok(es) = EventSource::new(&url) else {
        inner.status.set(Connection::Offline);
        return;
    };
    let weak = Rc::downgrade(inner);
    let on_open = {
        let weak = weak.clone();
        Callback::new(move |_| {
            if let Some(i) = weak.upgrade() {
                i.status.set(Connection::Connected);
            }
        })
    };
    let on_message = {
        let weak = weak.clone();
        Callback::new(move |e: web_sys::Event| {
            let Some(i) = weak.upgrade() else { return };
            let Some(text) = e
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            // A reader follows only public topics (no session there), so it need not read
            // an account's notifications.
            let event = if crate::session::READER {
                LiveEvent::from_public_json(&text)
            } else {
                LiveEvent::from_json(&text)
            };
            let Ok(event) = event else {
                return;
            };
            if event.id > i.last_id.get() {
                i.last_id.set(event.id);
                i.status.set(Connection::Connected);
                (i.on_event)(event);
            }
        })
    };
    let on_error = Callback::new(move |_| {
        let Some(i) = weak.upgrade() else { return };
        let closed = i
            .source
            .borrow()
            .as_ref()
            .is_some_and(|es| es.ready_state() == EventSource::CLOSED);
        if closed {
            i.status.set(Connection::Offline);
            let weak = Rc::downgrade(&i);
            set_timeout(
                move || {
                    if let Some(i) = weak.upgrade() {
                        connect(&i);
                    }
                },
                Duration::from_secs(3),
            );
        } else {
            i.status.set(Connection::Reconnecting);
        }
    });
    es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    es.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    if let Some(old) = inner.source.borrow_mut().replace(es) {
        old.close();
    }
    *inner.callbacks.borrow_mut() = vec![on_open, on_message, on_error];
}

/// The signed-in account's unread notification count, shown in the header and kept live.
#[derive(Clone, Copy)]
pub struct UnreadNotifications(pub RwSignal<i64>);

/// The signed-in user's own topic: notifications arrive on it (the header count follows), and
/// when their sessions end elsewhere (signed out everywhere,
/// password reset, deactivated), this tab learns it at once and returns to the sign-in page.
#[component]
pub fn LiveConnection() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let handle = StoredValue::new_local(None::<LiveHandle>);
    let status = RwSignal::new(Connection::Connecting);
    let unread = expect_context::<UnreadNotifications>().0;
    Effect::new(move || {
        let user_id = session
            .user
            .with(|u| u.as_ref().filter(|u| !u.must_change_password).map(|u| u.id));
        handle.set_value(None);
        unread.set(0);
        let Some(id) = user_id else { return };
        leptos::task::spawn_local(async move {
            if let Ok(page) = crate::api::Notifications::list(None).await {
                unread.try_set(page.unread);
            }
        });
        let navigate = navigate.clone();
        handle.set_value(Some(follow(format!("user:{id}"), status, move |event| {
            match event.event {
                EventKind::NotificationAdded { unread: n, .. }
                | EventKind::NotificationsRead { unread: n } => {
                    unread.set(n);
                    return;
                }
                EventKind::SessionsEnded => {}
                _ => return,
            }
            // This tab may hold the session that caused it (a password change gives a fresh
            // one), so ask the server before leaving.
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                if let Ok(info) = crate::api::Public::session().await {
                    if info.user.is_none() {
                        session.user.set(None);
                        navigate("/signin", Default::default());
                    }
                }
            });
        })));
    });
}
