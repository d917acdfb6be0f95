//! Staff administration: organisation, settings, accounts, CSV import.

mod account;
mod accounts;
mod calendar;
mod import;
mod moderation;
mod org;
mod reading;
mod settings;

pub use account::*;
pub use accounts::*;
pub use calendar::*;
pub use import::*;
pub use moderation::*;
pub use org::*;
pub use reading::*;
pub use settings::*;

use crate::components::states::RequireUser;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
pub fn AdminLayout() -> impl IntoView {
    let i = use_i18n();
    view! {
        <RequireUser admin=true>
            <section class="page admin">
                <h1 class="visually-hidden">{i.tr(K::AdminTitle)}</h1>
                <nav class="tabs" aria-label=i.tr(K::AdminNav)>
                    <A href="/admin" exact=true>{i.tr(K::AdminOrg)}</A>
                    <A href="/admin/accounts">{i.tr(K::AdminAccounts)}</A>
                    <A href="/admin/import">{i.tr(K::AdminImport)}</A>
                    <A href="/admin/calendar">{i.tr(K::AdminCalendar)}</A>
                    <A href="/admin/reading">{i.tr(K::ReadingCatalogue)}</A>
                    <A href="/admin/duty">{i.tr(K::DutyOverview)}</A>
                    <A href="/admin/moderation">{i.tr(K::ModerationTitle)}</A>
                    <A href="/admin/audit">{i.tr(K::AuditTitle)}</A>
                    <A href="/admin/settings">{i.tr(K::AdminSettings)}</A>
                </nav>
                <Outlet/>
            </section>
        </RequireUser>
    }
}

/// The one-time password panel shown after creating, resetting or importing.
#[component]
pub fn OneTimePassword(username: String, password: String) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="one-time" role="status">
            <h2>{i.tr(K::OneTimePasswordTitle)}</h2>
            <p><span class="label">{i.tr(K::Username)}"："</span><code class="otp-username">{username}</code></p>
            <p><span class="label">{i.tr(K::PasswordLabel)}"："</span><code class="otp-password">{password}</code></p>
            <p class="hint">{i.tr(K::OneTimePasswordHint)}</p>
        </div>
    }
}
