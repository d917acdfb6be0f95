//! The states every screen has: loading, empty, error with retry, signed-out, no access.

use crate::api::Failure;
use crate::i18n::{use_i18n, K};
use crate::nav::{use_pathname, A};
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    let i = use_i18n();
    view! { <p class="state loading" role="status">{i.tr(K::Loading)}</p> }
}

#[component]
pub fn Empty(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <p class="state empty">{move || text.get()}</p> }
}

/// An error in words a person can act on, with a retry when one makes sense.
#[component]
pub fn ErrorNotice(
    failure: Failure,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i = use_i18n();
    let message = i.failure(&failure);
    view! {
        <div class="state error" role="alert">
            <p>{message}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="button secondary" on:click=move |_| retry.run(())>{i.tr(K::Retry)}</button>
            })}
        </div>
    }
}

/// Renders `children` for a signed-in user (an admin when `admin`), else explains and offers
/// sign-in, never a blank page. Until a one-time password is replaced only the password page
/// (`pending_password`) renders; elsewhere PasswordChangeGuard is redirecting.
#[component]
pub fn RequireUser(
    #[prop(optional)] admin: bool,
    #[prop(optional)] pending_password: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let pathname = use_pathname();
    move || {
        if !session.ready.get() {
            return view! { <Loading/> }.into_any();
        }
        if !session.signed_in() {
            let next = pathname.get();
            let href = format!("/signin?next={}", js_sys::encode_uri_component(&next));
            return view! {
                <section class="notice-page">
                    <h1>{i.tr(K::NeedSignInTitle)}</h1>
                    <p>{i.tr(K::NeedSignInBody)}</p>
                    <A href=href attr:class="button primary">{i.tr(K::SignIn)}</A>
                </section>
            }
            .into_any();
        }
        // Mount nothing that would call endpoints refused until the password is changed.
        if !pending_password
            && session
                .user
                .with(|u| u.as_ref().is_some_and(|u| u.must_change_password))
        {
            return view! { <Loading/> }.into_any();
        }
        if admin && !session.is_admin() {
            return view! {
                <section class="notice-page">
                    <h1>{i.tr(K::NoAccessTitle)}</h1>
                    <p>{i.tr(K::NoAccessBody)}</p>
                    <A href="/" attr:class="button secondary">{i.tr(K::BackHome)}</A>
                </section>
            }
            .into_any();
        }
        children().into_any()
    }
}

/// The problem the server reported for one form field, if any.
pub fn field_problem(
    failure: RwSignal<Option<Failure>>,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync {
    let i = use_i18n();
    move || {
        failure
            .with(|f| f.as_ref().and_then(|f| f.field(field)))
            .map(|code| i.field_problem(&code))
    }
}
