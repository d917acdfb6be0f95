//! Header (navigation, language, text size, sign-in/out) and footer.

use crate::api::{Member, Public};
use crate::i18n::{use_i18n, Locale, K};
use crate::nav::{use_go, A};
use crate::prefs::{apply_locale, apply_text_size, TextSize};
use crate::session::{use_session, READER};
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::SiteInfo;

/// Site settings (committee name, footer) loaded once and shared.
#[derive(Clone, Copy)]
pub struct Site(pub RwSignal<Option<SiteInfo>>);

impl Site {
    pub fn load() -> Site {
        let site = Site(RwSignal::new(None));
        site.reload();
        site
    }
    pub fn reload(self) {
        spawn_local(async move {
            if let Ok(info) = Public::site().await {
                self.0.set(Some(info));
            }
        });
    }
}

#[component]
pub fn Header(text_size: RwSignal<TextSize>) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let site = expect_context::<Site>();
    let go = use_go();
    let sign_out = move |_| {
        let go = go.clone();
        spawn_local(async move {
            // Even if the server is unreachable, forget the user here; the session expires.
            let _ = Member::sign_out().await;
            session.user.set(None);
            session.reload();
            go("/");
        });
    };
    let toggle_language = move |_| {
        let next = if i.locale.get() == Locale::Zh {
            Locale::En
        } else {
            Locale::Zh
        };
        i.locale.set(next);
        apply_locale(next);
    };
    let size_button = move |size: TextSize, key: K, class: &'static str| {
        view! {
            <button type="button" class=format!("size-button {class}")
                aria-pressed=move || (text_size.get() == size).to_string()
                on:click=move |_| { text_size.set(size); apply_text_size(size); }>
                {i.tr(key)}
            </button>
        }
    };
    let unread = expect_context::<crate::live::UnreadNotifications>().0;
    let search_text = RwSignal::new(String::new());
    let search_go = use_go();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = search_text.get_untracked();
        if !text.trim().is_empty() {
            search_go(&crate::pages::search_href(text.trim(), None, None, 1));
            search_text.set(String::new());
        }
    };
    let committee = move || {
        site.0.with(|s| {
            s.as_ref()
                .map(|s| s.committee_name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <a class="skip-link" href="#main">{i.tr(K::SkipToContent)}</a>
        <header class="site-header">
            <div class="header-top">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"议"</span>
                    <span class="brand-text">
                        <span class="brand-name">{i.tr(K::AppName)}</span>
                        <span class="brand-committee">{committee}</span>
                    </span>
                </A>
                <form class="header-search" role="search" on:submit=search>
                    <label for="header-search-q" class="visually-hidden">{i.tr(K::SearchLabel)}</label>
                    <input id="header-search-q" type="search" maxlength="100" placeholder=i.tr(K::SearchTitle)
                        prop:value=move || search_text.get() on:input=move |ev| search_text.set(event_target_value(&ev))/>
                    <button type="submit" class="button secondary small" aria-label=i.tr(K::SearchSite)>{i.tr(K::SearchButton)}</button>
                </form>
                <div class="header-tools">
                    <div class="size-switch" role="group" aria-label=i.tr(K::TextSize)>
                        {size_button(TextSize::Standard, K::TextStandard, "size-standard")}
                        {size_button(TextSize::Large, K::TextLarge, "size-large")}
                        {size_button(TextSize::ExtraLarge, K::TextXLarge, "size-xlarge")}
                    </div>
                    <button type="button" class="button link lang-switch" title=i.tr(K::SwitchLanguage)
                        lang=move || if i.locale.get() == Locale::Zh { "en" } else { "zh-CN" }
                        on:click=toggle_language>{i.tr(K::OtherLanguage)}</button>
                    {move || match session.user.get().filter(|_| !READER) {
                        Some(user) => view! {
                            <A href="/notifications" attr:class="bell"
                                attr:aria-label=move || i.fill(K::NotificationsUnread, &[("n", unread.get().to_string())])>
                                <span aria-hidden="true">{i.tr(K::NotificationsShort)}</span>
                                <Show when=move || { unread.get() > 0 }>
                                    <span class="bell-count" aria-hidden="true">{move || if unread.get() > 99 { "99+".to_owned() } else { unread.get().to_string() }}</span>
                                </Show>
                            </A>
                            <span class="user-name">{user.display_name}</span>
                            <button type="button" class="button secondary small" on:click=sign_out.clone()>{i.tr(K::SignOut)}</button>
                        }.into_any(),
                        None => view! {
                            <A href="/signin" attr:class="button primary small">{i.tr(K::SignIn)}</A>
                        }.into_any(),
                    }}
                </div>
            </div>
            <nav class="main-nav" aria-label=i.tr(K::MainNav)>
                <A href="/" exact=true>{i.tr(K::NavHome)}</A>
                <A href="/consultations">{i.tr(K::NavConsultations)}</A>
                <A href="/micro-consultations">{i.tr(K::NavMicro)}</A>
                <A href="/reading-groups">{i.tr(K::NavReading)}</A>
                <A href="/suggestions">{i.tr(K::NavSuggestions)}</A>
                <Show when=move || session.signed_in()>
                    <A href="/follow-ups">{i.tr(K::NavFollowUp)}</A>
                </Show>
                <Show when=move || session.signed_in()>
                    <A href="/me">{i.tr(K::NavMyActivity)}</A>
                </Show>
                <Show when=move || session.is_admin()>
                    <A href="/admin">{i.tr(K::NavAdmin)}</A>
                </Show>
            </nav>
            {move || session.user.get().filter(|_| !READER).and_then(|u| u.suspension).map(|s| view! {
                <p class="notice suspended-notice" role="status">
                    {i.fill(K::YouAreSuspended, &[("until", crate::format::date_time(s.until)), ("reason", s.reason)])}
                </p>
            })}
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let site = expect_context::<Site>();
    view! {
        <footer class="site-footer">
            {move || site.0.get().map(|s| view! {
                <p class="footer-committee">{s.committee_name}</p>
                <p class="footer-text">{s.footer_text}</p>
            })}
        </footer>
    }
}
