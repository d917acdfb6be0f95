//! My activity (own items by area, account security) and member profiles.

use crate::api::Member;
use crate::components::states::{Empty, ErrorNotice, Loading, RequireUser};
use crate::i18n::{use_i18n, I18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
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
                        {(a.profile.role == yishi_api::Role::Member).then(|| view! { <p><A href="/duty">{i.tr(K::DutyRecordTitle)}</A></p> })}
                    </section>
                    {group(&a, Area::Consultation, K::MyConsultations, K::MyEmptyConsultations)}
                    {group(&a, Area::MicroConsultation, K::MyMicro, K::MyEmptyMicro)}
                    {(a.profile.role == yishi_api::Role::Member).then(|| view! { <MySuggestionsCard/> })}
                    {group(&a, Area::ReadingGroup, K::MyReading, K::MyEmptyReading)}
                }.into_any(),
            }}
            <MyPendingPosts/>
            <section class="card">
                <h2>{i.tr(K::AccountSecurity)}</h2>
                <p><A href="/change-password">{i.tr(K::ChangePasswordTitle)}</A></p>
                <p class="hint">{i.tr(K::SignOutEverywhereHint)}</p>
                <button type="button" class="button secondary" on:click=sign_out_everywhere>{i.tr(K::SignOutEverywhere)}</button>
            </section>
        </section>
    }
}

/// A member's micro-suggestions with their states (the latest few; the list has them all).
#[component]
fn MySuggestionsCard() -> impl IntoView {
    let i = use_i18n();
    let mine = LocalResource::new(|| crate::api::Suggestions::list(None, true, None));
    view! {
        <section class="card my-suggestions">
            <h2>{i.tr(K::MySuggestions)}</h2>
            {move || match mine.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| mine.refetch()/> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <Empty text=Signal::derive(move || i.t(K::NoOwnSuggestions).to_owned())/>
                }.into_any(),
                Some(Ok(p)) => view! {
                    <ul class="item-list">
                        {p.items.into_iter().take(5).map(|s| view! {
                            <li class="item">
                                <A href=format!("/suggestions/{}", s.id) attr:class="item-title">{s.title.clone()}</A>
                                <span class="badge">{super::followup::suggestion_state_label(i, s.state)}</span>
                                {s.follow_up.map(|f| view! {
                                    <span class=format!("badge fu-{}", f.state.as_str())>{super::followup::follow_up_state_label(i, f.state)}</span>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <p class="button-row">
                <A href="/suggestions/new" attr:class="button primary">{i.tr(K::NewSuggestion)}</A>
                <A href="/suggestions?view=mine" attr:class="button secondary">{i.tr(K::AllMySuggestions)}</A>
            </p>
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
    let id = crate::components::route::use_id();
    let profile = LocalResource::new(move || Member::profile(id.get()));
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

/// The member's own posts waiting for a moderator (shown only when there are some).
#[component]
fn MyPendingPosts() -> impl IntoView {
    let i = use_i18n();
    let pending = LocalResource::new(crate::api::Moderation::my_pending);
    view! {
        {move || pending.get().and_then(Result::ok).filter(|items| !items.is_empty()).map(|items| view! {
            <section class="card pending-posts">
                <h2>{i.tr(K::MyPendingPosts)}</h2>
                <p class="hint">{i.tr(K::MyPendingPostsHint)}</p>
                <ul class="item-list">
                    {items.into_iter().map(|item| view! {
                        <li class="item">
                            <p class="item-meta">
                                <span class="badge">{i.tr(K::PendingBadge)}</span>" "
                                <A href=item.link.clone()>{item.container_title.clone()}</A>
                                " · "{crate::format::date_time(item.created_at)}
                            </p>
                            // Sanitised on the server: the only HTML the app inserts.
                            <div class="post-body" inner_html=item.body_html.clone()></div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}
