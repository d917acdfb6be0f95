//! A group's thread: filters (all, featured, one chapter), keyset paging with "earlier",
//! "later" and "jump to newest", continuing from the member's read position, writing
//! reflections, notes with quotes and guides, and each post's own actions.

use crate::api::{Failure, Reading, ThreadQuery};
use crate::components::states::{field_problem, Empty, ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, I18n, K};
use crate::session::{member_ui, members_view, use_session};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

pub fn kind_label(i: I18n, k: PostKind) -> &'static str {
    i.t(match k {
        PostKind::Guide => K::PostKindGuide,
        PostKind::Reflection => K::PostKindReflection,
        PostKind::Note => K::PostKindNote,
        PostKind::Reply => K::PostKindReply,
        PostKind::Comment => K::PostKindComment,
        PostKind::Question => K::PostKindQuestion,
        PostKind::Answer => K::PostKindAnswer,
    })
}

/// Chapters of the group's books as (id, "《book》chapter").
pub fn chapter_options(books: &[Book]) -> Vec<(i64, String)> {
    books
        .iter()
        .flat_map(|b| {
            b.chapters
                .iter()
                .map(move |c| (c.id, format!("《{}》{}", b.title, c.title)))
        })
        .collect()
}

#[component]
pub fn Thread(
    gid: i64,
    books: Vec<Book>,
    current: RwSignal<Option<ReadingGroupDetail>>,
) -> impl IntoView {
    let i = use_i18n();
    let query = RwSignal::new(ThreadQuery::default());
    // Bumped after every change so that the page reloads in place.
    let reload = RwSignal::new(0u32);
    let page = LocalResource::new(move || {
        reload.track();
        Reading::thread(gid, query.get())
    });
    let chapters = chapter_options(&books);
    let (is_member, read_position, unread) = current.with_untracked(|c| {
        c.as_ref().map_or((false, 0, 0), |d| {
            (
                d.summary.my_role.is_some(),
                d.read_position.unwrap_or(0),
                d.summary.unread_count.unwrap_or(0),
            )
        })
    });
    let actions =
        Signal::derive(move || current.with(|c| c.as_ref().map(|d| d.actions).unwrap_or_default()));
    // A member's read position moves to what an unfiltered page showed: to its last
    // top-level post, or, on the newest page, to everything on it. Filtered pages skip
    // posts in between, so they move nothing.
    Effect::new(move || {
        let unfiltered = query.with_untracked(|q| !q.featured && q.chapter.is_none());
        if !actions.with_untracked(|a| a.post || a.check_in) || !unfiltered {
            return;
        }
        if let Some(Ok(p)) = page.get() {
            let seen = if p.later.is_none() {
                p.entries.iter().map(|e| e.post.id).max()
            } else {
                p.entries
                    .iter()
                    .filter(|e| e.depth == 0)
                    .map(|e| e.post.id)
                    .max()
            };
            if let Some(max) = seen {
                spawn_local(async move {
                    let _ = Reading::read_up_to(gid, max).await;
                });
            }
        }
    });
    let filter = RwSignal::new(String::new());
    let apply_filter = move |value: String| {
        filter.set(value.clone());
        query.set(ThreadQuery {
            featured: value == "featured",
            chapter: value.parse().ok(),
            ..Default::default()
        });
    };
    let ctx = PostContext {
        gid,
        actions,
        reload,
    };
    view! {
        <section class="thread" aria-labelledby="thread-title">
            <h2 id="thread-title">{i.tr(K::ReadingDiscussion)}</h2>
            <div class="filters thread-filters">
                <label for="thread-filter">{i.tr(K::ShowPosts)}</label>
                <select id="thread-filter" prop:value=move || filter.get() on:change=move |ev| apply_filter(event_target_value(&ev))>
                    <option value="">{i.tr(K::AllPosts)}</option>
                    <option value="featured">{i.tr(K::FeaturedOnly)}</option>
                    {chapters.iter().map(|(id, label)| view! { <option value=id.to_string()>{label.clone()}</option> }).collect_view()}
                </select>
                {(is_member && read_position > 0 && unread > 0).then(|| view! {
                    <button type="button" class="button secondary" on:click=move |_| {
                        filter.set(String::new());
                        query.set(ThreadQuery { after_post: Some(read_position), ..Default::default() });
                    }>{i.tr(K::ContinueReading)}</button>
                })}
                <button type="button" class="button secondary" on:click=move |_| {
                    filter.set(String::new());
                    query.set(ThreadQuery { newest: true, ..Default::default() });
                }>{i.tr(K::JumpToNewest)}</button>
            </div>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
                Some(Ok(p)) => {
                    let earlier = p.earlier.clone();
                    let later = p.later.clone();
                    let featured = query.with_untracked(|q| q.featured);
                    view! {
                        {earlier.map(|c| view! {
                            <button type="button" class="button secondary load-earlier" on:click=move |_| {
                                let c = c.clone();
                                query.update(|q| { q.before = Some(c); q.after = None; q.after_post = None; q.newest = false; });
                            }>{i.tr(K::EarlierPosts)}</button>
                        })}
                        {if p.entries.is_empty() {
                            view! { <Empty text=Signal::derive(move || i.t(if featured { K::NoFeaturedPosts } else { K::NoReadingPosts }).to_owned())/> }.into_any()
                        } else {
                            view! {
                                <ol class="posts reading-posts">
                                    {p.entries.into_iter().map(|e| view! { <ReadingPostView entry=e ctx/> }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                        {later.map(|c| view! {
                            <button type="button" class="button secondary load-later" on:click=move |_| {
                                let c = c.clone();
                                query.update(|q| { q.after = Some(c); q.before = None; q.after_post = None; q.newest = false; });
                            }>{i.tr(K::LaterPosts)}</button>
                        })}
                    }.into_any()
                }
            }}
            {move || member_ui(actions.get().post).then(|| view! { <Compose gid guide=actions.get_untracked().guide chapters=chapter_options(&books) query reload/> })}
        </section>
    }
}

/// What every post of a thread needs to know about its group.
#[derive(Clone, Copy)]
pub struct PostContext {
    pub gid: i64,
    pub actions: Signal<ReadingActions>,
    pub reload: RwSignal<u32>,
}

#[component]
fn Compose(
    gid: i64,
    guide: bool,
    chapters: Vec<(i64, String)>,
    query: RwSignal<ThreadQuery>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let kind = RwSignal::new("reflection".to_owned());
    let chapter = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let quote = RwSignal::new(String::new());
    let page_no = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    // The last post went to the moderators first (pre-moderation or a listed word).
    let held = RwSignal::new(false);
    let body_problem = field_problem(failure, "body");
    let chapter_problem = field_problem(failure, "chapter_id");
    let quote_problem = field_problem(failure, "quote.text");
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let k = PostKind::parse(&kind.get_untracked()).unwrap_or(PostKind::Reflection);
        let q = quote.get_untracked();
        let input = NewReadingPost {
            kind: k,
            body: body.get_untracked(),
            parent_id: None,
            chapter_id: chapter.get_untracked().parse().ok(),
            quote: (k == PostKind::Note && !q.trim().is_empty()).then(|| QuoteInput {
                text: q,
                page: page_no.get_untracked(),
            }),
        };
        busy.set(true);
        spawn_local(async move {
            match Reading::create_post(gid, input).await {
                Ok(post) => {
                    let _ = held.try_set(post.pending);
                    let _ = failure.try_set(None);
                    let _ = body.try_set(String::new());
                    let _ = quote.try_set(String::new());
                    let _ = page_no.try_set(String::new());
                    // Show the new post where it is: on the newest page.
                    let _ = query.try_set(ThreadQuery {
                        newest: true,
                        ..Default::default()
                    });
                    let _ = reload.try_update(|n| *n += 1);
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <form class="form wide post-form" on:submit=submit novalidate>
            <h3>{i.tr(K::WritePost)}</h3>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <Show when=move || held.get()><p class="success" role="status">{i.tr(K::PostHeldForReview)}</p></Show>
            <label for="post-kind">{i.tr(K::ReadingPostKind)}</label>
            <select id="post-kind" bind:value=kind>
                <option value="reflection">{i.tr(K::PostKindReflection)}</option>
                <option value="note">{i.tr(K::PostKindNote)}</option>
                {guide.then(|| view! { <option value="guide">{i.tr(K::PostKindGuide)}</option> })}
            </select>
            <label for="post-chapter">{i.tr(K::Chapter)}</label>
            <select id="post-chapter" bind:value=chapter aria-describedby="post-chapter-error">
                <option value="">{i.tr(K::NoChapter)}</option>
                {chapters.into_iter().map(|(id, label)| view! { <option value=id.to_string()>{label}</option> }).collect_view()}
            </select>
            <p id="post-chapter-error" class="field-error">{chapter_problem}</p>
            {move || (kind.get() == "note").then(|| view! {
                <label for="post-quote">{i.tr(K::QuoteText)}</label>
                <textarea id="post-quote" rows="2" bind:value=quote aria-describedby="post-quote-error"></textarea>
                <p id="post-quote-error" class="field-error">{quote_problem}</p>
                <label for="post-page">{i.tr(K::QuotePage)}</label>
                <input id="post-page" type="text" inputmode="numeric" maxlength="20" bind:value=page_no/>
            })}
            <label for="post-body">{i.tr(K::PostBody)}</label>
            <textarea id="post-body" rows="5" bind:value=body aria-describedby="post-body-error post-body-hint"></textarea>
            <p id="post-body-hint" class="hint">{i.tr(K::MarkdownHint)}</p>
            <p id="post-body-error" class="field-error">{body_problem}</p>
            <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::Publish)}</button>
        </form>
    }
}

/// One post in a thread (or on its own page) with its actions: like, reply (three levels),
/// feature, and the author's edit (24 hours) and delete.
#[component]
pub fn ReadingPostView(entry: ThreadEntry, ctx: PostContext) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let post = entry.post;
    let depth = entry.depth;
    let more_replies = entry.more_replies;
    let id = post.id;
    let gid = ctx.gid;
    let likes = RwSignal::new(post.like_count);
    let liked = RwSignal::new(entry.liked);
    let failure = RwSignal::new(None::<Failure>);
    let replying = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let mine = session
        .user
        .with_untracked(|u| u.as_ref().is_some_and(|u| u.id == post.author_id));
    // The server sends the source only while its author may still edit.
    let source = entry.source;
    let editable = mine && !post.deleted && source.is_some();
    let actions = ctx.actions;
    let reload = ctx.reload;
    let run =
        move |call: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Failure>>>>| {
            spawn_local(async move {
                match call.await {
                    Ok(()) => {
                        let _ = reload.try_update(|n| *n += 1);
                    }
                    Err(f) => {
                        let _ = failure.try_set(Some(f));
                    }
                }
            });
        };
    let featured = post.featured;
    let permalink = format!("/reading-groups/{gid}/posts/{id}");
    let body_md_hint = post.body_html.clone();
    view! {
        <li class=format!("post reading-post depth-{depth} kind-{}", post.kind.as_str()) id=format!("post-{id}")>
            <p class="post-meta">
                <span class=format!("tag kind-{}", post.kind.as_str())>{kind_label(i, post.kind)}</span>
                {featured.then(|| view! { <span class="badge featured">{i.tr(K::Featured)}</span> })}
                <strong class="post-author">{post.author_name.clone()}</strong>
                <time datetime=format::iso(post.created_at) title=format::date_time(post.created_at)>{format::relative(i, post.created_at)}</time>
                {post.edited_at.map(|_| view! { <span class="item-meta">{i.tr(K::Edited)}</span> })}
            </p>
            {if post.hidden {
                view! { <p class="removed">{i.tr(K::PostHiddenByModerator)}</p> }.into_any()
            } else if post.deleted {
                view! { <p class="removed">{i.tr(K::PostRemoved)}</p> }.into_any()
            } else {
                view! {
                    {post.quote.clone().map(|q| view! {
                        <blockquote class="quote">
                            <p>{q.text.clone()}</p>
                            <footer>{format!("《{}》", q.chapter)}{(!q.page.is_empty()).then(|| i.fill(K::PageN, &[("n", q.page.clone())]))}</footer>
                        </blockquote>
                    })}
                    <div class="prose post-body" inner_html=body_md_hint></div>
                    {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                    <div class="post-actions">
                        <button type="button" class="button secondary small like" aria-pressed=move || liked.get().to_string()
                            disabled=move || !actions.get().interact
                            on:click=move |_| {
                                let now = !liked.get_untracked();
                                spawn_local(async move {
                                    match crate::api::Consultations::like(id, now).await {
                                        Ok(v) => {
                                            let _ = liked.try_set(now);
                                            let _ = likes.try_set(v.like_count);
                                        }
                                        Err(f) => {
                                            let _ = failure.try_set(Some(f));
                                        }
                                    }
                                });
                            }>
                            {i.tr(K::Like)}" "<span class="like-count">{move || likes.get()}</span>
                        </button>
                        {members_view(|| view! { <crate::components::report::ReportButton post_id=id/> })}
                        {move || member_ui(actions.get().post && depth < MAX_REPLY_DEPTH).then(|| view! {
                            <button type="button" class="button secondary small" aria-expanded=move || replying.get().to_string()
                                on:click=move |_| replying.update(|r| *r = !*r)>{i.tr(K::ReplyAction)}</button>
                        })}
                        {move || member_ui(actions.get().feature).then(|| view! {
                            <button type="button" class="button secondary small"
                                on:click=move |_| run(Box::pin(async move { Reading::set_featured(gid, id, !featured).await.map(|_| ()) }))>
                                {i.tr(if featured { K::Unfeature } else { K::MarkFeatured })}
                            </button>
                        })}
                        {move || member_ui(editable && actions.get().post).then(|| view! {
                            <button type="button" class="button secondary small" on:click=move |_| editing.update(|e| *e = !*e)>{i.tr(K::EditPost)}</button>
                        })}
                        {move || member_ui(mine && !post.deleted && actions.get().interact).then(|| view! {
                            <button type="button" class="button secondary small danger" on:click=move |_| {
                                if window().confirm_with_message(i.t(K::ConfirmDeletePost)).unwrap_or(false) {
                                    run(Box::pin(Reading::delete_post(gid, id)));
                                }
                            }>{i.tr(K::DeletePost)}</button>
                        })}
                        <A href=permalink.clone() attr:class="permalink">{i.tr(K::Permalink)}</A>
                        {more_replies.then(|| view! { <A href=permalink.clone() attr:class="more-replies">{i.tr(K::AllReplies)}</A> })}
                    </div>
                    {move || member_ui(editing.get()).then(|| view! { <EditForm gid id kind=post.kind chapter=post.chapter_id quote=post.quote.clone() source=source.clone().unwrap_or_default() reload/> })}
                    {move || member_ui(replying.get()).then(|| view! { <ReplyForm gid parent=id reload/> })}
                }.into_any()
            }}
        </li>
    }
}

#[component]
fn ReplyForm(gid: i64, parent: i64, reload: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    let text = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let input_id = format!("reply-{parent}");
    let label_for = input_id.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = NewReadingPost {
            kind: PostKind::Reply,
            body: text.get_untracked(),
            parent_id: Some(parent),
            chapter_id: None,
            quote: None,
        };
        spawn_local(async move {
            match Reading::create_post(gid, body).await {
                Ok(_) => {
                    let _ = reload.try_update(|n| *n += 1);
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <form class="form wide reply-form" on:submit=submit novalidate>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <label for=label_for>{i.tr(K::YourReply)}</label>
            <textarea id=input_id rows="2" bind:value=text></textarea>
            <button type="submit" class="button primary small">{i.tr(K::SendReplyPost)}</button>
        </form>
    }
}

#[component]
fn EditForm(
    gid: i64,
    id: i64,
    kind: PostKind,
    chapter: Option<i64>,
    quote: Option<Quote>,
    source: String,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let failure = RwSignal::new(None::<Failure>);
    let text = RwSignal::new(source);
    let input_id = format!("edit-{id}");
    let label_for = input_id.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = EditReadingPost {
            body: text.get_untracked(),
            chapter_id: if kind == PostKind::Reply {
                None
            } else {
                chapter
            },
            quote: quote.clone().map(|q| QuoteInput {
                text: q.text,
                page: q.page,
            }),
        };
        spawn_local(async move {
            match Reading::edit_post(gid, id, body).await {
                Ok(_) => {
                    let _ = reload.try_update(|n| *n += 1);
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <form class="form wide edit-form" on:submit=submit novalidate>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <label for=label_for>{i.tr(K::EditPost)}</label>
            <textarea id=input_id rows="4" bind:value=text></textarea>
            <p class="hint">{i.tr(K::EditWindowHint)}</p>
            <button type="submit" class="button primary small">{i.tr(K::SaveEdit)}</button>
        </form>
    }
}
