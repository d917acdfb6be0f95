use super::{kind_label, state_label};
use crate::api::{ConsultationQuery, Consultations};
use crate::components::pager::Pager;
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use yishi_api::{ConsultationKind, ConsultationState};

#[component]
pub fn ConsultationList() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let state_filter = RwSignal::new(String::new());
    let query = RwSignal::new(ConsultationQuery::default());
    let previous = RwSignal::new(Vec::<Option<String>>::new());
    let page = LocalResource::new(move || Consultations::list(query.get()));
    // Reload when signing in or out: what one may read changes.
    Effect::new(move || {
        session.reader.track();
        page.refetch();
    });
    let kind_filter = RwSignal::new(String::new());
    let year_filter = RwSignal::new(String::new());
    let committee_filter = RwSignal::new(String::new());
    let org = LocalResource::new(crate::api::Public::organisation);
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let on_filter = move |_| {
        previous.set(Vec::new());
        query.set(ConsultationQuery {
            state: ConsultationState::parse(&state_filter.get_untracked()),
            kind: match kind_filter.get_untracked().as_str() {
                "remote" => Some(ConsultationKind::Remote),
                "online" => Some(ConsultationKind::Online),
                _ => None,
            },
            year: year_filter.get_untracked().parse().ok(),
            committee: committee_filter.get_untracked().parse().ok(),
            cursor: None,
        });
    };
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{i.tr(K::NavConsultations)}</h1>
                <Show when=move || session.is_admin()>
                    <A href="/consultations/new" attr:class="button primary">{i.tr(K::NewConsultation)}</A>
                </Show>
            </div>
            <p class="lead">{i.tr(K::AreaConsultationsDesc)}</p>
            <div class="filters">
                <label class="visually-hidden" for="consultation-state">{i.tr(K::StateLabel)}</label>
                <select id="consultation-state" bind:value=state_filter on:change=on_filter>
                    <option value="">{i.tr(K::AllConsultationStates)}</option>
                    {ConsultationState::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str()>{move || state_label(i, s)}</option>
                    }).collect_view()}
                </select>
                <label class="visually-hidden" for="consultation-kind">{i.tr(K::ConsultationKindLabel)}</label>
                <select id="consultation-kind" bind:value=kind_filter on:change=on_filter>
                    <option value="">{i.tr(K::AllKinds)}</option>
                    <option value="remote">{i.tr(K::KindRemote)}</option>
                    <option value="online">{i.tr(K::KindOnline)}</option>
                </select>
                <label class="visually-hidden" for="consultation-year">{i.tr(K::Year)}</label>
                <select id="consultation-year" bind:value=year_filter on:change=on_filter>
                    <option value="">{i.tr(K::AllYears)}</option>
                    {(0..5).map(|n| {
                        let y = this_year + 1 - n;
                        view! { <option value=y.to_string()>{move || i.fill(K::YearN, &[("n", y.to_string())])}</option> }
                    }).collect_view()}
                </select>
                <label class="visually-hidden" for="consultation-committee">{i.tr(K::Committee)}</label>
                <select id="consultation-committee" bind:value=committee_filter on:change=on_filter>
                    <option value="">{i.tr(K::AllCommittees)}</option>
                    {move || org.get().and_then(|o| o.ok()).map(|o| o.committees.into_iter().map(|c| view! {
                        <option value=c.id.0.to_string()>{c.name}</option>
                    }).collect_view())}
                </select>
            </div>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <Empty text=Signal::derive(move || i.t(K::AreaEmptyConsultations).to_owned())/>
                }.into_any(),
                Some(Ok(p)) => {
                    let next = p.next_cursor.clone();
                    view! {
                        <ul class="item-list consultations">
                            {p.items.into_iter().map(|c| view! {
                                <li class="item">
                                    <A href=format!("/consultations/{}", c.id) attr:class="item-title">{c.title.clone()}</A>
                                    <span class=format!("badge state-{}", c.state.as_str())>{state_label(i, c.state)}</span>
                                    <span class="item-meta">{kind_label(i, c.kind)}</span>
                                    {c.starts_at.map(|t| view! {
                                        <span class="item-meta"><time datetime=format::iso(t)>{format::date_time(t)}</time></span>
                                    })}
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
