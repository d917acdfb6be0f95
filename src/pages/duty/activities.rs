//! Offline duties staff record: plenary sessions, meetings, inspections, surveys, training.
//! Staff name the members expected (everyone by default), decide leave requests and tick who
//! attended, for many members at once.

use super::{activity_kind_label, leave_label, this_year};
use crate::api::{Duty, Failure};
use crate::components::member_search::MemberSearch;
use crate::components::states::{field_problem, Empty, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

#[component]
pub fn DutyActivitiesPage() -> impl IntoView {
    let i = use_i18n();
    let year = RwSignal::new(this_year());
    let list = LocalResource::new(move || Duty::activities(year.get()));
    let kind = RwSignal::new(ActivityKind::Plenary.as_str().to_owned());
    let title = RwSignal::new(String::new());
    let held_on = RwSignal::new(String::new());
    let half_days = RwSignal::new("1".to_owned());
    let invitees = RwSignal::new(Vec::<(AccountId, String)>::new());
    let failure = RwSignal::new(None::<Failure>);
    let title_problem = field_problem(failure, "title");
    let date_problem = field_problem(failure, "held_on");
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = ActivityInput {
            kind: ActivityKind::parse(&kind.get_untracked()).unwrap_or(ActivityKind::Other),
            title: title.get_untracked(),
            held_on: held_on.get_untracked(),
            half_days: half_days.get_untracked().trim().parse().unwrap_or(0),
            invitee_ids: invitees
                .get_untracked()
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        };
        spawn_local(async move {
            match Duty::create_activity(body).await {
                Ok(a) => {
                    let _ = failure.try_set(None);
                    let _ = title.try_set(String::new());
                    let _ = invitees.try_set(Vec::new());
                    let _ = year.try_set(a.held_on[..4].parse().unwrap_or(this_year()));
                    list.refetch();
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <h2>{i.tr(K::DutyActivities)}</h2>
        <p class="hint">{i.tr(K::DutyActivitiesHint)}</p>
        <form class="form" on:submit=add novalidate>
            <h3>{i.tr(K::NewActivity)}</h3>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <label for="activity-kind">{i.tr(K::ActivityKindLabel)}</label>
            <select id="activity-kind" bind:value=kind>
                {ActivityKind::ALL.iter().map(|k| { let k = *k; view! { <option value=k.as_str()>{move || activity_kind_label(i, k)}</option> } }).collect_view()}
            </select>
            <label for="activity-title">{i.tr(K::ActivityTitle)}</label>
            <input id="activity-title" type="text" maxlength="100" bind:value=title aria-describedby="activity-title-error"/>
            <p id="activity-title-error" class="field-error">{title_problem}</p>
            <label for="activity-date">{i.tr(K::HeldOn)}</label>
            <input id="activity-date" type="date" bind:value=held_on aria-describedby="activity-date-error"/>
            <p id="activity-date-error" class="field-error">{date_problem}</p>
            <label for="activity-half-days">{i.tr(K::HalfDays)}</label>
            <input id="activity-half-days" type="number" min="1" max="20" class="narrow" bind:value=half_days/>
            <fieldset class="picker">
                <legend>{i.tr(K::ExpectedMembers)}</legend>
                <p class="hint">{i.tr(K::AllMembersExpected)}</p>
                <ul class="chips">
                    {move || invitees.get().into_iter().map(|(id, n)| {
                        let label = format!("{} {}", i.t(K::Remove), n);
                        view! {
                            <li class="chip">{n.clone()}
                                <button type="button" class="chip-remove" aria-label=label
                                    on:click=move |_| invitees.update(|l| l.retain(|(x, _)| *x != id))>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <MemberSearch id="invitee-search" label=K::AddExpectedMember on_pick=Callback::new(move |m: AccountSummary| {
                    invitees.update(|l| if !l.iter().any(|(x, _)| *x == m.id) {
                        l.push((m.id, format!("{}（{}）", m.display_name, m.username)));
                    });
                })/>
            </fieldset>
            <button type="submit" class="button primary">{i.tr(K::AddActivity)}</button>
        </form>
        <div class="filters">
            <label for="activities-year">{i.tr(K::Year)}</label>
            <select id="activities-year" prop:value=move || year.get().to_string() on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }>
                {(0..5).map(|n| {
                    let y = this_year() + 1 - n;
                    view! { <option value=y.to_string()>{move || i.fill(K::YearN, &[("n", y.to_string())])}</option> }
                }).collect_view()}
            </select>
        </div>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| list.refetch()/> }.into_any(),
            Some(Ok(l)) if l.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::NoActivities).to_owned())/> }.into_any(),
            Some(Ok(l)) => view! {
                <ul class="item-list">
                    {l.into_iter().map(|a| {
                        let requests = a.invitees.iter().filter(|p| p.leave == Some(LeaveState::Requested)).count();
                        view! {
                            <li class="item">
                                <A href=format!("/admin/duty/activities/{}", a.id) attr:class="item-title">{a.title.clone()}</A>
                                <span class="item-meta">{activity_kind_label(i, a.kind)}" · "{a.held_on.clone()}</span>
                                <span class="badge">{i.tr(if a.recorded { K::AttendanceRecorded } else { K::AttendanceNotRecorded })}</span>
                                {(requests > 0).then(|| view! { <span class="badge unread">{move || i.fill(K::LeaveRequestsN, &[("n", requests.to_string())])}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

/// One activity: leave decisions and the attendance sheet.
#[component]
pub fn DutyActivityPage() -> impl IntoView {
    let i = use_i18n();
    let id = crate::components::route::use_id();
    let loaded = LocalResource::new(move || Duty::activity(id.get()));
    let shown = RwSignal::new(None::<DutyActivity>);
    Effect::new(move || {
        if let Some(Ok(a)) = loaded.get() {
            shown.set(Some(a));
        }
    });
    let failure = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    // The ticks survive leave decisions: set once from what was recorded (or, before that,
    // everyone without approved leave); approving leave unticks that member.
    let ticked = RwSignal::new(None::<Vec<AccountId>>);
    Effect::new(move || {
        shown.with(|a| {
            if let Some(a) = a {
                if ticked.with_untracked(Option::is_none) {
                    ticked.set(Some(
                        a.invitees
                            .iter()
                            .filter(|p| match p.attended {
                                Some(at) => at,
                                None => p.leave != Some(LeaveState::Approved),
                            })
                            .map(|p| p.id)
                            .collect(),
                    ));
                } else {
                    let on_leave: Vec<AccountId> = a
                        .invitees
                        .iter()
                        .filter(|p| p.leave == Some(LeaveState::Approved) && p.attended.is_none())
                        .map(|p| p.id)
                        .collect();
                    ticked.update(|t| {
                        if let Some(t) = t {
                            t.retain(|x| !on_leave.contains(x));
                        }
                    });
                }
            }
        });
    });
    let run = move |call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<DutyActivity, Failure>>>,
    >,
                    after_save: bool| {
        spawn_local(async move {
            match call.await {
                Ok(a) => {
                    let _ = shown.try_set(Some(a));
                    let _ = failure.try_set(None);
                    let _ = saved.try_set(after_save);
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <p class="breadcrumbs"><A href="/admin/duty/activities">{i.tr(K::DutyActivities)}</A></p>
        {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
        {move || match (loaded.get(), shown.get()) {
            (Some(Err(f)), _) => view! { <h2>{i.tr(K::DutyActivities)}</h2><ErrorNotice failure=f/> }.into_any(),
            (_, Some(a)) => {
                let aid = a.id;
                view! {
                    <h2>{a.title.clone()}</h2>
                    <p class="item-meta">{activity_kind_label(i, a.kind)}" · "{a.held_on.clone()}" · "{move || i.fill(K::HalfDaysN, &[("n", a.half_days.to_string())])}</p>
                    <form class="form wide" on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        run(Box::pin(Duty::record_attendance(aid, ticked.get_untracked().unwrap_or_default())), true);
                    }>
                        <fieldset class="attendance">
                            <legend>{i.tr(K::AttendanceSheet)}</legend>
                            <p>
                                <button type="button" class="button secondary small" on:click={
                                    let all: Vec<AccountId> = a.invitees.iter().map(|p| p.id).collect();
                                    move |_| ticked.set(Some(all.clone()))
                                }>{i.tr(K::TickAll)}</button>
                                " "
                                <button type="button" class="button secondary small" on:click=move |_| ticked.set(Some(Vec::new()))>{i.tr(K::TickNone)}</button>
                            </p>
                            <ul class="people">
                                {a.invitees.iter().map(|p| {
                                    let who = p.id;
                                    let input_id = format!("attended-{who}");
                                    let label_for = input_id.clone();
                                    view! {
                                        <li>
                                            <label class="checkbox" for=label_for>
                                                <input type="checkbox" id=input_id
                                                    prop:checked=move || ticked.with(|t| t.as_ref().is_some_and(|t| t.contains(&who)))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        ticked.update(|t| if let Some(t) = t { t.retain(|x| *x != who); if on { t.push(who); } });
                                                    }/>
                                                {p.name.clone()}
                                            </label>
                                            {p.leave.map(|l| view! { <span class="badge">{leave_label(i, l)}</span> })}
                                            {p.leave_reason.clone().map(|r| view! { <span class="item-meta">{r}</span> })}
                                            {(p.leave == Some(LeaveState::Requested)).then(|| view! {
                                                <button type="button" class="button secondary small" on:click=move |_| run(Box::pin(Duty::decide_leave(aid, who, true)), false)>{i.tr(K::ApproveLeave)}</button>
                                                <button type="button" class="button secondary small" on:click=move |_| run(Box::pin(Duty::decide_leave(aid, who, false)), false)>{i.tr(K::RefuseLeave)}</button>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </fieldset>
                        <p class="hint">{i.tr(K::AttendanceHint)}</p>
                        <button type="submit" class="button primary">{i.tr(K::SaveAttendance)}</button>
                        {move || saved.get().then(|| view! { <p class="ok" role="status">{i.tr(K::AttendanceSaved)}</p> })}
                    </form>
                }.into_any()
            }
            _ => view! { <Loading/> }.into_any(),
        }}
    }
}
