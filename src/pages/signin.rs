//! Sign in with username or phone number and password.

use crate::api::{Failure, Public};
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn SignIn() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        // Only same-site paths are followed after sign-in.
        let next = query
            .get_untracked()
            .get("next")
            .filter(|n| n.starts_with('/') && !n.starts_with("//"))
            .unwrap_or_else(|| "/".into());
        spawn_local(async move {
            match Public::sign_in(
                login.get_untracked().trim().to_owned(),
                password.get_untracked(),
            )
            .await
            {
                Ok(info) => {
                    let must_change = info.user.as_ref().is_some_and(|u| u.must_change_password);
                    session.user.set(info.user);
                    password.set(String::new());
                    navigate(
                        if must_change {
                            "/change-password"
                        } else {
                            &next
                        },
                        Default::default(),
                    );
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="page narrow">
            <h1>{i.tr(K::SignInTitle)}</h1>
            <form class="form" on:submit=submit novalidate>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                <label for="login">{i.tr(K::LoginLabel)}</label>
                <input id="login" name="login" type="text" autocomplete="username" required
                    bind:value=login/>
                <label for="password">{i.tr(K::PasswordLabel)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    bind:value=password/>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { i.t(K::SigningIn) } else { i.t(K::SignIn) }}
                </button>
            </form>
            <p><A href="/forgot-password">{i.tr(K::ForgotPasswordLink)}</A></p>
            <p class="hint">{i.tr(K::SignInHelp)}</p>
        </section>
    }
}
