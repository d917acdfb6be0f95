//! Change password; forced after signing in with a one-time password.

use crate::api::{Failure, Member};
use crate::components::states::{field_problem, RequireUser};
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ChangePassword() -> impl IntoView {
    view! { <RequireUser pending_password=true><ChangePasswordForm/></RequireUser> }
}

#[component]
fn ChangePasswordForm() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let mismatch = RwSignal::new(false);
    let done = RwSignal::new(false);
    let must_change = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.must_change_password))
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        if new.get_untracked() != confirm.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match Member::change_password(current.get_untracked(), new.get_untracked()).await {
                Ok(info) => {
                    let was_forced = session
                        .user
                        .with_untracked(|u| u.as_ref().is_some_and(|u| u.must_change_password));
                    session.user.set(info.user);
                    current.set(String::new());
                    new.set(String::new());
                    confirm.set(String::new());
                    done.set(true);
                    if was_forced {
                        navigate("/", Default::default());
                    }
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    let current_problem = field_problem(failure, "current_password");

    view! {
        <section class="page narrow">
            <h1>{i.tr(K::ChangePasswordTitle)}</h1>
            <Show when=must_change>
                <p class="notice" role="status">{i.tr(K::MustChangeNotice)}</p>
            </Show>
            <Show when=move || done.get()>
                <p class="success" role="status">{i.tr(K::PasswordChanged)}</p>
            </Show>
            <form class="form" on:submit=submit novalidate>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                <label for="current-password">{i.tr(K::CurrentPassword)}</label>
                <input id="current-password" type="password" autocomplete="current-password" required
                    aria-invalid=move || current_problem().map(|_| "true") aria-describedby="current-password-error"
                    bind:value=current/>
                <p id="current-password-error" class="field-error">{current_problem}</p>
                <NewPasswordFields new confirm mismatch failure/>
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if busy.get() { i.t(K::Saving) } else { i.t(K::SavePassword) }}
                </button>
            </form>
        </section>
    }
}

/// "Forgot password": asks for a reset link by email. The answer is the same whether or not
/// the account exists or has an email address (which the page says).
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i = use_i18n();
    let login = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match crate::api::Public::request_password_reset(login.get_untracked()).await {
                Ok(()) => {
                    sent.try_set(true);
                    failure.try_set(None);
                }
                Err(f) => {
                    failure.try_set(Some(f));
                }
            }
            busy.try_set(false);
        });
    };
    let login_problem = field_problem(failure, "login");
    view! {
        <section class="page narrow">
            <h1>{i.tr(K::ForgotPasswordTitle)}</h1>
            <p class="hint">{i.tr(K::ForgotPasswordHint)}</p>
            <Show when=move || sent.get()>
                <p class="success" role="status">{i.tr(K::ResetLinkSent)}</p>
            </Show>
            <form class="form" on:submit=submit novalidate>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                <label for="reset-login">{i.tr(K::LoginLabel)}</label>
                <input id="reset-login" type="text" autocomplete="username" required maxlength="64"
                    aria-invalid=move || login_problem().map(|_| "true") aria-describedby="reset-login-error"
                    bind:value=login/>
                <p id="reset-login-error" class="field-error">{login_problem}</p>
                <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::SendResetLink)}</button>
            </form>
        </section>
    }
}

/// The page an emailed link opens (`/reset-password?token=…`): choose a new password.
#[component]
pub fn ResetPassword() -> impl IntoView {
    let i = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let token = Memo::new(move |_| query.read().get("token").unwrap_or_default());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let mismatch = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != confirm.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        busy.set(true);
        spawn_local(async move {
            match crate::api::Public::confirm_password_reset(
                token.get_untracked(),
                new.get_untracked(),
            )
            .await
            {
                Ok(()) => {
                    done.try_set(true);
                    failure.try_set(None);
                }
                Err(f) => {
                    failure.try_set(Some(f));
                }
            }
            busy.try_set(false);
        });
    };
    let token_problem = field_problem(failure, "token");
    view! {
        <section class="page narrow">
            <h1>{i.tr(K::ResetPasswordTitle)}</h1>
            <Show when=move || done.get() fallback=move || view! {
                <form class="form" on:submit=submit novalidate>
                    {move || token_problem().map(|_| view! { <p class="form-error" role="alert">{i.tr(K::ResetLinkInvalid)}</p> })}
                    <NewPasswordFields new confirm mismatch failure/>
                    <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::SavePassword)}</button>
                </form>
            }>
                <p class="success" role="status">{i.tr(K::PasswordResetDone)}</p>
                <p><leptos_router::components::A href="/signin" attr:class="button primary">{i.tr(K::SignIn)}</leptos_router::components::A></p>
            </Show>
        </section>
    }
}

/// The new password, typed twice, with the server's and the mismatch's messages.
#[component]
fn NewPasswordFields(
    new: RwSignal<String>,
    confirm: RwSignal<String>,
    mismatch: RwSignal<bool>,
    failure: RwSignal<Option<Failure>>,
) -> impl IntoView {
    let i = use_i18n();
    let new_problem = field_problem(failure, "new_password");
    view! {
        <label for="new-password">{i.tr(K::NewPassword)}</label>
        <input id="new-password" type="password" autocomplete="new-password" required minlength="8"
            aria-invalid=move || new_problem().map(|_| "true") aria-describedby="new-password-hint new-password-error"
            bind:value=new/>
        <p id="new-password-hint" class="field-hint">{i.tr(K::PasswordHint)}</p>
        <p id="new-password-error" class="field-error">{new_problem}</p>
        <label for="confirm-password">{i.tr(K::ConfirmPassword)}</label>
        <input id="confirm-password" type="password" autocomplete="new-password" required
            aria-invalid=move || mismatch.get().then_some("true") aria-describedby="confirm-password-error"
            bind:value=confirm/>
        <p id="confirm-password-error" class="field-error">{move || mismatch.get().then(|| i.t(K::PasswordsDiffer))}</p>
    }
}
