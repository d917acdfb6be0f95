//! Micro-suggestions (微建议): the public list, a member's own, staff's review queue; the
//! submission form; one suggestion with its follow-up and staff's review.

use super::assignment::{AssignmentFields, AssignmentInputs};
use super::{follow_up_state_label, suggestion_state_label};
use crate::api::{Failure, Suggestions};
use crate::components::pager::Pager;
use crate::components::photos::{PhotoStrip, PhotoUpload};
use crate::components::states::{field_problem, Empty, ErrorNotice, Loading, RequireUser};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::prefs;
use crate::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use yishi_api::*;

/// Which list: `?view=mine` (own), `?view=review` (staff: waiting), otherwise the public.
#[component]
pub fn SuggestionList() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let view_name = Memo::new(move |_| query.read().get("view").unwrap_or_default());
    let cursor = RwSignal::new(None::<String>);
    let previous = RwSignal::new(Vec::<Option<String>>::new());
    let page = LocalResource::new(move || {
        let v = view_name.get();
        let c = cursor.get();
        session.reader.track();
        async move {
            match v.as_str() {
                "mine" => Suggestions::list(None, true, c).await,
                "review" => Suggestions::list(Some(SuggestionState::Submitted), false, c).await,
                _ => Suggestions::list(None, false, c).await,
            }
        }
    });
    Effect::new(move || {
        view_name.track();
        cursor.set(None);
        previous.set(Vec::new());
    });
    let is_member = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Member))
    };
    let tab = move |name: &'static str, label: K| {
        let href = if name.is_empty() {
            "/suggestions".to_owned()
        } else {
            format!("/suggestions?view={name}")
        };
        view! {
            <a href=href class="tab" aria-current=move || (view_name.get() == name).then_some("page")>{i.tr(label)}</a>
        }
    };
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{i.tr(K::NavSuggestions)}</h1>
                <Show when=is_member>
                    <A href="/suggestions/new" attr:class="button primary">{i.tr(K::NewSuggestion)}</A>
                </Show>
            </div>
            <p class="lead">{i.tr(K::SuggestionsDesc)}</p>
            <nav class="tabs" aria-label=i.tr(K::SuggestionViews)>
                {tab("", K::PublicSuggestions)}
                <Show when=is_member>{tab("mine", K::MySuggestions)}</Show>
                <Show when=move || session.is_admin()>{tab("review", K::ReviewQueue)}</Show>
            </nav>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <Empty text=Signal::derive(move || i.t(match view_name.get().as_str() {
                        "mine" => K::NoOwnSuggestions,
                        "review" => K::NoSuggestionsToReview,
                        _ => K::NoPublicSuggestions,
                    }).to_owned())/>
                }.into_any(),
                Some(Ok(p)) => {
                    let next = p.next_cursor.clone();
                    view! {
                        <ul class="item-list suggestions">
                            {p.items.into_iter().map(|s| view! {
                                <li class="item">
                                    <A href=format!("/suggestions/{}", s.id) attr:class="item-title">{s.title.clone()}</A>
                                    <span class=format!("badge suggestion-{}", s.state.as_str())>{suggestion_state_label(i, s.state)}</span>
                                    {s.follow_up.as_ref().map(|f| view! {
                                        <span class=format!("badge fu-{}", f.state.as_str())>{follow_up_state_label(i, f.state)}</span>
                                    })}
                                    <span class="item-meta">{s.author_name.clone()}</span>
                                    <span class="item-meta"><time datetime=format::iso(s.created_at)>{format::date_time(s.created_at)}</time></span>
                                </li>
                            }).collect_view()}
                        </ul>
                        <Pager previous next cursor={Signal::derive(move || cursor.get())} go={move |c: Option<String>| cursor.set(c)}/>
                    }.into_any()
                }
            }}
        </section>
    }
}

const DRAFT_KEY: &str = "new-suggestion";

#[component]
pub fn NewSuggestionPage() -> impl IntoView {
    view! { <RequireUser><NewSuggestionForm/></RequireUser> }
}

#[component]
fn NewSuggestionForm() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(prefs::draft(DRAFT_KEY).unwrap_or_default());
    let location = RwSignal::new(String::new());
    let public = RwSignal::new(true);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    Effect::new(move || prefs::save_draft(DRAFT_KEY, &body.get()));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let input = NewSuggestion {
            title: title.get_untracked(),
            body: body.get_untracked(),
            location: Some(location.get_untracked()),
            public: public.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match Suggestions::submit(input).await {
                Ok(s) => {
                    prefs::clear_draft(DRAFT_KEY);
                    navigate(&format!("/suggestions/{}", s.id), Default::default());
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let title_problem = field_problem(failure, "title");
    let body_problem = field_problem(failure, "body");
    let location_problem = field_problem(failure, "location");
    let is_member = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.role == Role::Member))
    };
    view! {
        <section class="page">
            <h1>{i.tr(K::NewSuggestion)}</h1>
            <Show when=is_member fallback=move || view! { <p class="notice">{i.tr(K::OnlyMembersSuggest)}</p> }>
                <form class="form wide" on:submit=submit.clone() novalidate>
                    <p class="hint">{i.tr(K::SuggestionHint)}</p>
                    {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                    <label for="suggestion-title">{i.tr(K::SuggestionTitle)}" "<span class="required">{i.tr(K::Required)}</span></label>
                    <input id="suggestion-title" type="text" maxlength="60" bind:value=title aria-describedby="suggestion-title-error"
                        aria-invalid=move || title_problem().map(|_| "true")/>
                    <p id="suggestion-title-error" class="field-error">{title_problem}</p>
                    <label for="suggestion-body">{i.tr(K::SuggestionBody)}" "<span class="required">{i.tr(K::Required)}</span></label>
                    <textarea id="suggestion-body" rows="8" maxlength="2000" bind:value=body aria-describedby="suggestion-body-error"
                        aria-invalid=move || body_problem().map(|_| "true")></textarea>
                    <p id="suggestion-body-error" class="field-error">{body_problem}</p>
                    <label for="suggestion-location">{i.tr(K::SuggestionLocation)}</label>
                    <input id="suggestion-location" type="text" maxlength="100" bind:value=location aria-describedby="suggestion-location-error"/>
                    <p id="suggestion-location-error" class="field-error">{location_problem}</p>
                    <label class="checkbox" for="suggestion-public">
                        <input type="checkbox" id="suggestion-public" bind:checked=public/>
                        {i.tr(K::SuggestionPublic)}
                    </label>
                    <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::SubmitSuggestion)}</button>
                </form>
            </Show>
        </section>
    }
}

#[component]
pub fn SuggestionPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let id = crate::components::route::use_id();
    let version = RwSignal::new(0u32);
    let suggestion = LocalResource::new(move || {
        session.reader.track();
        version.track();
        Suggestions::detail(id.get())
    });
    view! {
        <section class="page">
            {move || match suggestion.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! {
                    <h1>{i.tr(K::NavSuggestions)}</h1>
                    <ErrorNotice failure=f on_retry=move |_| suggestion.refetch()/>
                }.into_any(),
                Some(Ok(s)) => view! { <SuggestionView s suggestion version/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SuggestionView(
    s: Suggestion,
    suggestion: LocalResource<Result<Suggestion, Failure>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let id = s.id;
    view! {
        <p class="kicker">
            {i.tr(K::NavSuggestions)}
            <span class=format!("badge suggestion-{}", s.state.as_str())>{suggestion_state_label(i, s.state)}</span>
        </p>
        <h1>{s.title.clone()}</h1>
        <dl class="facts">
            <dt>{i.tr(K::SubmittedBy)}</dt><dd>{s.author_name.clone()}</dd>
            <dt>{i.tr(K::SubmittedAt)}</dt><dd><time datetime=format::iso(s.created_at)>{format::date_time(s.created_at)}</time></dd>
            {s.location.clone().map(|l| view! { <dt>{i.tr(K::SuggestionLocation)}</dt><dd>{l}</dd> })}
            {s.follow_up.as_ref().map(|f| view! {
                <dt>{i.tr(K::LeadDepartment)}</dt><dd>{f.lead.name.clone()}</dd>
                <dt>{i.tr(K::FollowUpState)}</dt>
                <dd>
                    <span class=format!("badge fu-{}", f.state.as_str())>{follow_up_state_label(i, f.state)}</span>
                    " "<A href=format!("/follow-ups/{}", f.id)>{i.tr(K::ViewTimeline)}</A>
                </dd>
            })}
        </dl>
        <p class="plain-text">{s.body.clone()}</p>
        <PhotoStrip photos=s.photos.clone() title=Signal::derive(move || i.t(K::SuggestionPhotos).to_owned())/>
        {s.can_add_photos.then(|| view! {
            <PhotoUpload owner=id input_id="suggestion-photo" label=K::AddSuggestionPhoto call=|id, f| Box::pin(Suggestions::add_photo(id, f)) version/>
        })}
        {s.review_reason.clone().map(|r| view! {
            <div class="notice"><strong>{i.tr(K::NotAcceptedReason)}"："</strong>{r}</div>
        })}
        {s.reply.clone().map(|r| view! {
            <section class="card reply">
                <h2>{i.tr(K::DepartmentReply)}</h2>
                <p class="plain-text">{r}</p>
            </section>
        })}
        {s.can_review.then(|| view! { <ReviewForm id suggestion/> })}
    }
}

#[component]
fn ReviewForm(id: i64, suggestion: LocalResource<Result<Suggestion, Failure>>) -> impl IntoView {
    let i = use_i18n();
    let fields = AssignmentFields::new();
    let reason = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let send = move |review: SuggestionReview| {
        spawn_local(async move {
            match Suggestions::review(id, review).await {
                Ok(_) => suggestion.refetch(),
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    let accept = move |ev: SubmitEvent| {
        ev.prevent_default();
        send(SuggestionReview::Accept(fields.to_assignment()));
    };
    let give_back = move |ev: SubmitEvent| {
        ev.prevent_default();
        send(SuggestionReview::Return {
            reason: reason.get_untracked(),
        });
    };
    let reason_problem = field_problem(failure, "reason");
    view! {
        <section class="card review" aria-labelledby="review-title">
            <h2 id="review-title">{i.tr(K::ReviewSuggestion)}</h2>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <form class="form wide" on:submit=accept novalidate>
                <h3>{i.tr(K::AcceptAndAssign)}</h3>
                <AssignmentInputs fields failure prefix="review"/>
                <button type="submit" class="button primary">{i.tr(K::AcceptAndAssign)}</button>
            </form>
            <form class="form wide" on:submit=give_back novalidate>
                <h3>{i.tr(K::ReturnSuggestion)}</h3>
                <label for="review-reason">{i.tr(K::ReturnReason)}</label>
                <textarea id="review-reason" rows="3" bind:value=reason aria-describedby="review-reason-error"></textarea>
                <p id="review-reason-error" class="field-error">{reason_problem}</p>
                <button type="submit" class="button secondary">{i.tr(K::ReturnSuggestion)}</button>
            </form>
        </section>
    }
}
