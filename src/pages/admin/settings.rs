use crate::api::{Admin, Failure, Public};
use crate::components::layout::Site;
use crate::components::states::{field_problem, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::UpdateSettings;

#[component]
pub fn AdminSettings() -> impl IntoView {
    let i = use_i18n();
    let site = expect_context::<Site>();
    let loaded = LocalResource::new(Public::site);
    let name = RwSignal::new(String::new());
    let footer = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    Effect::new(move || {
        if let Some(Ok(s)) = loaded.get() {
            name.set(s.committee_name);
            footer.set(s.footer_text);
            zone.set(s.time_zone);
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        saved.set(false);
        failure.set(None);
        let body = UpdateSettings {
            committee_name: Some(name.get_untracked()),
            footer_text: Some(footer.get_untracked()),
            time_zone: Some(zone.get_untracked()),
        };
        spawn_local(async move {
            match Admin::update_settings(body).await {
                Ok(info) => {
                    site.0.set(Some(info));
                    saved.set(true);
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    let name_problem = field_problem(failure, "committee_name");
    let footer_problem = field_problem(failure, "footer_text");
    let zone_problem = field_problem(failure, "time_zone");
    view! {
        <h2>{i.tr(K::AdminSettings)}</h2>
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| loaded.refetch()/> }.into_any(),
            Some(Ok(_)) => view! {
                <form class="form" on:submit=submit novalidate>
                    {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                    <label for="committee-name">{i.tr(K::SettingsCommitteeName)}</label>
                    <input id="committee-name" type="text" maxlength="60" bind:value=name aria-describedby="committee-name-error"/>
                    <p id="committee-name-error" class="field-error">{name_problem}</p>
                    <label for="footer-text">{i.tr(K::SettingsFooter)}</label>
                    <textarea id="footer-text" rows="3" maxlength="500" bind:value=footer aria-describedby="footer-text-error"></textarea>
                    <p id="footer-text-error" class="field-error">{footer_problem}</p>
                    <label for="time-zone">{i.tr(K::SettingsTimeZone)}</label>
                    <input id="time-zone" type="text" bind:value=zone aria-describedby="time-zone-error"/>
                    <p id="time-zone-error" class="field-error">{zone_problem}</p>
                    <Show when=move || saved.get()><p class="success" role="status">{i.tr(K::Saved)}</p></Show>
                    <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::SaveSettings)}</button>
                </form>
            }.into_any(),
        }}
    }
}
