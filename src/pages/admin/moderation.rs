//! Staff moderation: the queue (reported and held posts) with hide, approve and dismiss; the
//! sensitive-word list; the audit log browser.

use crate::api::{Failure, Moderation};
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let i = use_i18n();
    let queue = LocalResource::new(Moderation::queue);
    let outcome = RwSignal::new(None::<Result<(), Failure>>);
    view! {
        <section class="moderation">
            <h2>{i.tr(K::ModerationTitle)}</h2>
            {move || outcome.get().map(|r| match r {
                Ok(()) => view! { <p class="success" role="status">{i.tr(K::Done)}</p> }.into_any(),
                Err(f) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
            })}
            {move || match queue.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| queue.refetch()/> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::ModerationQueueEmpty).to_owned())/> }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="queue">
                        {items.into_iter().map(|item| view! { <QueueCard item queue outcome/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <SensitiveWordList/>
        </section>
    }
}

#[component]
fn QueueCard(
    item: QueueItem,
    queue: LocalResource<Result<Vec<QueueItem>, Failure>>,
    outcome: RwSignal<Option<Result<(), Failure>>>,
) -> impl IntoView {
    let i = use_i18n();
    let reason = RwSignal::new(String::new());
    let id = item.post_id;
    let act = move |step: &'static str| {
        spawn_local(async move {
            let r = if step == "hide" {
                Moderation::hide(id, reason.get_untracked()).await
            } else {
                Moderation::step(id, step).await
            };
            outcome.try_set(Some(r.map(|_| ())));
            queue.refetch();
        });
    };
    let why = match item.reason {
        QueueReason::Reported => K::QueueReported,
        QueueReason::Premoderation => K::QueuePremoderation,
        QueueReason::SensitiveWord => K::QueueSensitiveWord,
    };
    let reported = item.reason == QueueReason::Reported;
    let reason_id = format!("hide-reason-{id}");
    view! {
        <li class="card queue-item" id=format!("queue-{id}")>
            <p class="item-meta">
                <span class="badge">{i.tr(why)}</span>" "
                {item.author_name.clone()}" · "{format::date_time(item.created_at)}" · "
                <A href=item.link.clone()>{item.container_title.clone()}</A>
            </p>
            // Sanitised on the server: the only HTML the app inserts.
            <div class="post-body" inner_html=item.body_html.clone()></div>
            {(!item.words.is_empty()).then(|| view! { <p class="hint">{item.words.join("、")}</p> })}
            {reported.then(|| view! {
                <p class="item-meta">{i.fill(K::ReportsN, &[("n", item.reports.len().to_string())])}</p>
                <ul class="reports">
                    {item.reports.iter().map(|r| view! {
                        <li>{r.reporter_name.clone()}"："{r.reason.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
            <div class="field">
                <label for=reason_id.clone()>{i.tr(K::HideReason)}</label>
                <input id=reason_id type="text" maxlength="500" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))/>
            </div>
            <div class="actions">
                <button type="button" class="button danger" disabled=move || reason.with(|r| r.trim().is_empty())
                    on:click=move |_| act("hide")>{i.tr(K::HidePostButton)}</button>
                {if reported {
                    view! { <button type="button" class="button secondary" on:click=move |_| act("dismiss")>{i.tr(K::DismissReports)}</button> }.into_any()
                } else {
                    view! { <button type="button" class="button primary" on:click=move |_| act("approve")>{i.tr(K::ApprovePost)}</button> }.into_any()
                }}
            </div>
        </li>
    }
}

#[component]
fn SensitiveWordList() -> impl IntoView {
    let i = use_i18n();
    let words = LocalResource::new(Moderation::words);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Failure>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let word = draft.get_untracked();
        spawn_local(async move {
            match Moderation::add_word(word).await {
                Ok(_) => {
                    draft.try_set(String::new());
                    error.try_set(None);
                    words.refetch();
                }
                Err(f) => {
                    error.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <section class="sensitive-words">
            <h2>{i.tr(K::SensitiveWords)}</h2>
            <p class="hint">{i.tr(K::SensitiveWordsHint)}</p>
            <form class="inline-form" on:submit=add>
                <label for="new-word" class="visually-hidden">{i.tr(K::NewWord)}</label>
                <input id="new-word" type="text" maxlength="50" placeholder=i.tr(K::NewWord)
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))/>
                <button type="submit" class="button primary" disabled=move || draft.with(|d| d.trim().is_empty())>{i.tr(K::AddWord)}</button>
            </form>
            {move || error.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            {move || match words.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| words.refetch()/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="word-list">
                        {list.into_iter().map(|w| {
                            let id = w.id;
                            view! {
                                <li>
                                    <span>{w.word.clone()}</span>
                                    <button type="button" class="button link small"
                                        aria-label=format!("{} {}", i.t(K::RemoveWord), w.word)
                                        on:click=move |_| spawn_local(async move {
                                            if Moderation::remove_word(id).await.is_ok() { words.refetch(); }
                                        })>{i.tr(K::RemoveWord)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i = use_i18n();
    let action = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let previous = RwSignal::new(Vec::<Option<String>>::new());
    let page = LocalResource::new(move || Moderation::audit(Some(applied.get()), cursor.get()));
    view! {
        <section class="audit">
            <h2>{i.tr(K::AuditTitle)}</h2>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                previous.set(Vec::new());
                cursor.set(None);
                applied.set(action.get_untracked().trim().to_owned());
            }>
                <label for="audit-action" class="visually-hidden">{i.tr(K::AuditFilterAction)}</label>
                <input id="audit-action" type="text" maxlength="60" placeholder=i.tr(K::AuditFilterAction)
                    prop:value=move || action.get() on:input=move |ev| action.set(event_target_value(&ev))/>
                <button type="submit" class="button secondary">{i.tr(K::Filter)}</button>
            </form>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::AuditEmpty).to_owned())/> }.into_any(),
                Some(Ok(p)) => view! {
                    <div class="table-wrap">
                        <table class="audit-table">
                            <thead><tr>
                                <th scope="col">{i.tr(K::AuditTime)}</th>
                                <th scope="col">{i.tr(K::AuditActor)}</th>
                                <th scope="col">{i.tr(K::AuditAction)}</th>
                                <th scope="col">{i.tr(K::AuditObject)}</th>
                                <th scope="col">{i.tr(K::AuditBefore)}</th>
                                <th scope="col">{i.tr(K::AuditAfter)}</th>
                                <th scope="col">{i.tr(K::AuditAddress)}</th>
                            </tr></thead>
                            <tbody>
                                {p.items.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{format::date_time(e.at)}</td>
                                        <td>{e.actor_name.clone().unwrap_or_else(|| i.t(K::Scheduler).to_owned())}</td>
                                        <td><code>{e.action.clone()}</code></td>
                                        <td>{format!("{} {}", e.object_kind, e.object_id.map(|o| o.to_string()).unwrap_or_default())}</td>
                                        <td>{e.before.clone()}</td>
                                        <td>{e.after.clone()}</td>
                                        <td>{e.client_ip.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <crate::components::pager::Pager previous next=p.next_cursor cursor=cursor
                        go=Callback::new(move |c| cursor.set(c))/>
                }.into_any(),
            }}
        </section>
    }
}
