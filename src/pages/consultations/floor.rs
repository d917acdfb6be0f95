//! The meeting at a glance (largest on screen): segment, current speaker with the time left,
//! the queue; the chair's controls; members' applications to speak.

use crate::api::{Failure, Floor};
use crate::i18n::{use_i18n, I18n, K};
use crate::session::member_ui;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use yishi_api::*;

pub fn segment_label(i: I18n, s: Option<Segment>) -> &'static str {
    i.t(match s {
        None => K::NoSegment,
        Some(Segment::Briefing) => K::SegBriefing,
        Some(Segment::Questions) => K::SegQuestions,
        Some(Segment::Answers) => K::SegAnswers,
        Some(Segment::Speeches) => K::SegSpeeches,
    })
}

fn mode_label(i: I18n, m: SpeechMode) -> &'static str {
    i.t(match m {
        SpeechMode::Venue => K::ModeVenue,
        SpeechMode::Video => K::ModeVideo,
        SpeechMode::Written => K::ModeWritten,
    })
}

fn mm_ss(seconds: i64) -> String {
    let s = seconds.abs();
    format!(
        "{}{:02}:{:02}",
        if seconds < 0 { "-" } else { "" },
        s / 60,
        s % 60
    )
}

/// Runs a chair's action and shows its failure, if any.
fn act(
    failure: RwSignal<Option<Failure>>,
    floor: RwSignal<Option<FloorState>>,
    call: impl std::future::Future<Output = Result<FloorState, Failure>> + 'static,
) {
    spawn_local(async move {
        match call.await {
            Ok(f) => {
                floor.set(Some(f));
                failure.set(None);
            }
            Err(f) => failure.set(Some(f)),
        }
    });
}

#[component]
pub fn FloorPanel(
    consultation: i64,
    floor: RwSignal<Option<FloorState>>,
    runs_meeting: bool,
    can_apply: bool,
    live: bool,
) -> impl IntoView {
    let i = use_i18n();
    // Member-only parts are gated with `member_ui` where each is built: a flag captured by a
    // view's closure is a run-time value there, and the reader's build drops only what the
    // gate at the use makes unreachable.
    let failure = RwSignal::new(None::<Failure>);
    // The countdown ticks once a second from the speech's start time.
    let now = RwSignal::new(js_sys::Date::now() as i64);
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(js_sys::Date::now() as i64),
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let segment_choice = RwSignal::new("briefing".to_owned());
    view! {
        <section class="floor" aria-labelledby="floor-title">
            <h2 id="floor-title">{i.tr(K::Floor)}</h2>
            <div class="floor-now">
                <p class="floor-segment"><span class="label">{i.tr(K::SegmentLabel)}</span>
                    <strong>{move || segment_label(i, floor.with(|f| f.as_ref().and_then(|f| f.segment)))}</strong></p>
                {move || match floor.with(|f| f.as_ref().and_then(|f| f.current.clone())) {
                    Some(s) => {
                        let started = s.started_at.unwrap_or_default();
                        let allotted = s.allotted_seconds;
                        let left = move || allotted - (now.get() - started) / 1000;
                        view! {
                            <div class="current-speaker">
                                <p class="label">{i.tr(K::CurrentSpeaker)}</p>
                                <p class="speaker-line"><span class="speaker-name">{s.speaker_name.clone()}</span><span class="speaker-mode">{mode_label(i, s.mode)}</span></p>
                                <p class="speech-summary">{s.summary.clone()}</p>
                                <p class="countdown" class:overtime=move || left() < 0>
                                    <span class="label">{move || if left() < 0 { i.t(K::Overtime) } else { i.t(K::Remaining) }}</span>
                                    <span class="timer">{move || mm_ss(left())}</span>
                                </p>
                            </div>
                        }.into_any()
                    }
                    None => view! { <p class="current-speaker none">{i.tr(K::NobodySpeaking)}</p> }.into_any(),
                }}
            </div>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            {(member_ui(runs_meeting) && live).then(|| view! {
                <div class="chair-controls button-row">
                    <label class="visually-hidden" for="segment-choice">{i.tr(K::SegmentLabel)}</label>
                    <select id="segment-choice" bind:value=segment_choice>
                        {Segment::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || segment_label(i, Some(s))}</option> }).collect_view()}
                    </select>
                    <button type="button" class="button secondary" on:click=move |_| {
                        if let Some(s) = Segment::parse(&segment_choice.get_untracked()) {
                            act(failure, floor, Floor::set_segment(consultation, s));
                        }
                    }>{i.tr(K::SetSegment)}</button>
                    <button type="button" class="button primary" on:click=move |_| act(failure, floor, Floor::call_next(consultation))>{i.tr(K::CallNext)}</button>
                    <button type="button" class="button secondary" on:click=move |_| act(failure, floor, Floor::end_speech(consultation))>{i.tr(K::EndSpeech)}</button>
                </div>
            })}
            <h3>{i.tr(K::Queue)}</h3>
            {move || {
                let queue = floor.with(|f| f.as_ref().map(|f| f.queue.clone()).unwrap_or_default());
                if queue.is_empty() {
                    return view! { <p class="state empty">{i.tr(K::QueueEmpty)}</p> }.into_any();
                }
                let ids: Vec<i64> = queue.iter().map(|s| s.id).collect();
                let last = ids.len() - 1;
                view! {
                    <ol class="queue">
                        {queue.into_iter().enumerate().map(|(n, s)| {
                            let ids_up = ids.clone();
                            let ids_down = ids.clone();
                            view! {
                                <li class="queue-item">
                                    <span class="speaker-name">{s.speaker_name.clone()}</span>
                                    <span class="speaker-mode">{mode_label(i, s.mode)}</span>
                                    <span class="speech-summary">{s.summary.clone()}</span>
                                    {member_ui(runs_meeting).then(|| view! {
                                        <span class="row-actions">
                                            <button type="button" class="button secondary small" disabled=n == 0
                                                aria-label=format!("{} {}", i.t(K::MoveUp), s.speaker_name)
                                                on:click=move |_| { let mut v = ids_up.clone(); v.swap(n, n.saturating_sub(1)); act(failure, floor, Floor::reorder(consultation, v)); }>
                                                "↑ "{i.tr(K::MoveUp)}</button>
                                            <button type="button" class="button secondary small" disabled=n == last
                                                aria-label=format!("{} {}", i.t(K::MoveDown), s.speaker_name)
                                                on:click=move |_| { let mut v = ids_down.clone(); if n < last { v.swap(n, n + 1); } act(failure, floor, Floor::reorder(consultation, v)); }>
                                                "↓ "{i.tr(K::MoveDown)}</button>
                                        </span>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {member_ui(runs_meeting).then(|| view! {
                {move || {
                    let pending = floor.with(|f| f.as_ref().map(|f| f.pending.clone()).unwrap_or_default());
                    (!pending.is_empty()).then(|| view! {
                        <h3>{i.tr(K::PendingApplications)}</h3>
                        <ul class="pending">
                            {pending.into_iter().map(|s| {
                                let id = s.id;
                                // Empty: the server's default (8 minutes; 5 for impromptu remarks).
                                let minutes = RwSignal::new(String::new());
                                let minutes_id = format!("minutes-{id}");
                                let written = s.mode == SpeechMode::Written;
                                view! {
                                    <li class="pending-item">
                                        <span class="speaker-name">{s.speaker_name.clone()}</span>
                                        <span class="speaker-mode">{mode_label(i, s.mode)}</span>
                                        <span class="speech-summary">{s.summary.clone()}</span>
                                        {(!written).then(|| view! {
                                            <span class="floor-minutes">
                                                <label for=minutes_id.clone()>{i.tr(K::FloorMinutes)}</label>
                                                <input id=minutes_id type="number" min="1" max="60" inputmode="numeric"
                                                    placeholder=i.t(K::FloorMinutesDefault) bind:value=minutes/>
                                            </span>
                                        })}
                                        <span class="row-actions">
                                            <button type="button" class="button primary small" aria-label=format!("{} {}", i.t(K::Accept), s.speaker_name)
                                                on:click=move |_| {
                                                    let chosen = minutes.get_untracked().trim().parse::<u32>().ok();
                                                    act(failure, floor, Floor::decide(id, true, chosen))
                                                }>{i.tr(K::Accept)}</button>
                                            <button type="button" class="button secondary small" aria-label=format!("{} {}", i.t(K::Decline), s.speaker_name)
                                                on:click=move |_| act(failure, floor, Floor::decide(id, false, None))>{i.tr(K::Decline)}</button>
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }}
            })}
            {member_ui(can_apply).then(|| view! { <ApplyForm consultation floor/> })}
            {move || {
                let done = floor.with(|f| f.as_ref().map(|f| f.done.clone()).unwrap_or_default());
                (!done.is_empty()).then(|| view! {
                    <h3>{i.tr(K::SpeechRecord)}</h3>
                    <ol class="speech-record">
                        {done.into_iter().map(|s| view! {
                            <li>
                                <span class="speaker-name">{s.speaker_name.clone()}</span>" · "{mode_label(i, s.mode)}
                                {s.segment.map(|seg| format!(" · {}", segment_label(i, Some(seg))))}
                                {s.used_seconds.filter(|_| s.mode != SpeechMode::Written).map(|u| format!(" · {} {}", i.t(K::UsedTime), mm_ss(u)))}
                                <p class="speech-summary">{s.summary.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                })
            }}
        </section>
    }
}

#[component]
fn ApplyForm(consultation: i64, floor: RwSignal<Option<FloorState>>) -> impl IntoView {
    let i = use_i18n();
    let mode = RwSignal::new("venue".to_owned());
    let summary = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let sent = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mode = SpeechMode::parse(&mode.get_untracked()).unwrap_or(SpeechMode::Venue);
        let text = summary.get_untracked();
        spawn_local(async move {
            match Floor::apply(
                consultation,
                ApplyToSpeak {
                    mode,
                    summary: text,
                },
            )
            .await
            {
                Ok(f) => {
                    floor.set(Some(f));
                    summary.set(String::new());
                    failure.set(None);
                    sent.set(true);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <details class="apply-form">
            <summary>{i.tr(K::ApplyToSpeak)}</summary>
            <form class="form" on:submit=submit>
                <label for="speech-mode">{i.tr(K::SpeechModeLabel)}</label>
                <select id="speech-mode" bind:value=mode>
                    <option value="venue">{i.tr(K::ModeVenue)}</option>
                    <option value="video">{i.tr(K::ModeVideo)}</option>
                    <option value="written">{i.tr(K::ModeWritten)}</option>
                </select>
                <label for="speech-summary">{i.tr(K::SpeechSummary)}</label>
                <textarea id="speech-summary" rows="3" bind:value=summary></textarea>
                {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                <Show when=move || sent.get()><p class="success" role="status">{i.tr(K::ApplicationSent)}</p></Show>
                <button type="submit" class="button primary">{i.tr(K::SubmitApplication)}</button>
            </form>
        </details>
    }
}
