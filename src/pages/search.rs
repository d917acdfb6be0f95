//! The search results page (`/search?q=…&kind=…&year=…&page=…`): the URL holds the query, so
//! results can be shared, bookmarked and revisited with the back button.

use crate::api::Search;
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, I18n, K};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use yishi_api::*;

pub fn kind_label(i: I18n, kind: SearchKind) -> &'static str {
    i.t(match kind {
        SearchKind::Consultation => K::SearchKindConsultation,
        SearchKind::ConsultationPost => K::SearchKindConsultationPost,
        SearchKind::Micro => K::SearchKindMicro,
        SearchKind::MicroPost => K::SearchKindMicroPost,
        SearchKind::ReadingGroup => K::SearchKindReadingGroup,
        SearchKind::ReadingPost => K::SearchKindReadingPost,
        SearchKind::Suggestion => K::SearchKindSuggestion,
    })
}

/// Matched words highlighted, everything as text.
fn marked(parts: Vec<SnippetPart>) -> impl IntoView {
    parts
        .into_iter()
        .map(|p| {
            if p.hit {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                view! { <span>{p.text}</span> }.into_any()
            }
        })
        .collect_view()
}

/// The path of a search with these parameters.
pub fn search_href(q: &str, kind: Option<SearchKind>, year: Option<i32>, page: u32) -> String {
    let mut href = format!("/search?q={}", js_sys::encode_uri_component(q));
    if let Some(k) = kind {
        href.push_str(&format!("&kind={}", k.as_str()));
    }
    if let Some(y) = year {
        href.push_str(&format!("&year={y}"));
    }
    if page > 1 {
        href.push_str(&format!("&page={page}"));
    }
    href
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let kind = Memo::new(move |_| query.read().get("kind").and_then(|k| SearchKind::parse(&k)));
    let year = Memo::new(move |_| query.read().get("year").and_then(|y| y.parse::<i32>().ok()));
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    });
    let results = LocalResource::new(move || {
        let (q, kind, year, page) = (q.get(), kind.get(), year.get(), page.get());
        async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(Search::query(&q, kind, year, page).await)
            }
        }
    });
    let draft = RwSignal::new(String::new());
    Effect::new(move || draft.set(q.get()));
    let go = {
        let navigate = navigate.clone();
        move |k: Option<SearchKind>, y: Option<i32>, p: u32| {
            navigate(
                &search_href(&q.get_untracked(), k, y, p),
                Default::default(),
            );
        }
    };
    let submit = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = draft.get_untracked();
            if !text.trim().is_empty() {
                navigate(
                    &search_href(text.trim(), kind.get_untracked(), year.get_untracked(), 1),
                    Default::default(),
                );
            }
        }
    };
    let this_year = crate::pages::this_year();
    let go_kind = go.clone();
    let go_year = go.clone();
    let go_page = go.clone();
    view! {
        <section class="page search-page">
            <h1>{i.tr(K::SearchTitle)}</h1>
            <form class="search-form" role="search" on:submit=submit>
                <label for="search-page-q" class="visually-hidden">{i.tr(K::SearchLabel)}</label>
                <input id="search-page-q" type="search" maxlength="100" prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    placeholder=i.tr(K::SearchPlaceholder)/>
                <button type="submit" class="button primary">{i.tr(K::SearchButton)}</button>
            </form>
            <div class="filters">
                <label for="search-kind">{i.tr(K::SearchKindFilter)}</label>
                <select id="search-kind" prop:value=move || kind.get().map(|k| k.as_str()).unwrap_or("")
                    on:change=move |ev| go_kind(SearchKind::parse(&event_target_value(&ev)), year.get_untracked(), 1)>
                    <option value="">{i.tr(K::SearchAllKinds)}</option>
                    {SearchKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str()>{move || kind_label(i, *k)}</option>
                    }).collect_view()}
                </select>
                <label for="search-year">{i.tr(K::Year)}</label>
                <select id="search-year" prop:value=move || year.get().map(|y| y.to_string()).unwrap_or_default()
                    on:change=move |ev| go_year(kind.get_untracked(), event_target_value(&ev).parse().ok(), 1)>
                    <option value="">{i.tr(K::SearchAllYears)}</option>
                    {(0..6).map(|n| {
                        let y = this_year - n;
                        view! { <option value=y.to_string()>{move || i.fill(K::YearN, &[("n", y.to_string())])}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || match results.get() {
                None => view! { <Loading/> }.into_any(),
                Some(None) => view! { <p class="hint">{i.tr(K::SearchHint)}</p> }.into_any(),
                Some(Some(Err(f))) => view! { <ErrorNotice failure=f on_retry=move |_| results.refetch()/> }.into_any(),
                Some(Some(Ok(r))) if r.items.is_empty() => view! {
                    <Empty text=Signal::derive(move || i.fill(K::SearchNothing, &[("q", q.get())]))/>
                }.into_any(),
                Some(Some(Ok(r))) => {
                    let go_page = go_page.clone();
                    let go_back = go_page.clone();
                    let page_now = r.page;
                    view! {
                        <ol class="search-results" start=((page_now - 1) * SEARCH_PAGE_SIZE + 1).to_string()>
                            {r.items.into_iter().map(|hit| view! {
                                <li class="card search-hit">
                                    <p class="item-meta">
                                        <span class="badge">{move || kind_label(i, hit.kind)}</span>
                                        " "{format::date_time(hit.created_at)}
                                    </p>
                                    <h2><A href=hit.link.clone()>{marked(hit.title_parts)}</A></h2>
                                    <p class="snippet">{marked(hit.snippet)}</p>
                                </li>
                            }).collect_view()}
                        </ol>
                        <div class="pager" hidden=page_now <= 1 && !r.has_more>
                            <button type="button" class="button secondary" disabled=page_now <= 1
                                on:click=move |_| go_back(kind.get_untracked(), year.get_untracked(), page_now - 1)>{i.tr(K::PrevPage)}</button>
                            <span class="page-number">{move || i.fill(K::SearchPageN, &[("n", page_now.to_string())])}</span>
                            <button type="button" class="button secondary" disabled=!r.has_more
                                on:click=move |_| go_page(kind.get_untracked(), year.get_untracked(), page_now + 1)>{i.tr(K::NextPage)}</button>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
