//! The outcome section of a consultation: minutes (drafted from the record, edited and
//! published by staff), numbered recommendations, attendance.

use crate::api::{Failure, Outcome, Public};
use crate::components::states::Loading;
use crate::i18n::{use_i18n, K};
use crate::nav::A;
use crate::prefs;
use crate::session::member_ui;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::*;

/// `version` changes whenever the room hears that the outcome changed.
#[component]
pub fn OutcomeSection(
    consultation: i64,
    staff: bool,
    runs_meeting: bool,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    // Member-only parts are gated with `member_ui` where each is built: a flag captured by a
    // view's closure is a run-time value there, and the reader's build drops only what the
    // gate at the use makes unreachable.
    let minutes = LocalResource::new(move || {
        version.track();
        Outcome::minutes(consultation)
    });
    let recommendations = LocalResource::new(move || {
        version.track();
        Outcome::recommendations(consultation)
    });
    view! {
        <section class="outcome" aria-labelledby="outcome-title">
            <h2 id="outcome-title">{i.tr(K::Outcome)}</h2>
            <h3>{i.tr(K::MinutesTitle)}</h3>
            {move || match minutes.get() {
                Some(Ok(Some(m))) => view! {
                    {m.published_at.is_none().then(|| view! { <p class="notice">{i.tr(K::MinutesDraftNotice)}</p> })}
                    <article class="prose minutes" inner_html=m.body_html.clone()></article>
                    {m.published_at.is_some().then(|| view! {
                        <button type="button" class="button secondary print-button" on:click=move |_| { let _ = window().print(); }>{i.tr(K::PrintMinutes)}</button>
                    })}
                }.into_any(),
                Some(Ok(None)) => view! { <p class="state empty">{i.tr(K::MinutesNotYet)}</p> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
                None => ().into_any(),
            }}
            {member_ui(staff).then(|| view! { <MinutesEditor consultation version/> })}
            <h3>{i.tr(K::Recommendations)}</h3>
            {move || match recommendations.get() {
                Some(Ok(list)) if list.is_empty() => view! { <p class="state empty">{i.tr(K::NoRecommendations)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="recommendations">
                        {list.into_iter().map(|r| {
                            let id = r.id;
                            view! {
                                <li value=r.number.to_string()>
                                    <span class="recommendation-text">{r.text.clone()}</span>
                                    <span class="item-meta">{i.tr(K::AddressedTo)}"："{r.department_name.clone()}</span>
                                    {r.follow_up_state.map(|st| {
                                        let badge = view! { <span class=format!("badge fu-{}", st.as_str())>{crate::pages::followup::follow_up_state_label(i, st)}</span> };
                                        match r.follow_up_id.filter(|_| member_ui(runs_meeting)) {
                                            Some(fid) => view! { <A href=format!("/follow-ups/{fid}")>{badge}</A> }.into_any(),
                                            None => badge.into_any(),
                                        }
                                    })}
                                    {member_ui(staff).then(|| view! {
                                        <button type="button" class="button danger small" aria-label=format!("{} {}", i.t(K::Delete), r.number)
                                            on:click=move |_| spawn_local(async move {
                                                if Outcome::delete_recommendation(id).await.is_ok() {
                                                    version.update(|v| *v += 1);
                                                }
                                            })>{i.tr(K::Delete)}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
                None => ().into_any(),
            }}
            {member_ui(staff).then(|| view! { <RecommendationForm consultation version/> })}
            {member_ui(runs_meeting).then(|| view! { <RollCall consultation staff/> })}
        </section>
    }
}

#[component]
fn MinutesEditor(consultation: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let key = format!("minutes-{consultation}");
    let text = RwSignal::new(prefs::draft(&key).unwrap_or_default());
    let failure = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    // Load the saved text into an empty editor.
    spawn_local(async move {
        if let Ok(Some(m)) = Outcome::minutes(consultation).await {
            // The editor may be gone by now (the page re-rendered): read without panicking.
            if text.try_get_untracked().is_some_and(|t| t.is_empty()) {
                text.set(m.body);
            }
        }
    });
    let draft_key = key.clone();
    Effect::new(move || prefs::save_draft(&draft_key, &text.get()));
    let assemble = move |_| {
        spawn_local(async move {
            match Outcome::draft(consultation).await {
                Ok(d) => text.set(d.body),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let body = text.get_untracked();
        let key = key.clone();
        spawn_local(async move {
            match Outcome::save(consultation, body).await {
                Ok(_) => {
                    prefs::clear_draft(&key);
                    failure.set(None);
                    saved.set(true);
                    version.update(|v| *v += 1);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let publish = move |_| {
        spawn_local(async move {
            match Outcome::publish(consultation).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <form class="form wide minutes-editor" on:submit=save>
            <button type="button" class="button secondary" on:click=assemble>{i.tr(K::AssembleDraft)}</button>
            <label for="minutes-text">{i.tr(K::MinutesText)}</label>
            <textarea id="minutes-text" rows="14" bind:value=text></textarea>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <Show when=move || saved.get()><p class="success" role="status">{i.tr(K::Saved)}</p></Show>
            <div class="button-row">
                <button type="submit" class="button primary">{i.tr(K::SaveMinutes)}</button>
                <button type="button" class="button secondary" on:click=publish>{i.tr(K::PublishMinutes)}</button>
            </div>
        </form>
    }
}

#[component]
fn RecommendationForm(consultation: i64, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let org = LocalResource::new(Public::organisation);
    let text = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(dept) = department.get_untracked().parse::<i64>() else {
            return;
        };
        let body = NewRecommendation {
            text: text.get_untracked(),
            department_id: DepartmentId(dept),
        };
        spawn_local(async move {
            match Outcome::add_recommendation(consultation, body).await {
                Ok(_) => {
                    text.set(String::new());
                    failure.set(None);
                    version.update(|v| *v += 1);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <form class="form wide" on:submit=submit>
            <label for="recommendation-text">{i.tr(K::RecommendationText)}</label>
            <textarea id="recommendation-text" rows="3" bind:value=text></textarea>
            <label for="recommendation-department">{i.tr(K::AddressedTo)}</label>
            <select id="recommendation-department" bind:value=department>
                <option value="">{i.tr(K::NoneOption)}</option>
                {move || org.get().and_then(|o| o.ok()).map(|o| o.departments.into_iter().map(|d| view! {
                    <option value=d.id.0.to_string()>{d.name}</option>
                }).collect_view())}
            </select>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <button type="submit" class="button primary">{i.tr(K::AddRecommendation)}</button>
        </form>
    }
}

/// Attendance for staff and the chair: the invitation list with how each person attended
/// (online, as a speaker, at a venue); staff tick venue attendance.
#[component]
fn RollCall(consultation: i64, staff: bool) -> impl IntoView {
    let i = use_i18n();
    let roll = RwSignal::new(None::<Result<Vec<RollEntry>, Failure>>);
    let reload = move || {
        spawn_local(async move {
            let fetched = Outcome::roll(consultation).await;
            // The section may be gone when the answer arrives.
            let _ = roll.try_set(Some(fetched));
        })
    };
    reload();
    let filter = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let tick = move |account: AccountId, present: bool| {
        spawn_local(async move {
            match Outcome::mark_attendance(consultation, account, present).await {
                Ok(_) => {
                    let _ = failure.try_set(None);
                    reload();
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        })
    };
    let source_label = move |s: AttendanceSource| {
        i.t(match s {
            AttendanceSource::Online => K::AttendedOnline,
            AttendanceSource::Speaker => K::AttendedSpeaker,
            AttendanceSource::Venue => K::AttendedVenue,
        })
    };
    view! {
        <section class="roll-call" aria-labelledby="roll-title">
            <h3 id="roll-title">{i.tr(K::Attendance)}</h3>
            {move || match roll.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
                Some(Ok(list)) => {
                    let present = list.iter().filter(|e| !e.sources.is_empty()).count();
                    let invited = list.iter().filter(|e| e.invited).count();
                    view! {
                        <p class="roll-count">{i.fill(K::RollCount, &[("n", present.to_string()), ("m", invited.to_string())])}</p>
                        {staff.then(|| view! { <p class="hint">{i.tr(K::RollHint)}</p> })}
                    }.into_any()
                }
            }}
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <label for="roll-filter">{i.tr(K::FindByName)}</label>
            <input id="roll-filter" type="search" bind:value=filter/>
            {move || roll.get().and_then(|r| r.ok()).map(|list| {
                let needle = filter.get();
                let rows: Vec<RollEntry> = list.into_iter().filter(|e| needle.trim().is_empty() || e.name.contains(needle.trim())).collect();
                if rows.is_empty() {
                    return view! { <p class="state empty">{i.tr(K::RollEmpty)}</p> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                        <table class="table roll">
                            <thead><tr>
                                <th scope="col">{i.tr(K::PersonName)}</th>
                                <th scope="col">{i.tr(K::Sector)}</th>
                                <th scope="col">{i.tr(K::AttendedHow)}</th>
                                <th scope="col">{i.tr(K::AttendedVenue)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|e| {
                                    let account = e.account_id;
                                    let at_venue = e.sources.contains(&AttendanceSource::Venue);
                                    let how = if e.sources.is_empty() {
                                        i.t(K::Absent).to_owned()
                                    } else {
                                        e.sources.iter().map(|s| source_label(*s)).collect::<Vec<_>>().join("、")
                                    };
                                    let box_id = format!("venue-{}", account.0);
                                    let label = format!("{} {}", i.t(K::AttendedVenue), e.name);
                                    view! {
                                        <tr class:absent=e.sources.is_empty()>
                                            <td data-label=i.t(K::PersonName)>{e.name.clone()}</td>
                                            <td data-label=i.t(K::Sector)>{e.sector_name.clone().unwrap_or_default()}</td>
                                            <td data-label=i.t(K::AttendedHow)>{how}</td>
                                            <td data-label=i.t(K::AttendedVenue)>{if staff {
                                                view! { <input type="checkbox" id=box_id aria-label=label prop:checked=at_venue
                                                    on:change=move |ev| tick(account, event_target_checked(&ev))/> }.into_any()
                                            } else {
                                                view! { <span>{if at_venue { "✓" } else { "" }}</span> }.into_any()
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </section>
    }
}
