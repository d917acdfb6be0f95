//! One reading group: what it reads and when, joining, check-ins and progress, the people
//! (the owner adds and removes members), staff state changes, and the thread.

use super::thread::Thread;
use super::{group_state_label, role_label, visibility_label};
use crate::api::{Failure, Reading};
use crate::components::states::{ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

#[component]
pub fn ReadingGroupPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let id = crate::components::route::use_id();
    let detail = LocalResource::new(move || {
        session.reader.track();
        Reading::detail(id.get())
    });
    // Joining, leaving and check-ins answer with the new detail: the parts that show it
    // follow this signal, while the thread and the people list stay where they are.
    let current = RwSignal::new(None::<ReadingGroupDetail>);
    Effect::new(move || {
        if let Some(d) = current.get() {
            document().set_title(&format!(
                "{} · {} · {}",
                d.summary.name,
                i.t(K::NavReading),
                i.t(K::AppName)
            ));
        }
    });
    view! {
        <section class="page reading-group">
            <p class="breadcrumbs"><A href="/reading-groups">{i.tr(K::NavReading)}</A></p>
            {move || match detail.get() {
                Some(Err(f)) => view! { <h1>{i.tr(K::ReadingGroupTitle)}</h1><ErrorNotice failure=f on_retry=move |_| detail.refetch()/> }.into_any(),
                Some(Ok(d)) => view! { <GroupView detail=d current/> }.into_any(),
                None => view! { <Loading/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn GroupView(
    detail: ReadingGroupDetail,
    current: RwSignal<Option<ReadingGroupDetail>>,
) -> impl IntoView {
    let session = use_session();
    let gid = detail.summary.id;
    let books = detail.books.clone();
    current.set(Some(detail));
    let manage = Signal::derive(move || {
        current.with(|c| {
            c.as_ref()
                .is_some_and(|d| super::offered(d.actions).manage_members)
        })
    });
    view! {
        {move || current.get().map(|d| view! { <Header detail=d.clone() current/> <Plan detail=d current/> })}
        {move || session.signed_in().then(|| view! { <People gid manage current/> })}
        {crate::session::members_view(|| view! { <crate::components::report::PremoderationSwitch kind="reading_group" id=gid/> })}
        <Thread gid books current/>
    }
}

/// Runs a group call and shows its answer (or its failure).
fn act(
    current: RwSignal<Option<ReadingGroupDetail>>,
    failure: RwSignal<Option<Failure>>,
    call: impl std::future::Future<Output = Result<ReadingGroupDetail, Failure>> + 'static,
) {
    spawn_local(async move {
        match call.await {
            Ok(d) => {
                let _ = failure.try_set(None);
                let _ = current.try_set(Some(d));
            }
            Err(f) => {
                let _ = failure.try_set(Some(f));
            }
        }
    });
}

#[component]
fn Header(
    detail: ReadingGroupDetail,
    current: RwSignal<Option<ReadingGroupDetail>>,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let failure = RwSignal::new(None::<Failure>);
    let gid = detail.summary.id;
    let s = &detail.summary;
    let a = super::offered(detail.actions);
    let state = s.state;
    view! {
        <header class="group-header">
            <h1>{s.name.clone()}</h1>
            <p class="kicker">
                <span class=format!("badge group-{}", state.as_str())>{group_state_label(i, state)}</span>
                " "<span class="item-meta">{visibility_label(i, s.visibility)}</span>
                " "<span class="item-meta">{format!("{}（{} 至 {}）", detail.period.name, detail.period.starts_on, detail.period.ends_on)}</span>
            </p>
            {(!s.theme.is_empty()).then(|| view! { <p class="lead">{s.theme.clone()}</p> })}
            <div class="prose" inner_html=detail.description_html.clone()></div>
            <p class="group-people">
                {i.tr(K::RoleOwner)}"："{detail.owner.name.clone()}
                {(!detail.leaders.is_empty()).then(|| view! {
                    "　"{i.tr(K::RoleLeader)}"："{detail.leaders.iter().map(|l| l.name.clone()).collect::<Vec<_>>().join("、")}
                })}
                "　"{i.fill(K::MembersAndPosts, &[("m", s.member_count.to_string()), ("p", s.post_count.to_string())])}
            </p>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <div class="actions">
                {a.join.then(|| view! {
                    <button type="button" class="button primary" on:click=move |_| act(current, failure, Reading::join(gid))>{i.tr(K::JoinGroup)}</button>
                })}
                {(!session.signed_in() && state != ReadingGroupState::Closed).then(|| view! {
                    <A href=format!("/signin?next=/reading-groups/{gid}") attr:class="button secondary">{i.tr(K::SignInToJoin)}</A>
                })}
                {a.leave.then(|| view! {
                    <button type="button" class="button secondary" on:click=move |_| act(current, failure, Reading::leave(gid))>{i.tr(K::LeaveGroup)}</button>
                })}
                {a.edit.then(|| view! {
                    <A href=format!("/reading-groups/{gid}/edit") attr:class="button secondary">{i.tr(K::EditGroup)}</A>
                    {(state != ReadingGroupState::Open).then(|| view! {
                        <button type="button" class="button secondary" on:click=move |_| act(current, failure, Reading::change_state(gid, ReadingGroupState::Open))>{i.tr(K::OpenGroup)}</button>
                    })}
                    {(state == ReadingGroupState::Open).then(|| view! {
                        <button type="button" class="button secondary" on:click=move |_| act(current, failure, Reading::change_state(gid, ReadingGroupState::Closed))>{i.tr(K::CloseGroup)}</button>
                    })}
                })}
            </div>
            {(state == ReadingGroupState::Closed).then(|| view! { <p class="notice">{i.tr(K::GroupClosedNotice)}</p> })}
        </header>

        <section class="card" aria-labelledby="books-title">
            <h2 id="books-title">{i.tr(K::GroupBooks)}</h2>
            <ul class="books">
                {detail.books.iter().map(|b| {
                    let facts = [b.author.clone(), b.publisher.clone(), b.year.map(|y| y.to_string()).unwrap_or_default()]
                        .into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" · ");
                    view! {
                        <li class="book">
                            {b.cover_url.clone().map(|u| view! { <img class="cover" src=u alt=format!("《{}》", b.title) width="96" height="128" loading="lazy"/> })}
                            <div>
                                <p class="book-title">{format!("《{}》", b.title)}</p>
                                <p class="item-meta">{facts}</p>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Plan(
    detail: ReadingGroupDetail,
    current: RwSignal<Option<ReadingGroupDetail>>,
) -> impl IntoView {
    let i = use_i18n();
    let failure = RwSignal::new(None::<Failure>);
    let gid = detail.summary.id;
    let a = super::offered(detail.actions);
    let planned = detail.plan.len();
    let done = detail
        .my_checkins
        .iter()
        .filter(|c| detail.plan.iter().any(|p| p.chapter_id == **c))
        .count();
    let completion = detail.completion_percent;
    let chapter_title = |chapter: i64| {
        detail.books.iter().find_map(|b| {
            b.chapters
                .iter()
                .find(|c| c.id == chapter)
                .map(|c| (b.title.clone(), c.title.clone()))
        })
    };
    view! {
        <section class="card" aria-labelledby="plan-title">
            <h2 id="plan-title">{i.tr(K::ReadingPlan)}</h2>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <p class="progress-line">
                {i.fill(K::GroupCompletion, &[("n", completion.to_string())])}
                <progress max="100" value=completion></progress>
            </p>
            {detail.summary.my_role.is_some().then(|| view! { <p class="my-progress">{i.fill(K::MyProgress, &[("done", done.to_string()), ("total", planned.to_string())])}</p> })}
            <table class="plan">
                <thead><tr><th scope="col">{i.tr(K::Week)}</th><th scope="col">{i.tr(K::Chapter)}</th>{a.check_in.then(|| view! { <th scope="col">{i.tr(K::CheckIn)}</th> })}</tr></thead>
                <tbody>
                    {detail.plan.iter().map(|p| {
                        let chapter = p.chapter_id;
                        let week = p.week;
                        let (book, title) = chapter_title(chapter).unwrap_or_default();
                        let checked = detail.my_checkins.contains(&chapter);
                        let input_id = format!("checkin-{chapter}");
                        let label = format!("{} {}", i.t(K::CheckIn), title);
                        view! {
                            <tr class:done=checked>
                                <td>{i.fill(K::WeekN, &[("n", week.to_string())])}</td>
                                <td>{format!("《{book}》{title}")}</td>
                                {a.check_in.then(|| view! {
                                    <td>
                                        <input type="checkbox" id=input_id aria-label=label prop:checked=checked
                                            on:change=move |ev| act(current, failure, Reading::check_in(gid, chapter, event_target_checked(&ev)))/>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Everyone in the group with their progress; the owner and staff add and remove members.
#[component]
fn People(
    gid: i64,
    manage: Signal<bool>,
    current: RwSignal<Option<ReadingGroupDetail>>,
) -> impl IntoView {
    let i = use_i18n();
    // Joining, leaving and check-ins change the list: it follows the group's detail.
    let list = LocalResource::new(move || {
        current.track();
        Reading::members(gid)
    });
    let shown = RwSignal::new(None::<GroupMembers>);
    let failure = RwSignal::new(None::<Failure>);
    Effect::new(move || {
        if let Some(Ok(m)) = list.get() {
            shown.set(Some(m));
        }
    });
    let query = RwSignal::new(String::new());
    let matches = RwSignal::new(Vec::<AccountSummary>::new());
    let apply = move |call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<GroupMembers, Failure>>>,
    >| {
        spawn_local(async move {
            match call.await {
                Ok(m) => {
                    let _ = shown.try_set(Some(m));
                    let _ = failure.try_set(None);
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="people-title">
            <h2 id="people-title">{i.tr(K::GroupPeople)}</h2>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            {move || match (list.get(), shown.get()) {
                (Some(Err(f)), _) => view! { <ErrorNotice failure=f/> }.into_any(),
                (_, Some(m)) => {
                    let total = m.planned_chapters;
                    view! {
                        <ul class="people">
                            {m.members.into_iter().map(|p| {
                                let who = p.id;
                                let removable = manage.get_untracked() && p.role != GroupRole::Owner;
                                let label = format!("{} {}", i.t(K::Remove), p.name);
                                view! {
                                    <li>
                                        <span class="person-name">{p.name.clone()}</span>
                                        <span class="tag">{role_label(i, p.role)}</span>
                                        <span class="item-meta">{move || i.fill(K::ChaptersDone, &[("done", p.chapters_done.to_string()), ("total", total.to_string())])}</span>
                                        {removable.then(|| view! {
                                            <button type="button" class="button secondary small" aria-label=label
                                                on:click=move |_| apply(Box::pin(Reading::remove_member(gid, who)))>{i.tr(K::Remove)}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
                _ => view! { <Loading/> }.into_any(),
            }}
            {move || manage.get().then(|| view! {
                <div class="member-search">
                    <label for="group-member-search">{i.tr(K::AddGroupMember)}</label>
                    <input id="group-member-search" type="search" autocomplete="off" placeholder=i.t(K::MemberSearchHint)
                        prop:value=move || query.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            query.set(text.clone());
                            spawn_local(async move {
                                let found = Reading::candidates(gid, &text).await.unwrap_or_default();
                                if query.try_get_untracked().as_deref() == Some(text.as_str()) {
                                    let _ = matches.try_set(found);
                                }
                            });
                        }/>
                    <ul class="member-matches" aria-live="polite">
                        {move || matches.get().into_iter().map(|m| {
                            let label = format!("{}（{}）", m.display_name, m.username);
                            view! {
                                <li><button type="button" class="button secondary small" on:click=move |_| {
                                    query.set(String::new());
                                    matches.set(Vec::new());
                                    apply(Box::pin(Reading::add_member(gid, m.id)));
                                }>{i.tr(K::Choose)}" "{label}</button></li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </section>
    }
}
