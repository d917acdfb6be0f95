//! The home page (what is open now) and the area landing pages.

use crate::api::Public;
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use yishi_api::{Area, OpenItem};

fn area_path(area: Area) -> &'static str {
    match area {
        Area::Consultation => "/consultations",
        Area::MicroConsultation => "/micro-consultations",
        Area::ReadingGroup => "/reading-groups",
    }
}

fn area_name(area: Area) -> K {
    match area {
        Area::Consultation => K::NavConsultations,
        Area::MicroConsultation => K::NavMicro,
        Area::ReadingGroup => K::NavReading,
    }
}

fn area_description(area: Area) -> K {
    match area {
        Area::Consultation => K::AreaConsultationsDesc,
        Area::MicroConsultation => K::AreaMicroDesc,
        Area::ReadingGroup => K::AreaReadingDesc,
    }
}

#[component]
fn OpenItems(items: Vec<OpenItem>, empty: K) -> impl IntoView {
    let i = use_i18n();
    if items.is_empty() {
        return view! { <Empty text=Signal::derive(move || i.t(empty).to_owned())/> }.into_any();
    }
    view! {
        <ul class="item-list">
            {items.into_iter().map(|item| {
                let href = format!("{}/{}", area_path(item.area), item.id);
                view! {
                    <li class="item">
                        <A href=href attr:class="item-title">{item.title}</A>
                        <span class="item-meta">{i.tr(area_name(item.area))}</span>
                        {item.closes_at.map(|t| view! {
                            <span class="item-meta">{i.tr(K::Closes)}" "<time datetime=format::iso(t)>{format::date_time(t)}</time></span>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn Home() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let overview = LocalResource::new(Public::home);
    view! {
        <section class="page home">
            {move || match overview.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| overview.refetch()/> }.into_any(),
                Some(Ok(home)) => view! {
                    <div class="hero">
                        <h1>{home.committee_name.clone()}<span class="hero-sub">{i.tr(K::HomeTitle)}</span></h1>
                        <p class="lead">{i.tr(K::HomeIntro)}</p>
                        <ul class="stats" role="list">
                            <li><strong>{home.member_count}</strong>" "{i.tr(K::StatMembers)}</li>
                            <li><strong>{home.sector_count}</strong>" "{i.tr(K::StatSectors)}</li>
                            <li><strong>{home.workstation_count}</strong>" "{i.tr(K::StatWorkstations)}</li>
                        </ul>
                    </div>
                    <h2>{i.tr(K::OpenNow)}</h2>
                    <OpenItems items=home.open_items.clone() empty=K::OpenNowEmpty/>
                    <Show when=move || !session.signed_in()>
                        <p class="hint">{i.tr(K::SignInForMore)}</p>
                    </Show>
                    <div class="area-cards">
                        {[Area::Consultation, Area::MicroConsultation, Area::ReadingGroup].into_iter().map(|area| view! {
                            <A href=area_path(area) attr:class="area-card">
                                <span class="area-card-title">{i.tr(area_name(area))}</span>
                                <span class="area-card-text">{i.tr(area_description(area))}</span>
                            </A>
                        }).collect_view()}
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
