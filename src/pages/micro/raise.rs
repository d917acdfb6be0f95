//! Raising an issue: members from their account; visitors through the public form, with a
//! personal-information notice and consent; staff review every submission first.

use crate::api::{Failure, Micro};
use crate::components::states::{field_problem, Loading};
use crate::i18n::{use_i18n, K};
use crate::prefs;
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use yishi_api::{PublicIssue, RaiseIssue, Role};

const DRAFT_KEY: &str = "raise-issue";

#[component]
pub fn RaiseIssuePage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(prefs::draft(DRAFT_KEY).unwrap_or_default());
    let location = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    // The chosen photo, read when the form is sent.
    let photo = StoredValue::new_local(None::<web_sys::File>);
    let photo_too_large = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let received = RwSignal::new(false);
    let busy = RwSignal::new(false);
    Effect::new(move || prefs::save_draft(DRAFT_KEY, &description.get()));
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        failure.set(None);
        let member = role() == Some(Role::Member);
        let navigate = navigate.clone();
        let chosen = photo.get_value();
        spawn_local(async move {
            let inline = match chosen {
                Some(f) => match crate::components::photos::inline_photo(f).await {
                    Some(p) => Some(p),
                    None => {
                        let _ = photo_too_large.try_set(true);
                        let _ = busy.try_set(false);
                        return;
                    }
                },
                None => None,
            };
            let outcome = if member {
                Micro::raise(RaiseIssue {
                    title: title.get_untracked(),
                    description: description.get_untracked(),
                    location: location.get_untracked(),
                    photo: inline,
                })
                .await
                .map(|d| Some(d.summary.id))
            } else {
                Micro::raise_public(PublicIssue {
                    title: title.get_untracked(),
                    description: description.get_untracked(),
                    location: location.get_untracked(),
                    name: name.get_untracked(),
                    contact: contact.get_untracked(),
                    consent: consent.get_untracked(),
                    photo: inline,
                })
                .await
                .map(|()| None)
            };
            let _ = busy.try_set(false);
            match outcome {
                Ok(id) => {
                    prefs::clear_draft(DRAFT_KEY);
                    match id {
                        Some(id) => {
                            navigate(&format!("/micro-consultations/{id}"), Default::default())
                        }
                        None => {
                            let _ = received.try_set(true);
                        }
                    }
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    let problem = move |f: &'static str| field_problem(failure, f);
    let photo_p = problem("photo");
    let (title_p, desc_p, loc_p, name_p, contact_p, consent_p) = (
        problem("title"),
        problem("description"),
        problem("location"),
        problem("name"),
        problem("contact"),
        problem("consent"),
    );
    view! {
        <section class="page">
            <h1>{i.tr(K::RaiseIssue)}</h1>
            {move || {
                if !session.ready.get() {
                    return view! { <Loading/> }.into_any();
                }
                if received.get() {
                    return view! {
                        <div class="notice" role="status">
                            <h2>{i.tr(K::IssueReceivedTitle)}</h2>
                            <p>{i.tr(K::IssueReceivedBody)}</p>
                        </div>
                    }.into_any();
                }
                match role() {
                    Some(Role::Admin) | Some(Role::Official) => view! { <p class="notice">{i.tr(K::RaiseMembersAndPublic)}</p> }.into_any(),
                    r => {
                        let visitor = r.is_none();
                        view! {
                            <form class="form wide" on:submit=submit.clone() novalidate>
                                <p class="hint">{i.tr(K::RaiseHint)}</p>
                                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                                <label for="issue-title">{i.tr(K::IssueTitle)}" "<span class="required">{i.tr(K::Required)}</span></label>
                                <input id="issue-title" type="text" maxlength="60" bind:value=title aria-describedby="issue-title-error"/>
                                <p id="issue-title-error" class="field-error">{title_p}</p>
                                <label for="issue-description">{i.tr(K::IssueDescription)}" "<span class="required">{i.tr(K::Required)}</span></label>
                                <textarea id="issue-description" rows="6" bind:value=description aria-describedby="issue-description-error"></textarea>
                                <p id="issue-description-error" class="field-error">{desc_p}</p>
                                <label for="issue-location">{i.tr(K::IssueLocation)}</label>
                                <input id="issue-location" type="text" maxlength="100" bind:value=location aria-describedby="issue-location-error"/>
                                <p id="issue-location-error" class="field-error">{loc_p}</p>
                                <label for="issue-photo">{i.tr(K::IssuePhoto)}</label>
                                <p class="hint">{i.tr(K::PhotoHint)}</p>
                                <input id="issue-photo" type="file" accept="image/jpeg,image/png,image/webp,image/gif" aria-describedby="issue-photo-error"
                                    on:change=move |ev| {
                                        use wasm_bindgen::JsCast;
                                        let file = ev.target()
                                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                            .and_then(|input| input.files())
                                            .and_then(|files| files.get(0));
                                        photo_too_large.set(file.as_ref().is_some_and(|f| f.size() > yishi_api::MAX_PHOTO_BYTES as f64));
                                        photo.set_value(file);
                                    }/>
                                <p id="issue-photo-error" class="field-error">
                                    {move || photo_too_large.get().then(|| i.t(K::PhotoTooLarge))}
                                    {photo_p}
                                </p>
                                {visitor.then(|| view! {
                                    <fieldset class="picker">
                                        <legend>{i.tr(K::YourContact)}</legend>
                                        <label for="issue-name">{i.tr(K::YourName)}" "<span class="required">{i.tr(K::Required)}</span></label>
                                        <input id="issue-name" type="text" maxlength="40" autocomplete="name" bind:value=name aria-describedby="issue-name-error"/>
                                        <p id="issue-name-error" class="field-error">{name_p}</p>
                                        <label for="issue-contact">{i.tr(K::YourPhone)}" "<span class="required">{i.tr(K::Required)}</span></label>
                                        <input id="issue-contact" type="text" maxlength="60" autocomplete="tel" bind:value=contact aria-describedby="issue-contact-error"/>
                                        <p id="issue-contact-error" class="field-error">{contact_p}</p>
                                        <div class="notice privacy">{i.tr(K::PrivacyNotice)}</div>
                                        <label class="checkbox" for="issue-consent">
                                            <input type="checkbox" id="issue-consent" bind:checked=consent aria-describedby="issue-consent-error"/>
                                            {i.tr(K::ConsentLabel)}
                                        </label>
                                        <p id="issue-consent-error" class="field-error">{consent_p}</p>
                                    </fieldset>
                                })}
                                <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::SubmitIssue)}</button>
                            </form>
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}
