//! One micro-consultation: what it is, who took it up, the steps this reader may take,
//! opinions, the questionnaire, the meeting, the consensus and its measures, the timeline.

use super::micro_state_label;
use crate::api::{Failure, Micro, Public};
use crate::components::member_search::MemberSearch;
use crate::components::route::use_id;
use crate::components::states::{ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, K};
use crate::pages::consultations::room::PostBody;
use crate::pages::followup::follow_up_state_label;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

type Issue = RwSignal<Option<Result<MicroDetail, Failure>>>;

/// Runs a step; its answer (the issue as it now is) replaces the page's copy.
fn run(
    issue: Issue,
    failure: RwSignal<Option<Failure>>,
    call: impl std::future::Future<Output = Result<MicroDetail, Failure>> + 'static,
) {
    spawn_local(async move {
        match call.await {
            Ok(d) => {
                let _ = failure.try_set(None);
                let _ = issue.try_set(Some(Ok(d)));
            }
            Err(f) => {
                let _ = failure.try_set(Some(f));
            }
        }
    });
}

#[component]
pub fn MicroPage() -> impl IntoView {
    let i = use_i18n();
    let session = crate::session::use_session();
    let id = use_id();
    let issue: Issue = RwSignal::new(None);
    let posts = RwSignal::new(Vec::<Post>::new());
    let load = move || {
        let id = id.get_untracked();
        spawn_local(async move {
            let d = Micro::detail(id).await;
            let p = Micro::posts(id).await.map(|p| p.items).unwrap_or_default();
            let _ = posts.try_set(p);
            let _ = issue.try_set(Some(d));
        });
    };
    // New opinions arrive over the event stream while the page is open.
    let status = RwSignal::new(crate::live::Connection::Connecting);
    let handle = StoredValue::new_local(None::<crate::live::LiveHandle>);
    Effect::new(move || {
        let id = id.get();
        session.reader.track();
        load();
        handle.set_value(None);
        if id > 0 {
            handle.set_value(Some(crate::live::follow(
                format!("micro:{id}"),
                status,
                move |event| match event.event {
                    EventKind::PostCreated { post } => posts.update(|all| {
                        if !all.iter().any(|p| p.id == post.id) {
                            all.push(post);
                            all.sort_by_key(|p| p.id);
                        }
                    }),
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
                    _ => {}
                },
            )));
        }
    });
    on_cleanup(move || handle.set_value(None));
    view! {
        <section class="page micro-issue">
            {move || match issue.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <h1>{i.tr(K::NavMicro)}</h1><ErrorNotice failure=f on_retry=move |_| load()/> }.into_any(),
                Some(Ok(d)) => view! { <IssueView d issue posts/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn IssueView(d: MicroDetail, issue: Issue, posts: RwSignal<Vec<Post>>) -> impl IntoView {
    let i = use_i18n();
    let id = d.summary.id;
    let a = d.actions;
    let failure = RwSignal::new(None::<Failure>);
    let step = move |to: MicroState| run(issue, failure, Micro::step(id, to));
    let m = d.meeting.clone();
    let measures = d.measures.clone();
    let signed_in = crate::session::use_session().signed_in();
    view! {
        <p class="kicker">{i.tr(K::NavMicro)}
            <span class=format!("badge micro-{}", d.summary.state.as_str())>{micro_state_label(i, d.summary.state)}</span>
        </p>
        <h1>{d.summary.title.clone()}</h1>
        <crate::components::report::PremoderationSwitch kind="micro_consultation" id=id/>
        <dl class="facts">
            {(!d.summary.location.is_empty()).then(|| view! { <dt>{i.tr(K::IssueLocation)}</dt><dd>{d.summary.location.clone()}</dd> })}
            <dt>{i.tr(K::RaisedBy)}</dt>
            <dd>{d.raiser.member_name.clone().unwrap_or_else(|| i.t(K::AResident).to_owned())}
                {d.raiser.name.clone().map(|n| view! { <span class="staff-only">" · "{n}" · "{d.raiser.contact.clone().unwrap_or_default()}</span> })}
                {d.raiser.contact_erased_at.map(|_| view! { <span class="staff-only">" · "{i.tr(K::ContactErased)}</span> })}
            </dd>
            <dt>{i.tr(K::RaisedAt)}</dt><dd><time datetime=format::iso(d.summary.created_at)>{format::date_time(d.summary.created_at)}</time></dd>
            {d.summary.workstation.clone().map(|w| view! { <dt>{i.tr(K::Workstation)}</dt><dd>{w}</dd> })}
            {(!d.members.is_empty()).then(|| view! { <dt>{i.tr(K::Takers)}</dt><dd>{d.members.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("、")}</dd> })}
            {(!d.departments.is_empty()).then(|| view! { <dt>{i.tr(K::ConcernedDepartments)}</dt><dd>{d.departments.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("、")}</dd> })}
        </dl>
        <section class="card"><h2>{i.tr(K::IssueDescription)}</h2><p class="plain-text">{d.description.clone()}</p></section>
        <crate::components::photos::PhotoStrip photos=d.photos.clone() title=Signal::derive(move || i.t(K::SuggestionPhotos).to_owned())/>
        {d.decline_reason.clone().map(|r| view! { <div class="notice"><strong>{i.tr(K::DeclineReason)}"："</strong>{r}</div> })}
        {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
        <div class="button-row">
            {a.open_opinions.then(|| view! { <button type="button" class="button primary" on:click=move |_| step(MicroState::Gathering)>{i.tr(K::OpenOpinions)}</button> })}
            {a.start_implementation.then(|| view! { <button type="button" class="button primary" on:click=move |_| step(MicroState::InImplementation)>{i.tr(K::StartImplementation)}</button> })}
            {a.confirm_resolved.then(|| view! { <button type="button" class="button primary" on:click=move |_| step(MicroState::Resolved)>{i.tr(K::ConfirmResolved)}</button> })}
            {a.close.then(|| view! { <button type="button" class="button primary" on:click=move |_| step(MicroState::Closed)>{i.tr(K::CloseIssue)}</button> })}
        </div>
        {a.accept.then(|| view! { <AcceptForm id issue failure/> })}
        {a.decline.then(|| view! { <TextForm id issue failure what=TextAction::Decline/> })}
        {(m.at.is_some() || !m.place.is_empty()).then(|| view! {
            <section class="card meeting">
                <h2>{i.tr(K::MeetingTitle)}</h2>
                <dl class="facts">
                    {m.at.map(|t| view! { <dt>{i.tr(K::MeetingAt)}</dt><dd>{format::date_time(t)}</dd> })}
                    <dt>{i.tr(K::MeetingPlace)}</dt><dd>{m.place.clone()}</dd>
                    {(!m.participants.is_empty()).then(|| view! { <dt>{i.tr(K::MeetingParticipants)}</dt><dd>{m.participants.clone()}</dd> })}
                </dl>
                {(!m.record.is_empty()).then(|| view! { <h3>{i.tr(K::MeetingRecord)}</h3><p class="plain-text">{m.record.clone()}</p> })}
            </section>
        })}
        {(a.schedule_meeting || a.record_meeting).then(|| view! { <MeetingForm id issue failure current=d.meeting.clone()/> })}
        {d.consensus.clone().map(move |c| view! {
            <section class="card consensus">
                <h2>{i.tr(K::ConsensusTitle)}</h2>
                <p class="plain-text">{c}</p>
                <h3>{i.tr(K::Measures)}</h3>
                <ol class="measures">
                    {measures.into_iter().map(|f| view! {
                        <li>
                            // Items are for those handling or rating them: visitors read the state here.
                            {if signed_in {
                                view! { <A href=format!("/follow-ups/{}", f.id)>{f.title.clone()}</A> }.into_any()
                            } else {
                                view! { <span>{f.title.clone()}</span> }.into_any()
                            }}
                            " "<span class=format!("badge fu-{}", f.state.as_str())>{follow_up_state_label(i, f.state)}</span>
                            {f.overdue.then(|| view! { <span class="badge overdue">"⚠ "{i.tr(K::Overdue)}</span> })}
                            " "<span class="item-meta">{f.lead.name.clone()}" · "{i.tr(K::DueDate)}"："{f.due_date.clone()}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
        {a.publish_consensus.then(|| view! { <ConsensusForm id issue failure/> })}
        {d.feedback.clone().map(|f| view! { <section class="card"><h2>{i.tr(K::RaiserFeedback)}</h2><p class="plain-text">{f}</p></section> })}
        {a.record_feedback.then(|| view! { <TextForm id issue failure what=TextAction::Feedback/> })}
        <QuestionnaireView id issue failure q=d.questionnaire.clone() edit=a.edit_questionnaire/>
        <Opinions id posts can_post=a.post failure/>
        <h2>{i.tr(K::Timeline)}</h2>
        <ol class="timeline">
            {d.timeline.iter().map(|t| view! {
                <li>
                    <p class="timeline-head">
                        <time datetime=format::iso(t.at)>{format::date_time(t.at)}</time>" "
                        <strong>{micro_state_label(i, t.to)}</strong>" "
                        {t.actor_name.clone().unwrap_or_else(|| i.t(K::AResident).to_owned())}
                    </p>
                    {(!t.note.is_empty()).then(|| view! { <p class="plain-text">{t.note.clone()}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn AcceptForm(id: i64, issue: Issue, failure: RwSignal<Option<Failure>>) -> impl IntoView {
    let i = use_i18n();
    let org = LocalResource::new(Public::organisation);
    let takers = RwSignal::new(Vec::<(AccountId, String)>::new());
    let departments = RwSignal::new(Vec::<i64>::new());
    let workstation = RwSignal::new(String::new());
    let visibility = RwSignal::new("public".to_owned());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = AcceptIssue {
            workstation_id: workstation.get_untracked().parse().ok().map(WorkstationId),
            members: takers.get_untracked().into_iter().map(|(a, _)| a).collect(),
            departments: departments
                .get_untracked()
                .into_iter()
                .map(DepartmentId)
                .collect(),
            visibility: if visibility.get_untracked() == "members" {
                Visibility::Members
            } else {
                Visibility::Public
            },
        };
        run(issue, failure, Micro::accept(id, body));
    };
    view! {
        <form class="form wide card" on:submit=submit novalidate>
            <h2>{i.tr(K::AcceptIssue)}</h2>
            <fieldset class="picker">
                <legend>{i.tr(K::Takers)}</legend>
                {move || view! {
                    <ul class="chips">
                        {takers.get().into_iter().map(|(aid, name)| {
                            let label = format!("{} {}", i.t(K::Remove), name);
                            view! { <li class="chip">{name.clone()}<button type="button" class="chip-remove" aria-label=label
                                on:click=move |_| takers.update(|t| t.retain(|(x, _)| *x != aid))>"×"</button></li> }
                        }).collect_view()}
                    </ul>
                }}
                <MemberSearch id="taker-search" label=K::FindTaker on_pick=Callback::new(move |m: AccountSummary| {
                    takers.update(|t| if !t.iter().any(|(x, _)| *x == m.id) { t.push((m.id, m.display_name.clone())); });
                })/>
            </fieldset>
            <fieldset class="checkboxes">
                <legend>{i.tr(K::ConcernedDepartments)}</legend>
                {move || org.get().and_then(|o| o.ok()).map(|o| o.departments.into_iter().map(|d| {
                    let did = d.id.0;
                    let input_id = format!("micro-dept-{did}");
                    let label_for = input_id.clone();
                    view! {
                        <label class="checkbox" for=label_for>
                            <input type="checkbox" id=input_id prop:checked=move || departments.with(|x| x.contains(&did))
                                on:change=move |_| departments.update(|x| if let Some(p) = x.iter().position(|v| *v == did) { x.remove(p); } else { x.push(did); })/>
                            {d.name}
                        </label>
                    }
                }).collect_view())}
            </fieldset>
            <label for="micro-workstation-choice">{i.tr(K::Workstation)}</label>
            <select id="micro-workstation-choice" bind:value=workstation>
                <option value="">{i.tr(K::NoneOption)}</option>
                {move || org.get().and_then(|o| o.ok()).map(|o| o.workstations.into_iter().map(|w| view! {
                    <option value=w.id.0.to_string()>{w.name}</option>
                }).collect_view())}
            </select>
            <label for="micro-visibility">{i.tr(K::VisibilityLabel)}</label>
            <select id="micro-visibility" bind:value=visibility>
                <option value="public">{i.tr(K::VisibilityPublic)}</option>
                <option value="members">{i.tr(K::VisibilityMembers)}</option>
            </select>
            <button type="submit" class="button primary">{i.tr(K::AcceptIssue)}</button>
        </form>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum TextAction {
    Decline,
    Feedback,
}

#[component]
fn TextForm(
    id: i64,
    issue: Issue,
    failure: RwSignal<Option<Failure>>,
    what: TextAction,
) -> impl IntoView {
    let i = use_i18n();
    let text = RwSignal::new(String::new());
    let (title, input_id) = match what {
        TextAction::Decline => (K::DeclineIssue, "decline-reason"),
        TextAction::Feedback => (K::RecordFeedback, "feedback-text"),
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = text.get_untracked();
        match what {
            TextAction::Decline => run(issue, failure, Micro::decline(id, value)),
            TextAction::Feedback => run(issue, failure, Micro::feedback(id, value)),
        }
    };
    view! {
        <form class="form wide card" on:submit=submit novalidate>
            <h2>{i.tr(title)}</h2>
            <label for=input_id>{i.tr(match what { TextAction::Decline => K::DeclineReason, TextAction::Feedback => K::RaiserFeedback })}</label>
            <textarea id=input_id rows="3" bind:value=text></textarea>
            <button type="submit" class="button secondary">{i.tr(title)}</button>
        </form>
    }
}

#[component]
fn MeetingForm(
    id: i64,
    issue: Issue,
    failure: RwSignal<Option<Failure>>,
    current: Meeting,
) -> impl IntoView {
    let i = use_i18n();
    let at = RwSignal::new(
        current
            .at
            .map(|t| format::date_time(t).replace(' ', "T"))
            .unwrap_or_default(),
    );
    let place = RwSignal::new(current.place.clone());
    let participants = RwSignal::new(current.participants.clone());
    let record = RwSignal::new(current.record.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let when = at.get_untracked();
        let ms = (!when.is_empty())
            .then(|| js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&when)).get_time())
            .filter(|t| !t.is_nan())
            .map(|t| t as i64);
        run(
            issue,
            failure,
            Micro::meeting(
                id,
                Meeting {
                    at: ms,
                    place: place.get_untracked(),
                    participants: participants.get_untracked(),
                    record: record.get_untracked(),
                },
            ),
        );
    };
    view! {
        <form class="form wide card" on:submit=submit novalidate>
            <h2>{i.tr(K::MeetingTitle)}</h2>
            <label for="meeting-at">{i.tr(K::MeetingAt)}</label>
            <input id="meeting-at" type="datetime-local" bind:value=at/>
            <label for="meeting-place">{i.tr(K::MeetingPlace)}</label>
            <input id="meeting-place" type="text" maxlength="200" bind:value=place/>
            <label for="meeting-participants">{i.tr(K::MeetingParticipants)}</label>
            <input id="meeting-participants" type="text" maxlength="1000" bind:value=participants/>
            <label for="meeting-record">{i.tr(K::MeetingRecord)}</label>
            <textarea id="meeting-record" rows="5" bind:value=record></textarea>
            <button type="submit" class="button primary">{i.tr(K::SaveMeeting)}</button>
        </form>
    }
}

#[component]
fn ConsensusForm(id: i64, issue: Issue, failure: RwSignal<Option<Failure>>) -> impl IntoView {
    let i = use_i18n();
    let org = LocalResource::new(Public::organisation);
    let text = RwSignal::new(String::new());
    // Each measure: text, lead department, due date.
    let measures = RwSignal::new(vec![(
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(crate::pages::followup::date_in(30)),
    )]);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = ConsensusInput {
            text: text.get_untracked(),
            measures: measures
                .get_untracked()
                .into_iter()
                .map(|(t, d, due)| NewMeasure {
                    text: t.get_untracked(),
                    lead_department_id: DepartmentId(d.get_untracked().parse().unwrap_or(0)),
                    due_date: due.get_untracked(),
                })
                .collect(),
        };
        run(issue, failure, Micro::consensus(id, body));
    };
    view! {
        <form class="form wide card" on:submit=submit novalidate>
            <h2>{i.tr(K::PublishConsensus)}</h2>
            <label for="consensus-text">{i.tr(K::ConsensusTitle)}</label>
            <textarea id="consensus-text" rows="4" bind:value=text></textarea>
            {move || measures.get().into_iter().enumerate().map(|(n, (t, d, due))| {
                let number = n + 1;
                view! {
                    <fieldset class="picker measure">
                        <legend>{i.fill(K::MeasureN, &[("n", number.to_string())])}</legend>
                        <label for=format!("measure-{number}-text")>{i.tr(K::MeasureText)}</label>
                        <input id=format!("measure-{number}-text") type="text" bind:value=t/>
                        <label for=format!("measure-{number}-dept")>{i.tr(K::LeadDepartment)}</label>
                        <select id=format!("measure-{number}-dept") bind:value=d>
                            <option value="">{i.tr(K::ChooseDepartment)}</option>
                            {move || org.get().and_then(|o| o.ok()).map(|o| o.departments.into_iter().map(|x| view! {
                                <option value=x.id.0.to_string()>{x.name}</option>
                            }).collect_view())}
                        </select>
                        <label for=format!("measure-{number}-due")>{i.tr(K::DueDate)}</label>
                        <input id=format!("measure-{number}-due") type="date" bind:value=due/>
                    </fieldset>
                }
            }).collect_view()}
            <div class="button-row">
                <button type="button" class="button secondary" on:click=move |_| measures.update(|m| m.push((
                    RwSignal::new(String::new()),
                    RwSignal::new(String::new()),
                    RwSignal::new(crate::pages::followup::date_in(30)),
                )))>{i.tr(K::AddMeasure)}</button>
                <button type="submit" class="button primary">{i.tr(K::PublishConsensus)}</button>
            </div>
        </form>
    }
}

#[component]
fn QuestionnaireView(
    id: i64,
    issue: Issue,
    failure: RwSignal<Option<Failure>>,
    q: Questionnaire,
    edit: bool,
) -> impl IntoView {
    let i = use_i18n();
    let chosen = RwSignal::new(Vec::<(i64, i64)>::new());
    let draft = RwSignal::new(String::new());
    let answer = move |ev: SubmitEvent| {
        ev.prevent_default();
        let picks = chosen.get_untracked();
        let mut answers: Vec<Answer> = Vec::new();
        for (question, option) in picks {
            match answers.iter_mut().find(|a| a.question_id == question) {
                Some(a) => a.option_ids.push(option),
                None => answers.push(Answer {
                    question_id: question,
                    option_ids: vec![option],
                }),
            }
        }
        run(issue, failure, Micro::answer(id, Answers { answers }));
    };
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        // One question per line, options after "：" separated by "/"; "[多选]" marks multiple choice.
        let questions = draft
            .get_untracked()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let multiple = line.contains("[多选]");
                let line = line.replace("[多选]", "");
                let (text, options) = line
                    .split_once('：')
                    .or_else(|| line.split_once(':'))
                    .unwrap_or((&line, ""));
                NewQuestion {
                    text: text.trim().to_owned(),
                    multiple,
                    options: options
                        .split('/')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect(),
                }
            })
            .collect();
        run(
            issue,
            failure,
            Micro::set_questionnaire(id, QuestionnaireInput { questions }),
        );
    };
    let has_questions = !q.questions.is_empty();
    let can_answer = q.can_answer;
    let respondents = q.respondents;
    (has_questions || edit).then(|| view! {
        <section class="card questionnaire">
            <h2>{i.tr(K::Questionnaire)}</h2>
            {respondents.map(|n| view! { <p class="item-meta">{i.fill(K::Respondents, &[("n", n.to_string())])}</p> })}
            {q.answered.then(|| view! { <p class="success" role="status">{i.tr(K::YouAnswered)}</p> })}
            <form class="form wide" on:submit=answer novalidate>
                {q.questions.iter().map(|question| {
                    let qid = question.id;
                    let total: i64 = question.options.iter().filter_map(|o| o.count).sum();
                    let multiple = question.multiple;
                    view! {
                        <fieldset class="question">
                            <legend>{question.text.clone()}{multiple.then(|| format!("（{}）", i.t(K::MultipleChoice)))}</legend>
                            {question.options.iter().map(|o| {
                                let oid = o.id;
                                let input_id = format!("option-{oid}");
                                let label_for = input_id.clone();
                                let share = o.count.map(|c| if total > 0 { c * 100 / total } else { 0 });
                                view! {
                                    <div class="option">
                                        {can_answer.then(|| view! {
                                            <input type=if multiple { "checkbox" } else { "radio" } name=format!("question-{qid}") id=input_id
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|c| {
                                                        if !multiple { c.retain(|(q, _)| *q != qid); }
                                                        c.retain(|x| *x != (qid, oid));
                                                        if on { c.push((qid, oid)); }
                                                    });
                                                }/>
                                        })}
                                        <label for=label_for>{o.text.clone()}</label>
                                        {o.count.zip(share).map(|(c, pct)| view! {
                                            <span class="bar" role="img" aria-label=format!("{} {c}（{pct}%）", o.text)>
                                                <span class="bar-fill" style=format!("width: {pct}%")></span>
                                            </span>
                                            <span class="bar-count">{format!("{c}（{pct}%）")}</span>
                                        })}
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    }
                }).collect_view()}
                {can_answer.then(|| view! { <button type="submit" class="button primary">{i.tr(K::SubmitAnswers)}</button> })}
            </form>
            {edit.then(|| view! {
                <form class="form wide" on:submit=save novalidate>
                    <label for="questionnaire-text">{i.tr(K::EditQuestionnaire)}</label>
                    <p class="hint">{i.tr(K::QuestionnaireHint)}</p>
                    <textarea id="questionnaire-text" rows="4" bind:value=draft></textarea>
                    <button type="submit" class="button secondary">{i.tr(K::SaveQuestionnaire)}</button>
                </form>
            })}
        </section>
    })
}

#[component]
fn Opinions(
    id: i64,
    posts: RwSignal<Vec<Post>>,
    can_post: bool,
    failure: RwSignal<Option<Failure>>,
) -> impl IntoView {
    let i = use_i18n();
    let text = RwSignal::new(String::new());
    // The last opinion went to the moderators first.
    let held = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = NewPost {
            kind: PostKind::Comment,
            body: text.get_untracked(),
            parent_id: None,
        };
        spawn_local(async move {
            match Micro::create_post(id, body).await {
                Ok(p) => {
                    let _ = held.try_set(p.pending);
                    let _ = text.try_set(String::new());
                    // The event stream may have brought it already.
                    let _ = posts.try_update(|all| {
                        // A held post waits for a moderator; others never see it before.
                        if !p.pending && !all.iter().any(|x| x.id == p.id) {
                            all.push(p);
                        }
                    });
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <section class="opinions" aria-labelledby="opinions-title">
            <h2 id="opinions-title">{i.tr(K::Opinions)}</h2>
            {move || {
                let all = posts.get();
                if all.is_empty() {
                    return view! { <p class="state empty">{i.tr(K::NoOpinions)}</p> }.into_any();
                }
                view! {
                    <ol class="posts">
                        {crate::components::replies::with_replies(&all).into_iter().map(|(p, children)| {
                            view! {
                                <li class="post kind-comment">
                                    <PostBody post=p/>
                                    {(!children.is_empty()).then(|| view! {
                                        <ol class="children">{children.into_iter().map(|c| view! { <li class="post kind-reply"><PostBody post=c/></li> }).collect_view()}</ol>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {can_post.then(|| view! {
                <form class="form wide post-form" on:submit=submit novalidate>
                    <label for="opinion-body">{i.tr(K::YourOpinion)}</label>
                    <textarea id="opinion-body" rows="3" bind:value=text></textarea>
                    <button type="submit" class="button primary">{i.tr(K::SendOpinion)}</button>
                    <Show when=move || held.get()><p class="success" role="status">{i.tr(K::PostHeldForReview)}</p></Show>
                </form>
            })}
        </section>
    }
}
