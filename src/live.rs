//! The tab's one event stream (`/api/v1/events`). For now it carries the signed-in user's own
//! topic: when their sessions end elsewhere (signed out everywhere, password reset,
//! deactivated), this tab learns it at once and returns to the sign-in page. The browser's
//! EventSource reconnects by itself and resumes with Last-Event-ID.

use crate::session::use_session;
use futures::StreamExt;
use gloo_net::eventsource::futures::EventSource;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use yishi_api::{EventKind, LiveEvent, API_PREFIX};

#[component]
pub fn LiveConnection() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    // Replacing the stored source drops (closes) the previous connection.
    let source = StoredValue::new_local(None::<EventSource>);
    Effect::new(move || {
        let user_id = session
            .user
            .with(|u| u.as_ref().filter(|u| !u.must_change_password).map(|u| u.id));
        source.set_value(None);
        let Some(id) = user_id else { return };
        let Ok(mut es) = EventSource::new(&format!("{API_PREFIX}/events?topics=user:{id}")) else {
            return;
        };
        let Ok(mut messages) = es.subscribe("message") else {
            return;
        };
        source.set_value(Some(es));
        let navigate = navigate.clone();
        spawn_local(async move {
            while let Some(Ok((_, message))) = messages.next().await {
                let Some(text) = message.data().as_string() else {
                    continue;
                };
                let Ok(event) = serde_json::from_str::<LiveEvent>(&text) else {
                    continue;
                };
                // The user topic carries only account events; rooms handle their own.
                if event.event == EventKind::SessionsEnded {
                    // This tab may hold the session that caused it (a password change
                    // gives a fresh one), so ask the server before leaving.
                    if let Ok(info) = crate::api::Public::session().await {
                        if info.user.is_none() {
                            session.user.set(None);
                            navigate("/signin", Default::default());
                            break;
                        }
                    }
                }
            }
        });
    });
}
