//! One tracked item: what it is, who handles it by when, the reply, the timeline of every
//! step, and the forms for the steps this reader may take now.

use super::assignment::{AssignmentFields, AssignmentInputs};
use super::{
    follow_up_state_label, rating_label, result_class_label, source_label, timeline_label,
};
use crate::api::{Failure, FollowUps};
use crate::components::photos::{PhotoStrip, PhotoUpload};
use crate::components::states::{field_problem, ErrorNotice, Loading, RequireUser};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::prefs;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

#[component]
pub fn FollowUpPage() -> impl IntoView {
    view! { <RequireUser><ItemPage/></RequireUser> }
}

#[component]
fn ItemPage() -> impl IntoView {
    let i = use_i18n();
    let id = crate::components::route::use_id();
    // The page's state: loaded once, then replaced by each step's answer.
    let item = RwSignal::new(None::<Result<FollowUpDetail, Failure>>);
    let load = move || {
        let id = id.get_untracked();
        spawn_local(async move {
            let fetched = FollowUps::detail(id).await;
            let _ = item.try_set(Some(fetched));
        });
    };
    // Bumped when a photo is added (the upload answers with the photos, not the item).
    let version = RwSignal::new(0u32);
    Effect::new(move || {
        id.track();
        version.track();
        load();
    });
    view! {
        <section class="page follow-up">
            {move || match item.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! {
                    <h1>{i.tr(K::FollowUpItem)}</h1>
                    <ErrorNotice failure=f on_retry=move |_| load()/>
                }.into_any(),
                Some(Ok(d)) => view! { <ItemView d item version/> }.into_any(),
            }}
        </section>
    }
}

/// Runs a step; its answer (the item as it now is) replaces the page's copy.
fn run(
    item: RwSignal<Option<Result<FollowUpDetail, Failure>>>,
    failure: RwSignal<Option<Failure>>,
    done: impl FnOnce() + 'static,
    call: impl std::future::Future<Output = Result<FollowUpDetail, Failure>> + 'static,
) {
    spawn_local(async move {
        match call.await {
            Ok(d) => {
                done();
                let _ = item.try_set(Some(Ok(d)));
            }
            Err(f) => {
                let _ = failure.try_set(Some(f));
            }
        }
    });
}

#[component]
fn ItemView(
    d: FollowUpDetail,
    item: RwSignal<Option<Result<FollowUpDetail, Failure>>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let id = d.summary.id;
    let s = d.summary.clone();
    let a = d.actions;
    let failure = RwSignal::new(None::<Failure>);
    // Officials read a suggestion through its item (its page is the author's, staff's and,
    // once public, everyone's).
    let official = crate::session::use_session()
        .user
        .with_untracked(|u| u.as_ref().is_some_and(|u| u.role == Role::Official));
    let source_link = (s.source == FollowUpSource::MicroSuggestion && !official)
        .then(|| format!("/suggestions/{}", d.source_id));
    view! {
        <p class="kicker">
            {source_label(i, s.source)}
            <span class=format!("badge fu-{}", s.state.as_str())>{follow_up_state_label(i, s.state)}</span>
            {s.overdue.then(|| view! { <span class="badge overdue">"⚠ "{i.tr(K::Overdue)}</span> })}
        </p>
        <h1>{s.title.clone()}</h1>
        <dl class="facts">
            <dt>{i.tr(K::LeadDepartment)}</dt><dd>{s.lead.name.clone()}</dd>
            {(!d.assisting.is_empty()).then(|| view! {
                <dt>{i.tr(K::AssistingDepartments)}</dt>
                <dd>{d.assisting.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join("、")}</dd>
            })}
            <dt>{i.tr(K::AssignedOn)}</dt><dd><time datetime=format::iso(s.assigned_at)>{format::date_time(s.assigned_at)}</time></dd>
            <dt>{i.tr(K::DueDate)}</dt><dd>{s.due_date.clone()}</dd>
            <dt>{i.tr(K::Requester)}</dt><dd>{d.requester_name.clone().unwrap_or_else(|| i.t(K::StaffRecordRating).to_owned())}</dd>
            {a.give_back.then(|| view! { <dt>{i.tr(K::ReturnDeadline)}</dt><dd>{d.return_deadline.clone()}</dd> })}
            {d.rehandled.then(|| view! { <dt>{i.tr(K::Rehandling)}</dt><dd>{i.tr(K::RehandlingNote)}</dd> })}
            {source_link.map(|href| view! { <dt>{i.tr(K::SourceLabel)}</dt><dd><A href=href>{i.tr(K::ViewSource)}</A></dd> })}
        </dl>
        <section class="card">
            <h2>{i.tr(K::ItemContent)}</h2>
            <p class="plain-text">{d.body.clone()}</p>
        </section>
        <PhotoStrip photos=d.source_photos.clone() title=Signal::derive(move || i.t(K::SuggestionPhotos).to_owned())/>
        <PhotoStrip photos=d.photos.clone() title=Signal::derive(move || i.t(K::EvidencePhotos).to_owned())/>
        {a.note.then(|| view! {
            <PhotoUpload owner=id input_id="evidence-photo" label=K::AddEvidencePhoto call=|id, f| Box::pin(FollowUps::add_evidence(id, f)) version/>
        })}
        {d.reply.clone().map(|r| view! {
            <section class="card reply">
                <h2>{i.tr(K::DepartmentReply)}</h2>
                {d.result_class.map(|c| view! { <p><span class="badge result">{result_class_label(i, c)}</span></p> })}
                <p class="plain-text">{r}</p>
                {s.rating.map(|r| view! { <p>{i.tr(K::RatingLabel)}"："<strong>{rating_label(i, r)}</strong></p> })}
            </section>
        })}
        {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
        <div class="button-row">
            {a.accept.then(|| view! {
                <button type="button" class="button primary" on:click=move |_| run(item, failure, || {}, FollowUps::accept(id))>{i.tr(K::AcceptItem)}</button>
            })}
            {a.close.then(|| view! {
                <button type="button" class="button primary" on:click=move |_| run(item, failure, || {}, FollowUps::close(id))>{i.tr(K::CloseItem)}</button>
            })}
        </div>
        {a.reply.then(|| view! { <ReplyForm id item failure/> })}
        {a.rate.then(|| view! { <RatingForm id item failure/> })}
        {a.note.then(|| view! { <TextStepForm id item failure step=TextStep::Note/> })}
        {a.give_back.then(|| view! { <TextStepForm id item failure step=TextStep::GiveBack/> })}
        {a.reassign.then(|| view! { <ReassignForm id item failure/> })}
        <h2>{i.tr(K::Timeline)}</h2>
        <ol class="timeline">
            {d.timeline.into_iter().map(|e| view! {
                <li class=format!("timeline-{}", e.kind.as_str())>
                    <p class="timeline-head">
                        <time datetime=format::iso(e.at)>{format::date_time(e.at)}</time>" "
                        <strong>{timeline_label(i, e.kind)}</strong>" "
                        {e.actor_name.clone().map(|n| match e.actor_department.clone() {
                            Some(dep) => format!("{n}（{dep}）"),
                            None => n,
                        }).unwrap_or_else(|| i.t(K::SystemActor).to_owned())}
                    </p>
                    {e.result_class.map(|c| view! { <p><span class="badge result">{result_class_label(i, c)}</span></p> })}
                    {e.rating.map(|r| view! { <p>{i.tr(K::RatingLabel)}"："{rating_label(i, r)}</p> })}
                    {(!e.text.is_empty()).then(|| view! { <p class="plain-text">{e.text.clone()}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

type Item = RwSignal<Option<Result<FollowUpDetail, Failure>>>;

#[component]
fn ReplyForm(id: i64, item: Item, failure: RwSignal<Option<Failure>>) -> impl IntoView {
    let i = use_i18n();
    let key = format!("follow-up-reply-{id}");
    let text = RwSignal::new(prefs::draft(&key).unwrap_or_default());
    let class = RwSignal::new("solved".to_owned());
    let draft_key = key.clone();
    Effect::new(move || prefs::save_draft(&draft_key, &text.get()));
    let problem = field_problem(failure, "text");
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = ReplyInput {
            text: text.get_untracked(),
            result_class: ResultClass::parse(&class.get_untracked()).unwrap_or(ResultClass::Solved),
        };
        let key = key.clone();
        run(
            item,
            failure,
            move || prefs::clear_draft(&key),
            FollowUps::reply(id, body),
        );
    };
    view! {
        <form class="form wide card" on:submit=submit novalidate>
            <h2>{i.tr(K::ReplyTitle)}</h2>
            <label for="reply-class">{i.tr(K::ResultClassLabel)}</label>
            <select id="reply-class" bind:value=class>
                {ResultClass::ALL.iter().map(|c| {
                    let c = *c;
                    view! { <option value=c.as_str()>{move || result_class_label(i, c)}</option> }
                }).collect_view()}
            </select>
            <label for="reply-text">{i.tr(K::ReplyText)}</label>
            <textarea id="reply-text" rows="6" bind:value=text aria-describedby="reply-text-error"></textarea>
            <p id="reply-text-error" class="field-error">{problem}</p>
            <button type="submit" class="button primary">{i.tr(K::SendReply)}</button>
        </form>
    }
}

#[component]
fn RatingForm(id: i64, item: Item, failure: RwSignal<Option<Failure>>) -> impl IntoView {
    let i = use_i18n();
    let rating = RwSignal::new("satisfied".to_owned());
    let reason = RwSignal::new(String::new());
    let problem = field_problem(failure, "reason");
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = RatingInput {
            rating: Rating::parse(&rating.get_untracked()).unwrap_or(Rating::Satisfied),
            reason: reason.get_untracked(),
        };
        run(item, failure, || {}, FollowUps::rate(id, body));
    };
    view! {
        <form class="form wide card" on:submit=submit novalidate>
            <h2>{i.tr(K::RateTitle)}</h2>
            <fieldset class="checkboxes">
                <legend>{i.tr(K::RatingLabel)}</legend>
                {Rating::ALL.iter().map(|r| {
                    let r = *r;
                    let input_id = format!("rating-{}", r.as_str());
                    let label_for = input_id.clone();
                    view! {
                        <label class="checkbox" for=label_for>
                            <input type="radio" name="rating" id=input_id value=r.as_str()
                                prop:checked=move || rating.get() == r.as_str()
                                on:change=move |_| rating.set(r.as_str().to_owned())/>
                            {move || rating_label(i, r)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label for="rating-reason">{i.tr(K::RatingReason)}</label>
            <textarea id="rating-reason" rows="3" bind:value=reason aria-describedby="rating-reason-error"></textarea>
            <p id="rating-reason-error" class="field-error">{problem}</p>
            <button type="submit" class="button primary">{i.tr(K::SendRating)}</button>
        </form>
    }
}

/// A step that is one text: a progress note, or giving the item back with a reason.
#[derive(Clone, Copy, PartialEq)]
enum TextStep {
    Note,
    GiveBack,
}

#[component]
fn TextStepForm(
    id: i64,
    item: Item,
    failure: RwSignal<Option<Failure>>,
    step: TextStep,
) -> impl IntoView {
    let i = use_i18n();
    let text = RwSignal::new(String::new());
    let (title, label, hint, input_id) = match step {
        TextStep::Note => (K::AddProgressNote, K::ProgressNoteText, None, "note-text"),
        TextStep::GiveBack => (
            K::GiveBackTitle,
            K::GiveBackReason,
            Some(K::GiveBackHint),
            "give-back-reason",
        ),
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = text.get_untracked();
        match step {
            TextStep::Note => run(item, failure, || {}, FollowUps::note(id, value)),
            TextStep::GiveBack => run(item, failure, || {}, FollowUps::give_back(id, value)),
        }
    };
    view! {
        <details class="card">
            <summary>{i.tr(title)}</summary>
            <form class="form wide" on:submit=submit novalidate>
                {hint.map(|h| view! { <p class="hint">{i.tr(h)}</p> })}
                <label for=input_id>{i.tr(label)}</label>
                <textarea id=input_id rows="3" bind:value=text></textarea>
                <button type="submit" class="button secondary">{i.tr(title)}</button>
            </form>
        </details>
    }
}

#[component]
fn ReassignForm(id: i64, item: Item, failure: RwSignal<Option<Failure>>) -> impl IntoView {
    let i = use_i18n();
    let fields = AssignmentFields::new();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        run(
            item,
            failure,
            || {},
            FollowUps::reassign(id, fields.to_assignment()),
        );
    };
    view! {
        <form class="form wide card" on:submit=submit novalidate>
            <h2>{i.tr(K::ReassignTitle)}</h2>
            <AssignmentInputs fields failure prefix="reassign"/>
            <button type="submit" class="button primary">{i.tr(K::Reassign)}</button>
        </form>
    }
}
