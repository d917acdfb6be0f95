//! The app shell: context providers, header, routes, footer.

use crate::components::layout::{Footer, Header, Site};
use crate::i18n::I18n;
use crate::pages::*;
use crate::prefs;
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let locale = RwSignal::new(prefs::initial_locale());
    let text_size = RwSignal::new(prefs::initial_text_size());
    prefs::apply_locale(locale.get_untracked());
    prefs::apply_text_size(text_size.get_untracked());
    provide_context(I18n { locale });
    provide_context(Session::new());
    provide_context(Site::load());
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }

    view! {
        <Router>
            <PasswordChangeGuard/>
            <crate::live::LiveConnection/>
            <Header text_size/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/consultations") view=|| view! { <AreaPage area=yishi_api::Area::Consultation/> }/>
                    <Route path=path!("/micro-consultations") view=|| view! { <AreaPage area=yishi_api::Area::MicroConsultation/> }/>
                    <Route path=path!("/reading-groups") view=|| view! { <AreaPage area=yishi_api::Area::ReadingGroup/> }/>
                    <Route path=path!("/signin") view=SignIn/>
                    <Route path=path!("/change-password") view=ChangePassword/>
                    <Route path=path!("/me") view=MyActivity/>
                    <Route path=path!("/members/:id") view=Profile/>
                    <ParentRoute path=path!("/admin") view=AdminLayout>
                        <Route path=path!("") view=AdminOrganisation/>
                        <Route path=path!("settings") view=AdminSettings/>
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
