//! The readers: the app's second entry, built once per kind of public thread, with the
//! `reader-consultations` or `reader-reading` feature (`build_app` in `scripts/tools.sh`).
//! The server sends one instead of the whole app to a visitor without a session who opens a
//! public thread (a consultation; a reading group or one of its posts), so a shared link
//! costs a fraction of the download. Their pages are the app's own components; any other
//! page is in the other reader or the whole app, which a full page load brings (the server
//! picks by path).

#[cfg(not(any(feature = "reader-consultations", feature = "reader-reading")))]
compile_error!("a reader is built for one kind of thread: reader-consultations or reader-reading");
#[cfg(all(feature = "reader-consultations", feature = "reader-reading"))]
compile_error!("a reader is built for one kind of thread, not both");

use crate::app::{provide_shell, DocumentTitle};
use crate::components::layout::{Footer, Header};
use crate::pages::NotFound;
use leptos::prelude::*;

/// The consultation reader: one page, so no router (`crate::nav`); its links load afresh.
#[cfg(feature = "reader-consultations")]
#[component]
pub fn ReaderApp() -> impl IntoView {
    use crate::pages::ConsultationPage;
    let text_size = provide_shell();
    let path = window().location().pathname().unwrap_or_default();
    // Should the server and the reader ever disagree about a path, "not found".
    let ours = matches!(path.split('/').collect::<Vec<_>>().as_slice(), ["", "consultations", id] if id.parse::<i64>().is_ok());
    view! {
        <DocumentTitle/>
        <Header text_size/>
        <main id="main" tabindex="-1">
            {if ours { view! { <ConsultationPage/> }.into_any() } else { view! { <NotFound/> }.into_any() }}
        </main>
        <Footer/>
    }
}

/// The reading reader: a group and its threads, between which it moves without reloading.
#[cfg(feature = "reader-reading")]
#[component]
pub fn ReaderApp() -> impl IntoView {
    use leptos_router::components::Router;
    let text_size = provide_shell();
    // The path the server sent the reader for. Should the reader ever not know it (the server
    // and the reader disagreeing), it says "not found" rather than loading it again and again.
    let first_path = window().location().pathname().unwrap_or_default();

    view! {
        <Router>
            <DocumentTitle/>
            <Header text_size/>
            <main id="main" tabindex="-1">
                <ThreadRoutes first_path/>
            </main>
            <Footer/>
        </Router>
    }
}

/// The reading reader's pages: a group and one of its threads.
#[cfg(feature = "reader-reading")]
#[component]
fn ThreadRoutes(first_path: String) -> impl IntoView {
    use crate::pages::{ReadingGroupPage, ReadingPostPage};
    use leptos_router::components::{Route, Routes};
    use leptos_router::path;
    view! {
        <Routes fallback=move || view! { <WholeApp first_path=first_path.clone()/> }>
            <Route path=path!("/reading-groups/:id") view=ReadingGroupPage/>
            <Route path=path!("/reading-groups/:id/posts/:post") view=ReadingPostPage/>
        </Routes>
    }
}

/// A page the reader does not have: loading its address afresh brings the whole app. The
/// router renders this before it puts the address in the history, so the load waits a turn:
/// then it is the new address that loads, and Back returns to the thread.
#[cfg(feature = "reader-reading")]
#[component]
fn WholeApp(first_path: String) -> impl IntoView {
    use crate::components::states::Loading;
    use std::time::Duration;
    let location = leptos_router::hooks::use_location();
    if location.pathname.get_untracked() == first_path {
        return view! { <NotFound/> }.into_any();
    }
    set_timeout(
        move || {
            let _ = window().location().reload();
        },
        Duration::ZERO,
    );
    view! { <Loading/> }.into_any()
}
