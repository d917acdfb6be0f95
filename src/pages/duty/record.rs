//! A member's duty record: the year's total and grade, the breakdown by category, every
//! ledger row with its source, a printable view; for the member, the activities they are
//! expected at, with leave requests.

use super::{
    activity_kind_label, category_label, grade_label, leave_label, source_label, this_year,
};
use crate::api::{Duty, Failure};
use crate::components::states::{Empty, ErrorNotice, Loading, RequireUser};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

/// The signed-in member's own record.
#[component]
pub fn MyDutyRecord() -> impl IntoView {
    let session = use_session();
    view! {
        <RequireUser>
            {move || session.user.get().map(|u| view! {
                <DutyRecordView account=u.id own=true/>
            })}
        </RequireUser>
    }
}

/// A member's record as staff see it.
#[component]
pub fn MemberDutyRecord() -> impl IntoView {
    let id = crate::components::route::use_id();
    view! {
        <RequireUser admin=true>
            {move || view! { <DutyRecordView account=AccountId(id.get()) own=false/> }}
        </RequireUser>
    }
}

#[component]
fn DutyRecordView(account: AccountId, own: bool) -> impl IntoView {
    let i = use_i18n();
    // No year at first: the server answers for this year in the committee's time zone.
    let year = RwSignal::new(None::<i32>);
    let record = LocalResource::new(move || Duty::record(account, year.get()));
    let shown_year = move || {
        record
            .get()
            .and_then(|r| r.ok())
            .map(|r| r.year)
            .unwrap_or_else(this_year)
    };
    view! {
        <section class="page duty-record">
            <div class="toolbar">
                <h1>{i.tr(K::DutyRecordTitle)}</h1>
                <button type="button" class="button secondary print-button" on:click=move |_| { let _ = window().print(); }>{i.tr(K::Print)}</button>
            </div>
            {(!own).then(|| view! { <p class="breadcrumbs"><A href="/admin/duty">{i.tr(K::DutyOverview)}</A></p> })}
            <div class="filters">
                <label for="duty-year">{i.tr(K::Year)}</label>
                <select id="duty-year" prop:value=move || shown_year().to_string()
                    on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(Some(y)) }>
                    {(0..5).map(|n| {
                        let y = this_year() + 1 - n;
                        view! { <option value=y.to_string()>{move || i.fill(K::YearN, &[("n", y.to_string())])}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || match record.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| record.refetch()/> }.into_any(),
                Some(Ok(r)) => view! {
                    <section class="card record-head">
                        <h2>{r.member.name.clone()}</h2>
                        <p class="item-meta">{[r.sector.clone(), r.committee.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</p>
                        <p class="record-total">
                            <span class="total-points">{move || i.fill(K::PointsN, &[("n", r.total.to_string())])}</span>
                            <span class=format!("badge grade-{}", r.grade.as_str())>{grade_label(i, r.grade)}</span>
                        </p>
                        <dl class="summary-counts">
                            {r.by_category.iter().map(|c| view! {
                                <div><dt>{category_label(i, c.category)}</dt><dd>{c.points}</dd></div>
                            }).collect_view()}
                        </dl>
                    </section>
                    <section class="card">
                        <h2>{i.tr(K::DutyRows)}</h2>
                        {if r.rows.is_empty() {
                            view! { <Empty text=Signal::derive(move || i.t(K::NoDutyRows).to_owned())/> }.into_any()
                        } else {
                            view! {
                                <table class="ledger">
                                    <thead><tr>
                                        <th scope="col">{i.tr(K::Date)}</th>
                                        <th scope="col">{i.tr(K::DutySourceLabel)}</th>
                                        <th scope="col">{i.tr(K::DutyWhat)}</th>
                                        <th scope="col" class="num">{i.tr(K::Points)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {r.rows.clone().into_iter().map(|row| view! {
                                            <tr class:reversal=row.reversal>
                                                <td><time datetime=format::iso(row.at)>{format::date(row.at)}</time></td>
                                                <td>{source_label(i, row.source)}{row.reversal.then(|| view! { " "<span class="tag">{i.tr(K::Reversal)}</span> })}</td>
                                                <td>{match row.link.clone() {
                                                    Some(href) => {
                                                        let text = if row.title.is_empty() { i.t(K::ViewSource).to_owned() } else { row.title.clone() };
                                                        view! { <A href=href>{text}</A> }.into_any()
                                                    }
                                                    None => view! { <span>{row.title.clone()}</span> }.into_any(),
                                                }}</td>
                                                <td class="num">{row.points}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    </section>
                }.into_any(),
            }}
            {own.then(|| view! { <ExpectedActivities/> })}
        </section>
    }
}

/// Activities the member is expected at, and leave (请假) requests.
#[component]
fn ExpectedActivities() -> impl IntoView {
    let i = use_i18n();
    let list = LocalResource::new(Duty::my_activities);
    let shown = RwSignal::new(None::<Vec<ExpectedActivity>>);
    Effect::new(move || {
        if let Some(Ok(l)) = list.get() {
            shown.set(Some(l));
        }
    });
    let failure = RwSignal::new(None::<Failure>);
    view! {
        <section class="card" aria-labelledby="expected-title">
            <h2 id="expected-title">{i.tr(K::ExpectedActivities)}</h2>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            {move || match (list.get(), shown.get()) {
                (Some(Err(f)), _) => view! { <ErrorNotice failure=f/> }.into_any(),
                (_, Some(l)) if l.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::NoExpectedActivities).to_owned())/> }.into_any(),
                (_, Some(l)) => view! {
                    <ul class="item-list">
                        {l.into_iter().map(|a| {
                            let id = a.id;
                            let reason = RwSignal::new(String::new());
                            let input_id = format!("leave-{id}");
                            let label_for = input_id.clone();
                            let can_ask = !a.recorded && a.leave != Some(LeaveState::Approved);
                            view! {
                                <li class="item expected">
                                    <span class="item-title">{a.title.clone()}</span>
                                    <span class="item-meta">{activity_kind_label(i, a.kind)}" · "{a.held_on.clone()}</span>
                                    {a.leave.map(|l| view! { <span class="badge">{leave_label(i, l)}</span> })}
                                    {a.attended.map(|at| view! { <span class="badge">{i.tr(if at { K::Attended } else { K::NotAttended })}</span> })}
                                    {can_ask.then(|| view! {
                                        <form class="inline-form" on:submit=move |ev| {
                                            ev.prevent_default();
                                            let text = reason.get_untracked();
                                            spawn_local(async move {
                                                match Duty::request_leave(id, text).await {
                                                    Ok(l) => { let _ = shown.try_set(Some(l)); let _ = failure.try_set(None); }
                                                    Err(f) => { let _ = failure.try_set(Some(f)); }
                                                }
                                            });
                                        }>
                                            <label for=label_for>{i.tr(K::LeaveReason)}</label>
                                            <input id=input_id type="text" maxlength="200" bind:value=reason/>
                                            <button type="submit" class="button secondary small">{i.tr(K::AskLeave)}</button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                _ => view! { <Loading/> }.into_any(),
            }}
        </section>
    }
}
