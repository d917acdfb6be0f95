//! The reading-group list: state and "mine" filters, unread counts for the member's groups.

use super::{group_state_label, unread_text, visibility_label};
use crate::api::Reading;
use crate::components::pager::Pager;
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use yishi_api::ReadingGroupState;

#[component]
pub fn ReadingList() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let state_filter = RwSignal::new(String::new());
    let mine = RwSignal::new(false);
    let cursor = RwSignal::new(None::<String>);
    let previous = RwSignal::new(Vec::<Option<String>>::new());
    let page = LocalResource::new(move || {
        session.reader.track();
        Reading::list(
            ReadingGroupState::parse(&state_filter.get()),
            mine.get() && session.signed_in(),
            cursor.get(),
        )
    });
    let reset = move || {
        previous.set(Vec::new());
        cursor.set(None);
    };
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{i.tr(K::NavReading)}</h1>
                {move || session.is_admin().then(|| view! {
                    <A href="/reading-groups/new" attr:class="button primary">{i.tr(K::NewReadingGroup)}</A>
                    <A href="/admin/reading" attr:class="button secondary">{i.tr(K::ReadingCatalogue)}</A>
                })}
            </div>
            <p class="lead">{i.tr(K::AreaReadingDesc)}</p>
            <div class="filters">
                <label class="visually-hidden" for="group-state">{i.tr(K::StateLabel)}</label>
                <select id="group-state" bind:value=state_filter on:change=move |_| reset()>
                    <option value="">{i.tr(K::AllStates)}</option>
                    {ReadingGroupState::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str()>{move || group_state_label(i, s)}</option> }
                    }).collect_view()}
                </select>
                {move || session.signed_in().then(|| view! {
                    <label class="checkbox" for="group-mine">
                        <input id="group-mine" type="checkbox" prop:checked=move || mine.get()
                            on:change=move |ev| { mine.set(event_target_checked(&ev)); reset(); }/>
                        {i.tr(K::MyGroupsOnly)}
                    </label>
                })}
            </div>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <Empty text=Signal::derive(move || i.t(K::NoReadingGroups).to_owned())/>
                }.into_any(),
                Some(Ok(p)) => {
                    let next = p.next_cursor.clone();
                    view! {
                        <ul class="item-list reading-groups">
                            {p.items.into_iter().map(|g| {
                                let unread = g.unread_count.filter(|n| *n > 0);
                                let books = g.book_titles.iter().map(|t| format!("《{t}》")).collect::<Vec<_>>().join("");
                                view! {
                                    <li class="item">
                                        <A href=format!("/reading-groups/{}", g.id) attr:class="item-title">{g.name.clone()}</A>
                                        <span class=format!("badge group-{}", g.state.as_str())>{group_state_label(i, g.state)}</span>
                                        {unread.map(|n| view! {
                                            <span class="badge unread">{move || i.fill(K::UnreadN, &[("n", unread_text(n))])}</span>
                                        })}
                                        <span class="item-meta">{books}</span>
                                        {(!g.theme.is_empty()).then(|| view! { <span class="item-meta">{g.theme.clone()}</span> })}
                                        <span class="item-meta">{g.period_name.clone()}</span>
                                        <span class="item-meta">{visibility_label(i, g.visibility)}</span>
                                        <span class="item-meta">{move || i.fill(K::MembersAndPosts, &[("m", g.member_count.to_string()), ("p", g.post_count.to_string())])}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pager previous next cursor=cursor go={move |c: Option<String>| cursor.set(c)}/>
                    }.into_any()
                }
            }}
        </section>
    }
}
