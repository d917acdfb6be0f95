//! The app shell: context providers, header, routes, footer.

use crate::components::layout::{Footer, Header, Site};
use crate::i18n::{use_i18n, I18n, K};
use crate::pages::*;
use crate::prefs;
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;

/// What every page relies on (language, text size, session, site settings), set up once by
/// whichever entry started: the whole app here, or the reader (`crate::reader`).
pub(crate) fn provide_shell() -> RwSignal<prefs::TextSize> {
    let locale = RwSignal::new(prefs::initial_locale());
    let text_size = RwSignal::new(prefs::initial_text_size());
    prefs::apply_locale(locale.get_untracked());
    prefs::apply_text_size(text_size.get_untracked());
    provide_context(I18n { locale });
    provide_context(Session::new());
    provide_context(Site::load());
    provide_context(crate::live::UnreadNotifications(RwSignal::new(0)));
    // The loading notice, and the thread's first page the server put in for reading meanwhile.
    for id in ["boot", "first-page"] {
        if let Some(element) = document().get_element_by_id(id) {
            element.remove();
        }
    }
    text_size
}

#[component]
pub fn App() -> impl IntoView {
    let text_size = provide_shell();

    view! {
        <Router>
            <PasswordChangeGuard/>
            <DocumentTitle/>
            <crate::live::LiveConnection/>
            <Header text_size/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/consultations") view=ConsultationList/>
                    <Route path=path!("/consultations/new") view=NewConsultation/>
                    <Route path=path!("/consultations/:id") view=ConsultationPage/>
                    <Route path=path!("/consultations/:id/edit") view=EditConsultation/>
                    <Route path=path!("/suggestions") view=SuggestionList/>
                    <Route path=path!("/suggestions/new") view=NewSuggestionPage/>
                    <Route path=path!("/suggestions/:id") view=SuggestionPage/>
                    <Route path=path!("/follow-ups") view=FollowUpInbox/>
                    <Route path=path!("/follow-ups/:id") view=FollowUpPage/>
                    <Route path=path!("/micro-consultations") view=MicroList/>
                    <Route path=path!("/micro-consultations/raise") view=RaiseIssuePage/>
                    <Route path=path!("/micro-consultations/:id") view=MicroPage/>
                    <Route path=path!("/reading-groups") view=ReadingList/>
                    <Route path=path!("/reading-groups/new") view=NewReadingGroup/>
                    <Route path=path!("/reading-groups/:id") view=ReadingGroupPage/>
                    <Route path=path!("/reading-groups/:id/edit") view=EditReadingGroup/>
                    <Route path=path!("/reading-groups/:id/posts/:post") view=ReadingPostPage/>
                    <Route path=path!("/search") view=SearchPage/>
                    <Route path=path!("/notifications") view=NotificationsPage/>
                    <Route path=path!("/signin") view=SignIn/>
                    <Route path=path!("/forgot-password") view=ForgotPassword/>
                    <Route path=path!("/reset-password") view=ResetPassword/>
                    <Route path=path!("/change-password") view=ChangePassword/>
                    <Route path=path!("/me") view=MyActivity/>
                    <Route path=path!("/duty") view=MyDutyRecord/>
                    <Route path=path!("/members/:id") view=Profile/>
                    <ParentRoute path=path!("/admin") view=AdminLayout>
                        <Route path=path!("") view=AdminOrganisation/>
                        <Route path=path!("settings") view=AdminSettings/>
                        <Route path=path!("calendar") view=AdminCalendar/>
                        <Route path=path!("reading") view=AdminReading/>
                        <Route path=path!("duty") view=DutyOverviewPage/>
                        <Route path=path!("duty/activities") view=DutyActivitiesPage/>
                        <Route path=path!("duty/activities/:id") view=DutyActivityPage/>
                        <Route path=path!("duty/rules") view=DutyRulesPage/>
                        <Route path=path!("duty/members/:id") view=MemberDutyRecord/>
                        <Route path=path!("moderation") view=ModerationPage/>
                        <Route path=path!("audit") view=AuditPage/>
                        <Route path=path!("accounts") view=AdminAccounts/>
                        <Route path=path!("accounts/new") view=AdminNewAccount/>
                        <Route path=path!("accounts/:id") view=AdminEditAccount/>
                        <Route path=path!("import") view=AdminImport/>
                    </ParentRoute>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Someone signed in with a one-time password may do nothing until they replace it.
#[component]
fn PasswordChangeGuard() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move || {
        let must_change = session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.must_change_password));
        if must_change && location.pathname.get() != "/change-password" {
            navigate("/change-password", Default::default());
        }
    });
}

/// Keeps `<title>` in step with in-app navigation, in the current language; the server fills
/// the same titles on a full page load (`http::spa::page_meta`).
#[component]
pub(crate) fn DocumentTitle() -> impl IntoView {
    let i = use_i18n();
    let pathname = crate::nav::use_pathname();
    let site = expect_context::<Site>();
    Effect::new(move || {
        let path = pathname.get();
        let first = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("")
            .to_owned();
        let page = match first.as_str() {
            "consultations" => Some(K::NavConsultations),
            "micro-consultations" => Some(K::NavMicro),
            "suggestions" => Some(K::NavSuggestions),
            "follow-ups" => Some(K::NavFollowUp),
            "reading-groups" => Some(K::NavReading),
            "signin" => Some(K::SignIn),
            "change-password" => Some(K::ChangePasswordTitle),
            "me" => Some(K::NavMyActivity),
            "duty" => Some(K::DutyRecordTitle),
            "members" => Some(K::ProfileTitle),
            "admin" => Some(K::AdminTitle),
            _ => None,
        };
        let committee = site.0.with(|s| {
            s.as_ref()
                .map(|s| s.committee_name.clone())
                .unwrap_or_default()
        });
        let mut parts: Vec<&str> = page.map(|k| i.t(k)).into_iter().collect();
        parts.push(i.t(K::AppName));
        if !committee.is_empty() {
            parts.push(&committee);
        }
        document().set_title(&parts.join(" · "));
    });
}
