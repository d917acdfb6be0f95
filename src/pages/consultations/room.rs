//! A consultation's page and live room: the notice, state steps, and the discussion, which
//! updates over the event stream without reloading.

use super::{kind_label, post_kind_label, state_label};
use crate::api::{Consultations, Failure};
use crate::components::states::{ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::live::{follow, Connection, LiveHandle};
use crate::nav::A;
use crate::prefs;
use crate::session::{member_ui, members_view, use_session};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::*;

/// The next steps a reader may offer, mirroring the server's rules (which decide).
fn next_steps(d: &ConsultationDetail, me: Option<&Me>) -> Vec<(ConsultationState, K)> {
    use ConsultationState::*;
    let is_chair = me.is_some_and(|m| Some(m.id) == d.chair_id);
    let office = d.can_manage;
    let live = office || is_chair;
    let remote = d.summary.kind == ConsultationKind::Remote;
    match d.summary.state {
        Draft if office => vec![(Published, K::ActionPublish)],
        Published if live && remote => vec![(Live, K::ActionStart)],
        Published if live => vec![(Concluded, K::ActionConclude)],
        Live if live => vec![(Concluded, K::ActionConclude)],
        Concluded if office => vec![(OutcomePublished, K::ActionPublishOutcome)],
        OutcomePublished if office => vec![(Closed, K::ActionClose)],
        _ => Vec::new(),
    }
}

#[component]
pub fn ConsultationPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let id = crate::components::route::use_id();
    let detail = LocalResource::new(move || Consultations::detail(id.get()));
    let posts = RwSignal::new(Vec::<Post>::new());
    let posts_failure = RwSignal::new(None::<Failure>);
    // Until the record arrived, "no posts yet" would be a wrong answer.
    let posts_loaded = RwSignal::new(false);
    let floor = RwSignal::new(None::<FloorState>);
    let outcome_version = RwSignal::new(0u32);
    let runs_meeting = Memo::new(move |_| {
        detail
            .get()
            .and_then(|d| d.ok())
            .is_some_and(|d| d.can_run_meeting)
    });
    let status = RwSignal::new(Connection::Connecting);
    let announcement = RwSignal::new(String::new());
    let handle = StoredValue::new_local(None::<LiveHandle>);

    // Follow the room first, then load the record: anything posted in between arrives one way
    // or the other, and duplicates are merged by id.
    Effect::new(move || {
        let id = id.get();
        session.reader.track();
        handle.set_value(None);
        posts.set(Vec::new());
        posts_loaded.set(false);
        if id <= 0 {
            return;
        }
        handle.set_value(Some(follow(
            format!("consultation:{id}"),
            status,
            move |event| match event.event {
                EventKind::PostCreated { post } => {
                    let author = post.author_name.clone();
                    posts.update(|all| merge(all, vec![post]));
                    announcement.set(format!("{}：{}", i.t(K::NewPostArrived), author));
                }
                EventKind::PostLiked {
                    post_id,
                    like_count,
                } => posts.update(|all| {
                    if let Some(p) = all.iter_mut().find(|p| p.id == post_id) {
                        p.like_count = like_count;
                    }
                }),
                EventKind::PostHidden { post_id } => posts.update(|all| {
                    if let Some(p) = all.iter_mut().find(|p| p.id == post_id) {
                        p.hidden = true;
                        p.body_html.clear();
                    }
                }),
                // Notifications travel on the account's own topic, not this one.
                EventKind::NotificationAdded { .. } | EventKind::NotificationsRead { .. } => {}
                EventKind::StateChanged { state } => {
                    announcement.set(state_label(i, state).to_owned());
                    detail.refetch();
                }
                EventKind::FloorChanged { floor: next } => {
                    let before = floor.with_untracked(|f| {
                        f.as_ref()
                            .map(|f| (f.segment, f.current.as_ref().map(|s| s.id)))
                    });
                    let after = (next.segment, next.current.as_ref().map(|s| s.id));
                    if before != Some(after) {
                        let mut words = super::floor::segment_label(i, next.segment).to_owned();
                        if let Some(s) = &next.current {
                            words.push_str(&format!(
                                "，{}：{}",
                                i.t(K::CurrentSpeaker),
                                s.speaker_name
                            ));
                        }
                        announcement.set(words);
                    }
                    if runs_meeting.get_untracked() {
                        // The event carries the public view; the chair also needs the
                        // applications waiting for a decision.
                        spawn_local(async move {
                            if let Ok(f) = crate::api::Floor::get(id).await {
                                floor.set(Some(f));
                            }
                        });
                    } else {
                        floor.set(Some(next));
                    }
                }
                EventKind::OutcomeChanged => outcome_version.update(|v| *v += 1),
                EventKind::SessionsEnded => {}
            },
        )));
        // Side by side: neither needs the other.
        spawn_local(async move {
            if let Ok(f) = crate::api::Floor::get(id).await {
                floor.set(Some(f));
            }
        });
        spawn_local(async move {
            match Consultations::all_posts(id).await {
                Ok(loaded) => posts.update(|all| merge(all, loaded)),
                Err(f) => posts_failure.set(Some(f)),
            }
            posts_loaded.set(true);
        });
    });
    on_cleanup(move || handle.set_value(None));

    // An online topic opens on its opening date by itself: no event announces it, so the
    // page reloads its facts (and the reader's right to post) when that moment comes.
    let opening = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move || {
        if let Some(h) = opening.get_value() {
            h.clear();
        }
        opening.set_value(None);
        let Some(Ok(d)) = detail.get() else { return };
        let wait = d.summary.starts_at.map(|t| t - js_sys::Date::now() as i64);
        if d.summary.kind == ConsultationKind::Online
            && d.summary.state == ConsultationState::Published
        {
            // Only within a day: longer timers are unreliable and the reader will reload.
            if let Some(ms) = wait.filter(|ms| (0..86_400_000).contains(ms)) {
                let h = set_timeout_with_handle(
                    move || detail.refetch(),
                    std::time::Duration::from_millis(ms as u64 + 500),
                );
                opening.set_value(h.ok());
            }
        }
    });
    on_cleanup(move || {
        if let Some(h) = opening.try_get_value().flatten() {
            h.clear();
        }
    });

    view! {
        <section class="page consultation">
            {move || match detail.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! {
                    <h1>{i.tr(K::NavConsultations)}</h1>
                    <ErrorNotice failure=f on_retry=move |_| detail.refetch()/>
                }.into_any(),
                Some(Ok(d)) => view! { <ConsultationView d=d posts posts_loaded posts_failure status floor outcome_version detail/> }.into_any(),
            }}
            <p class="visually-hidden" aria-live="polite">{move || announcement.get()}</p>
        </section>
    }
}

/// Adds posts not yet present, keeping the order of writing.
fn merge(all: &mut Vec<Post>, new: Vec<Post>) {
    for p in new {
        if !all.iter().any(|q| q.id == p.id) {
            all.push(p);
        }
    }
    all.sort_by_key(|p| p.id);
}

#[component]
fn ConsultationView(
    d: ConsultationDetail,
    posts: RwSignal<Vec<Post>>,
    posts_loaded: RwSignal<bool>,
    posts_failure: RwSignal<Option<Failure>>,
    status: RwSignal<Connection>,
    floor: RwSignal<Option<FloorState>>,
    outcome_version: RwSignal<u32>,
    // The page's resource (not a callback of this view, which a refetch disposes while a
    // request may still be running).
    detail: LocalResource<Result<ConsultationDetail, Failure>>,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let id = d.summary.id;
    let steps = session
        .user
        .with_untracked(|me| next_steps(&d, me.as_ref()));
    let step_failure = RwSignal::new(None::<Failure>);
    let is_live = d.summary.state == ConsultationState::Live;
    let can_post = member_ui(d.can_post);
    let can_answer = member_ui(d.can_answer);
    let summary = d.summary.clone();
    view! {
        <header class="consultation-head">
            <p class="kicker">
                {kind_label(i, summary.kind)}
                <span class=format!("badge state-{}", summary.state.as_str())>{state_label(i, summary.state)}</span>
                {is_live.then(|| view! { <span class="badge live">"● "{i.tr(K::LiveBadge)}</span> })}
            </p>
            <h1>{summary.title.clone()}</h1>
            {members_view(|| view! { <crate::components::report::PremoderationSwitch kind="consultation" id=id/> })}
            <dl class="facts">
                {summary.starts_at.map(|t| view! { <dt>{i.tr(K::StartsAt)}</dt><dd><time datetime=format::iso(t)>{format::date_time(t)}</time></dd> })}
                {summary.ends_at.map(|t| view! { <dt>{i.tr(K::EndsAt)}</dt><dd><time datetime=format::iso(t)>{format::date_time(t)}</time></dd> })}
                {d.chair_name.clone().map(|n| view! { <dt>{i.tr(K::Chair)}</dt><dd>{n}</dd> })}
                {(!d.venues.is_empty()).then(|| view! { <dt>{i.tr(K::Venues)}</dt><dd>{d.venues.clone()}</dd> })}
                {d.video_link.clone().map(|v| { let href = v.clone(); view! { <dt>{i.tr(K::VideoLink)}</dt><dd><a href=href rel="noopener noreferrer" target="_blank">{v}</a></dd> } })}
            </dl>
        </header>
        <ConnectionIndicator status/>
        {(member_ui(d.can_manage) && matches!(summary.state, ConsultationState::Draft | ConsultationState::Published)).then(|| view! {
            <p><A href=format!("/consultations/{id}/edit") attr:class="button secondary">{i.tr(K::EditConsultation)}</A></p>
        })}
        {member_ui(!steps.is_empty()).then(|| view! {
            <div class="button-row steps">
                {steps.into_iter().map(|(to, label)| view! {
                    <button type="button" class="button primary" on:click=move |_| {
                        step_failure.set(None);
                        spawn_local(async move {
                            match Consultations::change_state(id, to).await {
                                Ok(_) => detail.refetch(),
                                Err(f) => step_failure.set(Some(f)),
                            }
                        });
                    }>{i.tr(label)}</button>
                }).collect_view()}
            </div>
        })}
        {move || step_failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
        {(summary.kind == ConsultationKind::Remote && summary.state != ConsultationState::Draft).then(|| view! {
            <super::floor::FloorPanel consultation=id floor runs_meeting=d.can_run_meeting can_apply=d.can_apply_to_speak live=is_live/>
        })}
        <div class="prose" inner_html=d.description_html.clone()></div>
        <super::materials::Materials consultation=id staff=d.can_manage/>

        <h2>{i.tr(K::Discussion)}</h2>
        {move || posts_failure.get().map(|f| view! { <ErrorNotice failure=f/> })}
        {move || {
            if posts.with(|all| all.iter().any(|p| p.parent_id.is_none())) {
                return None;
            }
            Some(if !posts_loaded.get() && posts_failure.with(Option::is_none) {
                view! { <Loading/> }.into_any()
            } else {
                view! { <p class="state empty">{i.tr(K::NoPosts)}</p> }.into_any()
            })
        }}
        // Keyed: a post arriving in a room of hundreds adds one item instead of rebuilding
        // the list. An item is rebuilt when what it shows changes (hidden, likes, replies).
        <ol class="posts" hidden=move || posts.with(|all| !all.iter().any(|p| p.parent_id.is_none()))>
            <For
                each=move || posts.with(|all| crate::components::replies::with_replies(all))
                key=|(p, children)| (
                    p.id, p.hidden, p.like_count,
                    children.iter().map(|c| (c.id, c.hidden, c.like_count)).collect::<Vec<_>>(),
                )
                children=move |(p, children)| view! { <PostItem post=p children consultation=id can_post can_answer/> }
            />
        </ol>
        {if member_ui(can_post) {
            view! { <PostForm consultation=id/> }.into_any()
        } else if session.signed_in() {
            view! { <p class="notice">{i.tr(K::ReadOnlyRoom)}</p> }.into_any()
        } else {
            view! { <p class="notice">{i.tr(K::ReadOnlyRoom)}" "<A href=format!("/signin?next=/consultations/{id}")>{i.tr(K::SignInToTakePart)}</A></p> }.into_any()
        }}
        {matches!(summary.state, ConsultationState::Concluded | ConsultationState::OutcomePublished | ConsultationState::Closed).then(|| view! {
            <super::outcome::OutcomeSection consultation=id staff=d.can_manage runs_meeting=d.can_run_meeting version=outcome_version/>
        })}
        {(!d.transitions.is_empty()).then(|| view! {
            <h2>{i.tr(K::History)}</h2>
            <ul class="history">
                {d.transitions.iter().map(|t| view! {
                    <li><time datetime=format::iso(t.at)>{format::date_time(t.at)}</time>" "{t.actor_name.clone().unwrap_or_else(|| i.t(K::BySchedule).to_owned())}"："{state_label(i, t.from)}" → "{state_label(i, t.to)}</li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn ConnectionIndicator(status: RwSignal<Connection>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <p class=move || format!("connection {}", match status.get() {
            Connection::Connected => "connected",
            Connection::Connecting | Connection::Reconnecting => "reconnecting",
            Connection::Offline => "offline",
        }) role="status">
            {move || match status.get() {
                Connection::Connected => i.t(K::ConnConnected),
                Connection::Connecting | Connection::Reconnecting => i.t(K::ConnReconnecting),
                Connection::Offline => i.t(K::ConnOffline),
            }}
        </p>
    }
}

#[component]
fn PostItem(
    post: Post,
    children: Vec<Post>,
    consultation: i64,
    can_post: bool,
    can_answer: bool,
) -> impl IntoView {
    let is_question = post.kind == PostKind::Question;
    let parent = post.id;
    view! {
        <li class=format!("post kind-{}", post.kind.as_str()) id=format!("post-{}", post.id)>
            <PostBody post=post.clone()/>
            {(!children.is_empty()).then(|| view! {
                <ol class="children">
                    {children.into_iter().map(|c| {
                        let class = format!("post kind-{}", c.kind.as_str());
                        let anchor = format!("post-{}", c.id);
                        view! { <li class=class id=anchor><PostBody post=c/></li> }
                    }).collect_view()}
                </ol>
            })}
            // Props are run-time values: the gate is repeated here so the reader's build drops
            // the forms.
            {(is_question && crate::session::member_ui(can_answer)).then(|| view! {
                <ChildForm consultation parent kind=PostKind::Answer label=K::AnswerQuestion button=K::SendAnswer/>
            })}
            {crate::session::member_ui(can_post).then(|| view! {
                <ChildForm consultation parent kind=PostKind::Reply label=K::PostKindReply button=K::SendPost/>
            })}
        </li>
    }
}

#[component]
pub(crate) fn PostBody(post: Post) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let likes = RwSignal::new(post.like_count);
    let liked = RwSignal::new(false);
    let id = post.id;
    let count = post.like_count;
    Effect::new(move || likes.set(count));
    view! {
        <p class="post-meta">
            <span class=format!("tag kind-{}", post.kind.as_str())>{post_kind_label(i, post.kind)}</span>
            <strong class="post-author">{post.author_name.clone()}</strong>
            <time datetime=format::iso(post.created_at) title=format::date_time(post.created_at)>{format::relative(i, post.created_at)}</time>
        </p>
        {if post.hidden {
            view! { <p class="removed">{i.tr(K::PostHiddenByModerator)}</p> }.into_any()
        } else {
            view! {
        <div class="prose post-body" inner_html=post.body_html.clone()></div>
        <button type="button" class="button secondary small like" aria-pressed=move || liked.get().to_string()
            disabled=move || !session.signed_in()
            on:click=move |_| {
                let now = !liked.get_untracked();
                spawn_local(async move {
                    if let Ok(v) = Consultations::like(id, now).await {
                        liked.set(now);
                        likes.set(v.like_count);
                    }
                });
            }>
            {i.tr(K::Like)}" "<span class="like-count">{move || likes.get()}</span>
        </button>
        {members_view(|| view! { <crate::components::report::ReportButton post_id=id/> })}
            }.into_any()
        }}
    }
}

#[component]
fn ChildForm(consultation: i64, parent: i64, kind: PostKind, label: K, button: K) -> impl IntoView {
    let i = use_i18n();
    let body = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let field_id = format!("{}-{parent}", kind.as_str());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked();
        spawn_local(async move {
            match Consultations::create_post(
                consultation,
                NewPost {
                    kind,
                    body: text,
                    parent_id: Some(parent),
                },
            )
            .await
            {
                Ok(_) => {
                    body.set(String::new());
                    failure.set(None);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <details class="child-form">
            <summary>{i.tr(label)}</summary>
            <form on:submit=submit>
                <label class="visually-hidden" for=field_id.clone()>{i.tr(label)}</label>
                <textarea id=field_id rows="3" bind:value=body></textarea>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                <button type="submit" class="button primary small">{i.tr(button)}</button>
            </form>
        </details>
    }
}

#[component]
fn PostForm(consultation: i64) -> impl IntoView {
    let i = use_i18n();
    let draft_key = format!("consultation-{consultation}");
    let body = RwSignal::new(prefs::draft(&draft_key).unwrap_or_default());
    let kind = RwSignal::new("comment".to_owned());
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let key = draft_key.clone();
    Effect::new(move || prefs::save_draft(&key, &body.get()));
    // The last post went to the moderators first.
    let held = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let kind = if kind.get_untracked() == "question" {
            PostKind::Question
        } else {
            PostKind::Comment
        };
        let text = body.get_untracked();
        let key = draft_key.clone();
        spawn_local(async move {
            match Consultations::create_post(
                consultation,
                NewPost {
                    kind,
                    body: text,
                    parent_id: None,
                },
            )
            .await
            {
                Ok(post) => {
                    held.set(post.pending);
                    body.set(String::new());
                    prefs::clear_draft(&key);
                    failure.set(None);
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    let body_problem = crate::components::states::field_problem(failure, "body");
    view! {
        <form class="form post-form" on:submit=submit>
            <label for="post-kind">{i.tr(K::PostKindLabel)}</label>
            <select id="post-kind" bind:value=kind>
                <option value="comment">{i.tr(K::PostKindComment)}</option>
                <option value="question">{i.tr(K::PostKindQuestion)}</option>
            </select>
            <label for="post-body">{i.tr(K::WriteYourPost)}</label>
            <textarea id="post-body" rows="4" bind:value=body aria-describedby="post-body-error"></textarea>
            <p id="post-body-error" class="field-error">{body_problem}</p>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::SendPost)}</button>
            <Show when=move || held.get()><p class="success" role="status">{i.tr(K::PostHeldForReview)}</p></Show>
        </form>
    }
}
