//! Reporting a post to the moderators, and the staff switch for pre-moderation.

use crate::api::{Failure, Moderation};
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A "report" button for signed-in readers that opens a short reason form.
#[component]
pub fn ReportButton(post_id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<(), Failure>>);
    let field = format!("report-{post_id}");
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked();
        spawn_local(async move {
            let r = Moderation::report(post_id, text).await;
            if r.is_ok() {
                open.try_set(false);
            }
            result.try_set(Some(r));
        });
    };
    view! {
        <Show when=move || session.signed_in()>
            <button type="button" class="button link small" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{i.tr(K::ReportPost)}</button>
        </Show>
        <Show when=move || open.get()>
            <form class="inline-form report-form" on:submit=send>
                <label for=field.clone()>{i.tr(K::ReportReason)}</label>
                <input id=field.clone() type="text" maxlength="500" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button type="submit" class="button primary small" disabled=move || reason.with(|r| r.trim().is_empty())>{i.tr(K::ReportSend)}</button>
            </form>
        </Show>
        {move || result.get().map(|r| match r {
            Ok(()) => view! { <p class="success" role="status">{i.tr(K::ReportSent)}</p> }.into_any(),
            Err(f) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
        })}
    }
}

/// For staff: whether posts in this consultation, micro-consultation or reading group wait for
/// approval before anyone else sees them.
#[component]
pub fn PremoderationSwitch(kind: &'static str, id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let on = RwSignal::new(None::<bool>);
    Effect::new(move || {
        if session.is_admin() {
            spawn_local(async move {
                if let Ok(p) = Moderation::premoderation(kind, id).await {
                    on.try_set(Some(p.premoderated));
                }
            });
        }
    });
    let field = format!("premoderation-{kind}-{id}");
    view! {
        {move || on.get().map(|now| view! {
            <p class="premoderation">
                <input id=field.clone() type="checkbox" prop:checked=now on:change=move |ev| {
                    let want = event_target_checked(&ev);
                    spawn_local(async move {
                        if let Ok(p) = Moderation::set_premoderation(kind, id, want).await {
                            on.try_set(Some(p.premoderated));
                        }
                    });
                }/>
                <label for=field.clone()>{i.tr(K::PremoderationLabel)}</label>
            </p>
        })}
    }
}
