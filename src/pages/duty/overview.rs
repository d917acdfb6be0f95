//! The staff overview: every member's total and grade for a year, sortable, filtered by
//! sector and committee, exported as CSV.

use super::{grade_label, this_year};
use crate::api::{Duty, Public};
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn DutyOverviewPage() -> impl IntoView {
    let i = use_i18n();
    let year = RwSignal::new(this_year());
    let sector = RwSignal::new(String::new());
    let committee = RwSignal::new(String::new());
    let sort = RwSignal::new("total".to_owned());
    let query = Memo::new(move |_| {
        Duty::overview_query(
            year.get(),
            sector.get().parse().ok(),
            committee.get().parse().ok(),
            &sort.get(),
        )
    });
    let rows = LocalResource::new(move || Duty::overview(query.get()));
    let org = LocalResource::new(Public::organisation);
    view! {
        <div class="toolbar">
            <h2>{i.tr(K::DutyOverview)}</h2>
            <a class="button secondary" href=move || Duty::export_url(&query.get()) download="">{i.tr(K::ExportCsv)}</a>
        </div>
        <p class="hint">{i.tr(K::DutyOverviewHint)}" "<A href="/admin/duty/activities">{i.tr(K::DutyActivities)}</A>" · "<A href="/admin/duty/rules">{i.tr(K::DutyRules)}</A></p>
        <div class="filters">
            <label for="overview-year">{i.tr(K::Year)}</label>
            <select id="overview-year" on:change=move |ev| if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }>
                {(0..5).map(|n| {
                    let y = this_year() - n;
                    view! { <option value=y.to_string() selected=n == 0>{move || i.fill(K::YearN, &[("n", y.to_string())])}</option> }
                }).collect_view()}
            </select>
            <label for="overview-sector">{i.tr(K::Sector)}</label>
            <select id="overview-sector" bind:value=sector>
                <option value="">{i.tr(K::AllSectors)}</option>
                {move || org.get().and_then(|o| o.ok()).map(|o| o.sectors.into_iter().map(|s| view! { <option value=s.id.0.to_string()>{s.name}</option> }).collect_view())}
            </select>
            <label for="overview-committee">{i.tr(K::Committee)}</label>
            <select id="overview-committee" bind:value=committee>
                <option value="">{i.tr(K::AllCommittees)}</option>
                {move || org.get().and_then(|o| o.ok()).map(|o| o.committees.into_iter().map(|c| view! { <option value=c.id.0.to_string()>{c.name}</option> }).collect_view())}
            </select>
            <label for="overview-sort">{i.tr(K::SortBy)}</label>
            <select id="overview-sort" bind:value=sort>
                <option value="total">{i.tr(K::SortByPoints)}</option>
                <option value="name">{i.tr(K::SortByName)}</option>
            </select>
        </div>
        {move || match rows.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| rows.refetch()/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::NoMembersMatch).to_owned())/> }.into_any(),
            Some(Ok(list)) => view! {
                <table class="ledger overview">
                    <thead><tr>
                        <th scope="col">{i.tr(K::DisplayName)}</th>
                        <th scope="col">{i.tr(K::Sector)}</th>
                        <th scope="col">{i.tr(K::Committee)}</th>
                        <th scope="col" class="num">{i.tr(K::Points)}</th>
                        <th scope="col">{i.tr(K::Grade)}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| view! {
                            <tr>
                                <td><A href=format!("/admin/duty/members/{}", r.member.id)>{r.member.name.clone()}</A></td>
                                <td>{r.sector.clone().unwrap_or_default()}</td>
                                <td>{r.committee.clone().unwrap_or_default()}</td>
                                <td class="num">{r.total}</td>
                                <td><span class=format!("badge grade-{}", r.grade.as_str())>{grade_label(i, r.grade)}</span></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
