//! My activity (own items by area, account security) and member profiles.

use crate::api::Member;
use crate::components::states::{Empty, ErrorNotice, Loading, RequireUser};
use crate::i18n::{use_i18n, I18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use yishi_api::{Area, MemberProfile, MyActivity as Activity};

fn profile_facts(i: I18n, p: &MemberProfile) -> impl IntoView {
    let fact = move |key: K, value: Option<String>| {
        view! {
            <dt>{i.tr(key)}</dt>
            <dd>{value.unwrap_or_else(|| i.t(K::NotSet).to_owned())}</dd>
        }
    };
    view! {
        <dl class="facts">
            <dt>{i.tr(K::RoleLabel)}</dt><dd>{i.role(p.role)}</dd>
            {fact(K::Title, p.title.clone())}
            {if p.role == yishi_api::Role::Official {
                fact(K::Department, p.department.clone()).into_any()
            } else {
                view! {
                    {fact(K::Sector, p.sector.clone())}
                    {fact(K::Committee, p.committee.clone())}
                    {fact(K::Workstation, p.workstation.clone())}
                }.into_any()
            }}
        </dl>
    }
}

#[component]
pub fn MyActivity() -> impl IntoView {
    view! { <RequireUser><MyActivityPage/></RequireUser> }
}

#[component]
fn MyActivityPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let activity = LocalResource::new(Member::activity);
    let sign_out_everywhere = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            if Member::sign_out_everywhere().await.is_ok() {
                session.user.set(None);
                session.reload();
                navigate("/signin", Default::default());
            }
        });
    };
    let group = move |a: &Activity, area: Area, title: K, empty: K| {
        let items = a
            .groups
            .iter()
            .find(|g| g.area == area)
            .map(|g| g.items.clone())
            .unwrap_or_default();
        view! {
            <section class="card">
                <h2>{i.tr(title)}</h2>
                {if items.is_empty() {
                    view! { <Empty text=Signal::derive(move || i.t(empty).to_owned())/> }.into_any()
                } else {
                    view! { <ul class="item-list">{items.into_iter().map(|it| view! { <li class="item">{it.title}</li> }).collect_view()}</ul> }.into_any()
                }}
            </section>
        }
    };
    view! {
        <section class="page">
            <h1>{i.tr(K::MyActivityTitle)}</h1>
            {move || match activity.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| activity.refetch()/> }.into_any(),
                Some(Ok(a)) => view! {
                    <section class="card">
                        <h2>{i.tr(K::MyProfile)}</h2>
                        <p class="profile-name">{a.profile.display_name.clone()}</p>
                        {profile_facts(i, &a.profile)}
                        <p><A href=format!("/members/{}", a.profile.id)>{i.tr(K::ViewProfile)}</A></p>
                    </section>
                    {group(&a, Area::Consultation, K::MyConsultations, K::MyEmptyConsultations)}
                    {group(&a, Area::MicroConsultation, K::MyMicro, K::MyEmptyMicro)}
                    {group(&a, Area::ReadingGroup, K::MyReading, K::MyEmptyReading)}
                }.into_any(),
            }}
            <section class="card">
                <h2>{i.tr(K::AccountSecurity)}</h2>
                <p><A href="/change-password">{i.tr(K::ChangePasswordTitle)}</A></p>
                <p class="hint">{i.tr(K::SignOutEverywhereHint)}</p>
                <button type="button" class="button secondary" on:click=sign_out_everywhere>{i.tr(K::SignOutEverywhere)}</button>
            </section>
        </section>
    }
}

#[component]
pub fn Profile() -> impl IntoView {
    view! { <RequireUser><ProfilePage/></RequireUser> }
}

#[component]
fn ProfilePage() -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let profile = LocalResource::new(move || {
        let id = params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0);
        Member::profile(id)
    });
    view! {
        <section class="page narrow">
            {move || match profile.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <h1>{i.tr(K::ProfileTitle)}</h1><ErrorNotice failure=f/> }.into_any(),
                Some(Ok(p)) => view! {
                    <h1>{p.display_name.clone()}</h1>
                    {profile_facts(i, &p)}
                }.into_any(),
            }}
        </section>
    }
}
