//! Staff create a consultation (saved as a draft, then published from its page).

use crate::api::{Admin, Consultations, Failure, Public};
use crate::components::member_search::MemberSearch;
use crate::components::states::{field_problem, ErrorNotice, Loading, RequireUser};
use crate::i18n::{use_i18n, K};
use crate::prefs;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use yishi_api::*;

const DRAFT_KEY: &str = "new-consultation";

/// `datetime-local` value (browser time zone) to Unix ms.
fn to_ms(value: &str) -> Option<i64> {
    if value.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    (!ms.is_nan()).then_some(ms as i64)
}

#[component]
pub fn NewConsultation() -> impl IntoView {
    view! { <RequireUser admin=true><ConsultationForm existing=None/></RequireUser> }
}

/// Staff edit a consultation before it starts.
#[component]
pub fn EditConsultation() -> impl IntoView {
    let i = use_i18n();
    let id = crate::components::route::use_id();
    let detail = LocalResource::new(move || Consultations::detail(id.get()));
    view! {
        <RequireUser admin=true>
            {move || match detail.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <h1>{i.tr(K::EditConsultation)}</h1><ErrorNotice failure=f/> }.into_any(),
                Some(Ok(d)) => view! { <ConsultationForm existing=Some(d)/> }.into_any(),
            }}
        </RequireUser>
    }
}

/// `datetime-local` value (browser time zone) of Unix ms.
fn to_local(ms: Option<i64>) -> String {
    ms.map(|t| crate::format::date_time(t).replace(' ', "T"))
        .unwrap_or_default()
}

#[component]
fn Checkboxes(
    legend: K,
    name: &'static str,
    options: Vec<(i64, String)>,
    chosen: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <fieldset class="checkboxes">
            <legend>{i.tr(legend)}</legend>
            {options.into_iter().map(|(id, label)| {
                let input_id = format!("{name}-{id}");
                let label_for = input_id.clone();
                view! {
                    <label class="checkbox" for=label_for>
                        <input type="checkbox" id=input_id
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |_| chosen.update(|c| if let Some(p) = c.iter().position(|x| *x == id) { c.remove(p); } else { c.push(id); })/>
                        {label}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn ConsultationForm(existing: Option<ConsultationDetail>) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    // Individually invited members are stored by id: look up their names for the list.
    let invited_ids: Vec<AccountId> = existing
        .as_ref()
        .map(|d| d.invited_accounts.clone())
        .unwrap_or_default();
    let data = LocalResource::new(move || {
        let ids = invited_ids.clone();
        async move {
            let org = Public::organisation().await?;
            let mut people = Vec::with_capacity(ids.len());
            for id in ids {
                let a = Admin::account(id.0).await?;
                people.push((a.id, format!("{}（{}）", a.display_name, a.username)));
            }
            Ok::<_, Failure>((org, people))
        }
    });
    let editing = existing.as_ref().map(|d| d.summary.id);
    let draft_key = match editing {
        Some(id) => format!("consultation-description-{id}"),
        None => DRAFT_KEY.to_owned(),
    };
    let e = existing.as_ref();
    let id_text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let kind = RwSignal::new(match e.map(|d| d.summary.kind) {
        Some(ConsultationKind::Online) => "online".to_owned(),
        _ => "remote".to_owned(),
    });
    let title = RwSignal::new(e.map(|d| d.summary.title.clone()).unwrap_or_default());
    let description = RwSignal::new(
        prefs::draft(&draft_key)
            .or_else(|| e.map(|d| d.description.clone()))
            .unwrap_or_default(),
    );
    let visibility = RwSignal::new(match e.map(|d| d.summary.visibility) {
        Some(Visibility::Members) => "members".to_owned(),
        _ => "public".to_owned(),
    });
    let chair = RwSignal::new(e.and_then(|d| d.chair_id));
    let chair_name = RwSignal::new(e.and_then(|d| d.chair_name.clone()).unwrap_or_default());
    let committee = RwSignal::new(id_text(e.and_then(|d| d.committee_id).map(|c| c.0)));
    let starts = RwSignal::new(to_local(e.and_then(|d| d.summary.starts_at)));
    let ends = RwSignal::new(to_local(e.and_then(|d| d.summary.ends_at)));
    let venues = RwSignal::new(e.map(|d| d.venues.clone()).unwrap_or_default());
    let video = RwSignal::new(e.and_then(|d| d.video_link.clone()).unwrap_or_default());
    let sectors = RwSignal::new(
        e.map(|d| d.invited_sectors.iter().map(|x| x.0).collect::<Vec<i64>>())
            .unwrap_or_default(),
    );
    let committees = RwSignal::new(
        e.map(|d| {
            d.invited_committees
                .iter()
                .map(|x| x.0)
                .collect::<Vec<i64>>()
        })
        .unwrap_or_default(),
    );
    let departments = RwSignal::new(
        e.map(|d| d.departments.iter().map(|x| x.0).collect::<Vec<i64>>())
            .unwrap_or_default(),
    );
    let people = RwSignal::new(Vec::<(AccountId, String)>::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // Long texts are kept as local drafts until saved (shared/ui.md).
    let key = draft_key.clone();
    Effect::new(move || prefs::save_draft(&key, &description.get()));

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        failure.set(None);
        let input = ConsultationInput {
            kind: if kind.get_untracked() == "online" {
                ConsultationKind::Online
            } else {
                ConsultationKind::Remote
            },
            title: title.get_untracked(),
            description: description.get_untracked(),
            committee_id: committee.get_untracked().parse().ok().map(CommitteeId),
            chair_id: chair.get_untracked(),
            starts_at: to_ms(&starts.get_untracked()),
            ends_at: to_ms(&ends.get_untracked()),
            venues: venues.get_untracked(),
            video_link: Some(video.get_untracked().trim().to_owned()).filter(|v| !v.is_empty()),
            visibility: if visibility.get_untracked() == "members" {
                Visibility::Members
            } else {
                Visibility::Public
            },
            invited_sectors: sectors.get_untracked().into_iter().map(SectorId).collect(),
            invited_committees: committees
                .get_untracked()
                .into_iter()
                .map(CommitteeId)
                .collect(),
            invited_accounts: people
                .get_untracked()
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
            departments: departments
                .get_untracked()
                .into_iter()
                .map(DepartmentId)
                .collect(),
        };
        let navigate = navigate.clone();
        let key = draft_key.clone();
        spawn_local(async move {
            let saved = match editing {
                Some(id) => Consultations::update(id, input).await,
                None => Consultations::create(input).await,
            };
            match saved {
                Ok(created) => {
                    prefs::clear_draft(&key);
                    navigate(
                        &format!("/consultations/{}", created.summary.id),
                        Default::default(),
                    );
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    let title_problem = field_problem(failure, "title");
    let ends_problem = field_problem(failure, "ends_at");
    let video_problem = field_problem(failure, "video_link");
    view! {
        <section class="page">
            <h1>{i.tr(if editing.is_some() { K::EditConsultation } else { K::NewConsultation })}</h1>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| data.refetch()/> }.into_any(),
                Some(Ok((org, loaded))) => {
                    // Names of the individually invited, once loaded (not after each edit).
                    if people.with_untracked(|p| p.is_empty()) {
                        people.set(loaded);
                    }
                    view! {
                    <form class="form wide" on:submit=submit.clone() novalidate>
                        {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                        <label for="kind">{i.tr(K::ConsultationKindLabel)}</label>
                        <select id="kind" bind:value=kind>
                            <option value="remote">{i.tr(K::KindRemote)}</option>
                            <option value="online">{i.tr(K::KindOnline)}</option>
                        </select>
                        <label for="title">{i.tr(K::ConsultationTitle)}" "<span class="required">{i.tr(K::Required)}</span></label>
                        <input id="title" type="text" maxlength="100" bind:value=title aria-describedby="title-error"
                            aria-invalid=move || title_problem().map(|_| "true")/>
                        <p id="title-error" class="field-error">{title_problem}</p>
                        <label for="description">{i.tr(K::Description)}</label>
                        <textarea id="description" rows="8" bind:value=description></textarea>
                        <label for="visibility">{i.tr(K::VisibilityLabel)}</label>
                        <select id="visibility" bind:value=visibility>
                            <option value="public">{i.tr(K::VisibilityPublic)}</option>
                            <option value="members">{i.tr(K::VisibilityMembers)}</option>
                        </select>
                        <label for="host-committee">{i.tr(K::HostCommittee)}</label>
                        <select id="host-committee" bind:value=committee>
                            <option value="">{i.tr(K::NoneOption)}</option>
                            {org.committees.iter().map(|c| view! { <option value=c.id.0.to_string()>{c.name.clone()}</option> }).collect_view()}
                        </select>
                        <fieldset class="picker">
                            <legend>{i.tr(K::Chair)}</legend>
                            <p class="picked" aria-live="polite">
                                {move || if chair.get().is_some() { chair_name.get() } else { i.t(K::NoChair).to_owned() }}
                                {move || chair.get().is_some().then(|| view! {
                                    " "<button type="button" class="button secondary small" on:click=move |_| { chair.set(None); chair_name.set(String::new()); }>{i.tr(K::Remove)}</button>
                                })}
                            </p>
                            <MemberSearch id="chair-search" label=K::FindChair on_pick=Callback::new(move |m: AccountSummary| {
                                chair.set(Some(m.id));
                                chair_name.set(format!("{}（{}）", m.display_name, m.username));
                            })/>
                        </fieldset>
                        <label for="starts-at">{i.tr(K::StartsAt)}</label>
                        <input id="starts-at" type="datetime-local" bind:value=starts/>
                        <label for="ends-at">{i.tr(K::EndsAt)}</label>
                        <input id="ends-at" type="datetime-local" bind:value=ends aria-describedby="ends-at-error"/>
                        <p id="ends-at-error" class="field-error">{ends_problem}</p>
                        <label for="venues">{i.tr(K::Venues)}</label>
                        <input id="venues" type="text" maxlength="500" bind:value=venues/>
                        <label for="video-link">{i.tr(K::VideoLink)}</label>
                        <input id="video-link" type="text" inputmode="url" bind:value=video aria-describedby="video-link-error"/>
                        <p id="video-link-error" class="field-error">{video_problem}</p>
                        <Checkboxes legend=K::InvitedSectors name="sector" options=org.sectors.iter().map(|s| (s.id.0, s.name.clone())).collect() chosen=sectors/>
                        <Checkboxes legend=K::InvitedCommittees name="committee" options=org.committees.iter().map(|s| (s.id.0, s.name.clone())).collect() chosen=committees/>
                        <fieldset class="picker">
                            <legend>{i.tr(K::InvitedIndividuals)}</legend>
                            {move || {
                                let list = people.get();
                                if list.is_empty() {
                                    return view! { <p class="state empty">{i.tr(K::NoIndividuals)}</p> }.into_any();
                                }
                                view! {
                                    <ul class="chips">
                                        {list.into_iter().map(|(id, name)| {
                                            let label = format!("{} {}", i.t(K::Remove), name);
                                            view! {
                                                <li class="chip">{name.clone()}
                                                    <button type="button" class="chip-remove" aria-label=label
                                                        on:click=move |_| people.update(|p| p.retain(|(x, _)| *x != id))>"×"</button>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <MemberSearch id="invite-search" label=K::InviteMember on_pick=Callback::new(move |m: AccountSummary| {
                                people.update(|p| if !p.iter().any(|(x, _)| *x == m.id) {
                                    p.push((m.id, format!("{}（{}）", m.display_name, m.username)));
                                });
                            })/>
                        </fieldset>
                        <Checkboxes legend=K::ParticipatingDepartments name="department" options=org.departments.iter().map(|s| (s.id.0, s.name.clone())).collect() chosen=departments/>
                        <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(if editing.is_some() { K::SaveConsultation } else { K::CreateConsultation })}</button>
                    </form>
                }.into_any()
                }
            }}
        </section>
    }
}
