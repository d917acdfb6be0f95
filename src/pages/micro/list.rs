//! The micro-consultation list: a small summary, filters, the issues.

use super::micro_state_label;
use crate::api::{Micro, MicroQuery, Public};
use crate::components::pager::Pager;
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use yishi_api::MicroState;

#[component]
pub fn MicroList() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let query = RwSignal::new(MicroQuery::default());
    let previous = RwSignal::new(Vec::<Option<String>>::new());
    let page = LocalResource::new(move || {
        session.reader.track();
        Micro::list(query.get())
    });
    let org = LocalResource::new(Public::organisation);
    let state_filter = RwSignal::new(String::new());
    let workstation_filter = RwSignal::new(String::new());
    let department_filter = RwSignal::new(String::new());
    let year_filter = RwSignal::new(String::new());
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let apply = move || {
        previous.set(Vec::new());
        query.set(MicroQuery {
            state: MicroState::parse(&state_filter.get_untracked()),
            workstation: workstation_filter.get_untracked().parse().ok(),
            department: department_filter.get_untracked().parse().ok(),
            year: year_filter.get_untracked().parse().ok(),
            cursor: None,
        });
    };
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{i.tr(K::NavMicro)}</h1>
                <A href="/micro-consultations/raise" attr:class="button primary">{i.tr(K::RaiseIssue)}</A>
            </div>
            <p class="lead">{i.tr(K::AreaMicroDesc)}</p>
            {move || page.get().and_then(|p| p.ok()).map(|p| view! {
                <dl class="summary-counts">
                    <div><dt>{i.tr(K::CountRaised)}</dt><dd>{p.counts.raised}</dd></div>
                    <div><dt>{i.tr(K::CountInProgress)}</dt><dd>{p.counts.in_progress}</dd></div>
                    <div><dt>{i.tr(K::CountResolved)}</dt><dd>{p.counts.resolved}</dd></div>
                    <div><dt>{i.tr(K::CountOverdueMeasures)}</dt><dd>{p.counts.overdue_measures}</dd></div>
                </dl>
            })}
            <div class="filters">
                <label class="visually-hidden" for="micro-state">{i.tr(K::StateLabel)}</label>
                <select id="micro-state" bind:value=state_filter on:change=move |_| apply()>
                    <option value="">{i.tr(K::AllStates)}</option>
                    {MicroState::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str()>{move || micro_state_label(i, s)}</option> }
                    }).collect_view()}
                </select>
                <label class="visually-hidden" for="micro-workstation">{i.tr(K::Workstation)}</label>
                <select id="micro-workstation" bind:value=workstation_filter on:change=move |_| apply()>
                    <option value="">{i.tr(K::AllWorkstations)}</option>
                    {move || org.get().and_then(|o| o.ok()).map(|o| o.workstations.into_iter().map(|w| view! {
                        <option value=w.id.0.to_string()>{w.name}</option>
                    }).collect_view())}
                </select>
                <label class="visually-hidden" for="micro-department">{i.tr(K::Department)}</label>
                <select id="micro-department" bind:value=department_filter on:change=move |_| apply()>
                    <option value="">{i.tr(K::AllDepartments)}</option>
                    {move || org.get().and_then(|o| o.ok()).map(|o| o.departments.into_iter().map(|d| view! {
                        <option value=d.id.0.to_string()>{d.name}</option>
                    }).collect_view())}
                </select>
                <label class="visually-hidden" for="micro-year">{i.tr(K::Year)}</label>
                <select id="micro-year" bind:value=year_filter on:change=move |_| apply()>
                    <option value="">{i.tr(K::AllYears)}</option>
                    {(0..5).map(|n| {
                        let y = this_year - n;
                        view! { <option value=y.to_string()>{move || i.fill(K::YearN, &[("n", y.to_string())])}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <Empty text=Signal::derive(move || i.t(if query.with(|q| *q == MicroQuery::default()) { K::AreaEmptyMicro } else { K::NoMicro }).to_owned())/>
                }.into_any(),
                Some(Ok(p)) => {
                    let next = p.next_cursor.clone();
                    view! {
                        <ul class="item-list micro">
                            {p.items.into_iter().map(|m| view! {
                                <li class="item">
                                    <A href=format!("/micro-consultations/{}", m.id) attr:class="item-title">{m.title.clone()}</A>
                                    <span class=format!("badge micro-{}", m.state.as_str())>{micro_state_label(i, m.state)}</span>
                                    {m.workstation.clone().map(|w| view! { <span class="item-meta">{w}</span> })}
                                    {(!m.location.is_empty()).then(|| view! { <span class="item-meta">{m.location.clone()}</span> })}
                                    <span class="item-meta"><time datetime=format::iso(m.created_at)>{format::date_time(m.created_at)}</time></span>
                                </li>
                            }).collect_view()}
                        </ul>
                        <Pager previous next cursor={Signal::derive(move || query.with(|q| q.cursor.clone()))} go={move |c: Option<String>| query.update(|q| q.cursor = c)}/>
                    }.into_any()
                }
            }}
        </section>
    }
}
