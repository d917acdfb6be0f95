//! The follow-up list: an official's department inbox, staff's overview (counts per
//! department, drill-down, CSV export), a member's items to rate.

use super::{follow_up_state_label, source_label};
use crate::api::{FollowUpQuery, FollowUps};
use crate::components::pager::Pager;
use crate::components::states::{Empty, ErrorNotice, Loading, RequireUser};
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use yishi_api::*;

#[component]
pub fn FollowUpInbox() -> impl IntoView {
    view! { <RequireUser><InboxPage/></RequireUser> }
}

#[component]
fn InboxPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let role = session
        .user
        .with_untracked(|u| u.as_ref().map(|u| u.role))
        .unwrap_or(Role::Member);
    let staff = role == Role::Admin;
    let query = RwSignal::new(FollowUpQuery::default());
    let previous = RwSignal::new(Vec::<Option<String>>::new());
    let page = LocalResource::new(move || FollowUps::list(query.get()));
    let stats = LocalResource::new(move || async move {
        if staff {
            FollowUps::stats().await.map(Some)
        } else {
            Ok(None)
        }
    });
    let state_filter = RwSignal::new(String::new());
    let source_filter = RwSignal::new(String::new());
    let department_filter = RwSignal::new(String::new());
    let overdue_filter = RwSignal::new(false);
    let apply = move || {
        previous.set(Vec::new());
        query.set(FollowUpQuery {
            state: FollowUpState::parse(&state_filter.get_untracked()),
            overdue: overdue_filter.get_untracked(),
            department: department_filter.get_untracked().parse().ok(),
            source: FollowUpSource::parse(&source_filter.get_untracked()),
            cursor: None,
        });
    };
    let title = match role {
        Role::Admin => K::FollowUpOverview,
        Role::Official => K::DepartmentInbox,
        Role::Member => K::ItemsToRate,
    };
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{i.tr(title)}</h1>
                {staff.then(|| view! {
                    <a class="button secondary" href=move || query.with(FollowUpQuery::export_url) download="">{i.tr(K::ExportCsv)}</a>
                })}
            </div>
            {staff.then(|| view! {
                {move || match stats.get() {
                    Some(Ok(Some(lines))) if !lines.is_empty() => view! {
                        <h2>{i.tr(K::PerDepartment)}</h2>
                        <div class="table-wrap">
                            <table class="table stats">
                                <thead><tr>
                                    <th scope="col">{i.tr(K::Department)}</th>
                                    <th scope="col">{i.tr(K::FuAssigned)}</th>
                                    <th scope="col">{i.tr(K::FuInHandling)}</th>
                                    <th scope="col">{i.tr(K::FuReplied)}</th>
                                    <th scope="col">{i.tr(K::Overdue)}</th>
                                    <th scope="col">{i.tr(K::AverageDays)}</th>
                                    <th scope="col">{i.tr(K::Satisfaction)}</th>
                                </tr></thead>
                                <tbody>
                                    {lines.into_iter().map(|l| {
                                        let dept = l.department.id.0;
                                        let rated = l.satisfied + l.basically_satisfied + l.unsatisfied;
                                        let late = l.overdue > 0;
                                        view! {
                                            <tr>
                                                <th scope="row" data-label=i.t(K::Department)>
                                                    <button type="button" class="link-button" on:click=move |_| {
                                                        department_filter.set(dept.to_string());
                                                        apply();
                                                    }>{l.department.name.clone()}</button>
                                                </th>
                                                <td data-label=i.t(K::FuAssigned)>{l.assigned + l.returned}</td>
                                                <td data-label=i.t(K::FuInHandling)>{l.in_handling}</td>
                                                <td data-label=i.t(K::FuReplied)>{l.replied}</td>
                                                <td data-label=i.t(K::Overdue) class:alert=late>{l.overdue}</td>
                                                <td data-label=i.t(K::AverageDays)>{l.average_working_days_to_reply.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())}</td>
                                                <td data-label=i.t(K::Satisfaction)>{if rated == 0 { "—".to_owned() } else {
                                                    i.fill(K::SatisfactionLine, &[("s", l.satisfied.to_string()), ("b", l.basically_satisfied.to_string()), ("u", l.unsatisfied.to_string())])
                                                }}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| stats.refetch()/> }.into_any(),
                    _ => ().into_any(),
                }}
            })}
            <div class="filters">
                <label class="visually-hidden" for="fu-state">{i.tr(K::StateLabel)}</label>
                <select id="fu-state" bind:value=state_filter on:change=move |_| apply()>
                    <option value="">{i.tr(K::AllStates)}</option>
                    {FollowUpState::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str()>{move || follow_up_state_label(i, s)}</option> }
                    }).collect_view()}
                </select>
                <label class="visually-hidden" for="fu-source">{i.tr(K::SourceLabel)}</label>
                <select id="fu-source" bind:value=source_filter on:change=move |_| apply()>
                    <option value="">{i.tr(K::AllSources)}</option>
                    {FollowUpSource::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str()>{move || source_label(i, s)}</option> }
                    }).collect_view()}
                </select>
                {staff.then(|| {
                    let org = LocalResource::new(crate::api::Public::organisation);
                    view! {
                        <label class="visually-hidden" for="fu-department">{i.tr(K::Department)}</label>
                        <select id="fu-department" bind:value=department_filter on:change=move |_| apply()>
                            <option value="">{i.tr(K::AllDepartments)}</option>
                            {move || org.get().and_then(|o| o.ok()).map(|o| o.departments.into_iter().map(|d| view! {
                                <option value=d.id.0.to_string()>{d.name}</option>
                            }).collect_view())}
                        </select>
                    }
                })}
                <label class="checkbox" for="fu-overdue">
                    <input type="checkbox" id="fu-overdue" bind:checked=overdue_filter on:change=move |_| apply()/>
                    {i.tr(K::OnlyOverdue)}
                </label>
            </div>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <Empty text=Signal::derive(move || i.t(K::NoFollowUps).to_owned())/>
                }.into_any(),
                Some(Ok(p)) => {
                    let next = p.next_cursor.clone();
                    let total = p.total;
                    view! {
                        <p class="result-count">{i.fill(K::TotalItems, &[("n", total.to_string())])}</p>
                        <ul class="item-list follow-ups">
                            {p.items.into_iter().map(|f| view! {
                                <li class="item">
                                    <A href=format!("/follow-ups/{}", f.id) attr:class="item-title">{f.title.clone()}</A>
                                    <span class=format!("badge fu-{}", f.state.as_str())>{follow_up_state_label(i, f.state)}</span>
                                    {f.overdue.then(|| view! { <span class="badge overdue">"⚠ "{i.tr(K::Overdue)}</span> })}
                                    <span class="item-meta">{source_label(i, f.source)}</span>
                                    <span class="item-meta">{i.tr(K::LeadDepartment)}"："{f.lead.name.clone()}</span>
                                    <span class="item-meta">{i.tr(K::DueDate)}"："{f.due_date.clone()}</span>
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
