//! The notification centre: newest first, unread marked, mark one or all read; and the
//! per-type channel settings with the account's email address.

use crate::api::{Failure, Notifications};
use crate::components::states::{Empty, ErrorNotice, Loading, RequireUser};
use crate::format;
use crate::i18n::{use_i18n, I18n, K};
use crate::live::UnreadNotifications;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

pub fn notification_label(i: I18n, kind: NotificationKind) -> &'static str {
    use NotificationKind::*;
    i.t(match kind {
        Invited => K::NkInvited,
        StartingSoon => K::NkStartingSoon,
        SpeechAccepted => K::NkSpeechAccepted,
        SpeechDeclined => K::NkSpeechDeclined,
        NextSpeaker => K::NkNextSpeaker,
        QuestionAnswered => K::NkQuestionAnswered,
        Reply => K::NkReply,
        Featured => K::NkFeatured,
        Assigned => K::NkAssigned,
        SuggestionReply => K::NkSuggestionReply,
        IssueState => K::NkIssueState,
        Overdue => K::NkOverdue,
        PostHidden => K::NkPostHidden,
        PostApproved => K::NkPostApproved,
    })
}

fn channel_label(i: I18n, c: Channel) -> &'static str {
    i.t(match c {
        Channel::InApp => K::ChannelInApp,
        Channel::Email => K::ChannelEmail,
        Channel::Webhook => K::ChannelWebhook,
    })
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <RequireUser>
            <NotificationList/>
            <NotificationSettingsForm/>
        </RequireUser>
    }
}

#[component]
fn NotificationList() -> impl IntoView {
    let i = use_i18n();
    let unread = expect_context::<UnreadNotifications>().0;
    let items = RwSignal::new(Vec::<Notification>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(None::<Result<(), Failure>>);
    let load = move |cursor: Option<String>| {
        spawn_local(async move {
            match Notifications::list(cursor.clone()).await {
                Ok(page) => {
                    items.try_update(|all| {
                        if cursor.is_none() {
                            all.clear();
                        }
                        all.extend(page.items);
                    });
                    next.try_set(page.next_cursor);
                    unread.try_set(page.unread);
                    state.try_set(Some(Ok(())));
                }
                Err(f) => {
                    state.try_set(Some(Err(f)));
                }
            }
        });
    };
    load(None);
    // A notification arriving live while the page is open appears at the top.
    Effect::new(move |previous: Option<i64>| {
        let now = unread.get();
        if previous.is_some_and(|p| now > p) {
            load(None);
        }
        now
    });
    let mark = move |id: Option<i64>| {
        spawn_local(async move {
            if let Ok(n) = Notifications::mark_read(id).await {
                unread.try_set(n);
                items.try_update(|all| {
                    for item in all.iter_mut() {
                        if id.is_none() || id == Some(item.id) {
                            item.read = true;
                        }
                    }
                });
            }
        });
    };
    view! {
        <section class="page notifications">
            <div class="toolbar">
                <h1>{i.tr(K::NotificationsTitle)}</h1>
                <button type="button" class="button secondary" disabled=move || unread.get() == 0
                    on:click=move |_| mark(None)>{i.tr(K::MarkAllRead)}</button>
            </div>
            {move || match state.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| load(None)/> }.into_any(),
                Some(Ok(())) if items.with(Vec::is_empty) => view! { <Empty text=Signal::derive(move || i.t(K::NotificationsEmpty).to_owned())/> }.into_any(),
                Some(Ok(())) => view! {
                    <ul class="notification-list">
                        <For each=move || items.get() key=|n| (n.id, n.read) let:n>
                            <li class="card notification" class:unread=!n.read>
                                <p class="item-meta">
                                    {(!n.read).then(|| view! { <span class="badge unread-badge">{i.tr(K::Unread)}</span>" " })}
                                    <span>{move || notification_label(i, n.kind)}</span>" · "{format::date_time(n.created_at)}
                                </p>
                                <p class="notification-title">
                                    <A href=n.link.clone() on:click=move |_| if !n.read { mark(Some(n.id)) }>{n.title.clone()}</A>
                                </p>
                                {(!n.detail.is_empty()).then(|| {
                                    // Replies and answers name who wrote them; other kinds carry a reason or a state.
                                    let by = matches!(n.kind, NotificationKind::Reply | NotificationKind::QuestionAnswered);
                                    let detail = n.detail.clone();
                                    let kind = n.kind;
                                    view! { <p class="notification-detail">{move || {
                                        if by {
                                            return i.fill(K::NotificationFrom, &[("name", detail.clone())]);
                                        }
                                        // State changes carry the new state's code: say it in words.
                                        match kind {
                                            NotificationKind::IssueState => MicroState::parse(&detail)
                                                .map(|s| crate::pages::micro_state_label(i, s).to_owned()),
                                            NotificationKind::SuggestionReply => FollowUpState::parse(&detail)
                                                .map(|s| crate::pages::follow_up_state_label(i, s).to_owned()),
                                            _ => None,
                                        }
                                        .unwrap_or_else(|| detail.clone())
                                    }}</p> }
                                })}
                                {(!n.read).then(|| view! {
                                    <button type="button" class="button link small" on:click=move |_| mark(Some(n.id))>{i.tr(K::MarkRead)}</button>
                                })}
                            </li>
                        </For>
                    </ul>
                    <Show when=move || next.with(Option::is_some)>
                        <button type="button" class="button secondary" on:click=move |_| load(next.get_untracked())>{i.tr(K::NextPage)}</button>
                    </Show>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn NotificationSettingsForm() -> impl IntoView {
    let i = use_i18n();
    let loaded = LocalResource::new(Notifications::settings);
    let settings = RwSignal::new(Vec::<ChannelSetting>::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<(), Failure>>);
    // The failure alone, for the field messages.
    let status_failure = RwSignal::new(None::<Failure>);
    Effect::new(move || status_failure.set(status.get().and_then(Result::err)));
    let available = RwSignal::new((false, false));
    Effect::new(move || {
        if let Some(Ok(s)) = loaded.get() {
            settings.set(s.settings.clone());
            email.set(s.email.clone().unwrap_or_default());
            available.set((s.email_available, s.webhook_available));
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = UpdateNotificationSettings {
            settings: settings.get_untracked(),
            email: Some(email.get_untracked()),
            current_password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
        };
        spawn_local(async move {
            let r = Notifications::save_settings(body).await.map(|_| ());
            if r.is_ok() {
                password.try_set(String::new());
            }
            status.try_set(Some(r));
        });
    };
    let password_problem =
        crate::components::states::field_problem(status_failure, "current_password");
    let is_on = move |kind: NotificationKind, channel: Channel| {
        settings.with(|all| {
            all.iter()
                .any(|s| s.kind == kind && s.channel == channel && s.enabled)
        })
    };
    let toggle = move |kind: NotificationKind, channel: Channel, on: bool| {
        settings.update(|all| {
            if let Some(s) = all
                .iter_mut()
                .find(|s| s.kind == kind && s.channel == channel)
            {
                s.enabled = on;
            }
        });
    };
    view! {
        <section class="page notification-settings">
            <h2>{i.tr(K::NotificationSettingsTitle)}</h2>
            <p class="hint">{i.tr(K::NotificationSettingsHint)}</p>
            {move || match loaded.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| loaded.refetch()/> }.into_any(),
                Some(Ok(_)) => view! {
                    <form on:submit=save>
                        <div class="field">
                            <label for="notify-email">{i.tr(K::EmailAddress)}</label>
                            <input id="notify-email" type="email" maxlength="254" autocomplete="email"
                                prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                            <Show when=move || !available.get().0>
                                <p class="hint">{i.tr(K::EmailUnavailable)}</p>
                            </Show>
                            <label for="notify-password">{i.tr(K::PasswordForEmail)}</label>
                            <input id="notify-password" type="password" autocomplete="current-password"
                                aria-describedby="notify-password-error"
                                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                            <p id="notify-password-error" class="field-error">{password_problem}</p>
                        </div>
                        <div class="table-wrap">
                            <table class="settings-grid">
                                <thead><tr>
                                    <th scope="col"></th>
                                    {Channel::ALL.iter().map(|c| view! { <th scope="col">{move || channel_label(i, *c)}</th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {NotificationKind::ALL.iter().map(|k| {
                                        let k = *k;
                                        view! {
                                            <tr>
                                                <th scope="row">{move || notification_label(i, k)}</th>
                                                {Channel::ALL.iter().map(|c| {
                                                    let c = *c;
                                                    view! {
                                                        <td><input type="checkbox"
                                                            aria-label=move || format!("{} · {}", notification_label(i, k), channel_label(i, c))
                                                            prop:checked=move || is_on(k, c)
                                                            on:change=move |ev| toggle(k, c, event_target_checked(&ev))/></td>
                                                    }
                                                }).collect_view()}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <button type="submit" class="button primary">{i.tr(K::SaveSettings)}</button>
                        {move || status.get().map(|r| match r {
                            Ok(()) => view! { <p class="success" role="status">{i.tr(K::SettingsSaved)}</p> }.into_any(),
                            Err(f) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
                        })}
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
