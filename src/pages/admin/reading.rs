//! The reading catalogue: reading periods and books (with chapters and a cover) that groups
//! are made from.

use crate::api::{Failure, Reading};
use crate::components::states::{field_problem, Empty, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use wasm_bindgen::JsCast;
use yishi_api::*;

#[component]
pub fn AdminReading() -> impl IntoView {
    let i = use_i18n();
    view! {
        <h2>{i.tr(K::ReadingCatalogue)}</h2>
        <p><A href="/reading-groups/new" attr:class="button primary">{i.tr(K::NewReadingGroup)}</A></p>
        <Periods/>
        <Books/>
    }
}

#[component]
fn Periods() -> impl IntoView {
    let i = use_i18n();
    let periods = LocalResource::new(Reading::periods);
    let name = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let name_problem = field_problem(failure, "name");
    let starts_problem = field_problem(failure, "starts_on");
    let ends_problem = field_problem(failure, "ends_on");
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = ReadingPeriodInput {
            name: name.get_untracked(),
            starts_on: starts.get_untracked(),
            ends_on: ends.get_untracked(),
        };
        spawn_local(async move {
            match Reading::create_period(body).await {
                Ok(_) => {
                    let _ = failure.try_set(None);
                    let _ = name.try_set(String::new());
                    periods.refetch();
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="periods-title">
            <h3 id="periods-title">{i.tr(K::ReadingPeriods)}</h3>
            {move || match periods.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| periods.refetch()/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::NoPeriods).to_owned())/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="item-list">
                        {list.into_iter().map(|p| view! {
                            <li class="item"><span class="item-title">{p.name}</span><span class="item-meta">{format!("{} 至 {}", p.starts_on, p.ends_on)}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <form class="form" on:submit=add novalidate>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                <label for="period-name">{i.tr(K::PeriodName)}</label>
                <input id="period-name" type="text" maxlength="60" bind:value=name aria-describedby="period-name-error"/>
                <p id="period-name-error" class="field-error">{name_problem}</p>
                <label for="period-starts">{i.tr(K::StartsOn)}</label>
                <input id="period-starts" type="date" bind:value=starts aria-describedby="period-starts-error"/>
                <p id="period-starts-error" class="field-error">{starts_problem}</p>
                <label for="period-ends">{i.tr(K::EndsOn)}</label>
                <input id="period-ends" type="date" bind:value=ends aria-describedby="period-ends-error"/>
                <p id="period-ends-error" class="field-error">{ends_problem}</p>
                <button type="submit" class="button primary">{i.tr(K::AddPeriod)}</button>
            </form>
        </section>
    }
}

#[component]
fn Books() -> impl IntoView {
    let i = use_i18n();
    let books = LocalResource::new(Reading::books);
    let title = RwSignal::new(String::new());
    let author = RwSignal::new(String::new());
    let publisher = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let chapters = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let cover_failure = RwSignal::new(None::<Failure>);
    let title_problem = field_problem(failure, "title");
    let chapters_problem = field_problem(failure, "chapters");
    let year_problem = field_problem(failure, "year");
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = BookInput {
            title: title.get_untracked(),
            author: author.get_untracked(),
            publisher: publisher.get_untracked(),
            year: year.get_untracked().trim().parse().ok(),
            chapters: chapters
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        spawn_local(async move {
            match Reading::create_book(body).await {
                Ok(_) => {
                    let _ = failure.try_set(None);
                    for s in [title, author, publisher, year, chapters] {
                        let _ = s.try_set(String::new());
                    }
                    books.refetch();
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="books-title">
            <h3 id="books-title">{i.tr(K::Books)}</h3>
            {move || cover_failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            {move || match books.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| books.refetch()/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::NoBooks).to_owned())/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="books">
                        {list.into_iter().map(|b| {
                            let bid = b.id;
                            let input_id = format!("cover-{bid}");
                            let label_for = input_id.clone();
                            view! {
                                <li class="book">
                                    {b.cover_url.clone().map(|u| view! { <img class="cover" src=u alt=format!("《{}》", b.title) width="72" height="96"/> })}
                                    <div>
                                        <p class="book-title">{format!("《{}》", b.title)}</p>
                                        <p class="item-meta">{format!("{} · {} · {}", b.author, b.publisher, b.year.map(|y| y.to_string()).unwrap_or_default())}</p>
                                        <p class="item-meta">{move || i.fill(K::ChapterCount, &[("n", b.chapters.len().to_string())])}</p>
                                        <label for=label_for>{i.tr(K::UploadCover)}</label>
                                        <input id=input_id type="file" accept="image/png,image/jpeg,image/webp,image/gif"
                                            on:change=move |ev| {
                                                let file = ev.target()
                                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                                    .and_then(|input| input.files())
                                                    .and_then(|files| files.get(0));
                                                if let Some(file) = file {
                                                    spawn_local(async move {
                                                        match Reading::set_cover(bid, file).await {
                                                            Ok(_) => {
                                                                let _ = cover_failure.try_set(None);
                                                                books.refetch();
                                                            }
                                                            Err(f) => {
                                                                let _ = cover_failure.try_set(Some(f));
                                                            }
                                                        }
                                                    });
                                                }
                                            }/>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <form class="form" on:submit=add novalidate>
                <h4>{i.tr(K::AddBook)}</h4>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                <label for="book-title">{i.tr(K::BookTitle)}</label>
                <input id="book-title" type="text" maxlength="100" bind:value=title aria-describedby="book-title-error"/>
                <p id="book-title-error" class="field-error">{title_problem}</p>
                <label for="book-author">{i.tr(K::BookAuthor)}</label>
                <input id="book-author" type="text" maxlength="100" bind:value=author/>
                <label for="book-publisher">{i.tr(K::BookPublisher)}</label>
                <input id="book-publisher" type="text" maxlength="100" bind:value=publisher/>
                <label for="book-year">{i.tr(K::BookYear)}</label>
                <input id="book-year" type="number" min="1" max="2100" class="narrow" bind:value=year aria-describedby="book-year-error"/>
                <p id="book-year-error" class="field-error">{year_problem}</p>
                <label for="book-chapters">{i.tr(K::BookChapters)}</label>
                <textarea id="book-chapters" rows="6" bind:value=chapters aria-describedby="book-chapters-hint book-chapters-error"></textarea>
                <p id="book-chapters-hint" class="hint">{i.tr(K::BookChaptersHint)}</p>
                <p id="book-chapters-error" class="field-error">{chapters_problem}</p>
                <button type="submit" class="button primary">{i.tr(K::AddBook)}</button>
            </form>
        </section>
    }
}
