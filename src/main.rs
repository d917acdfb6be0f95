//! Yishi (议事): the browser app, a Leptos client-side-rendered WebAssembly program. Built
//! with `reader-consultations` or `reader-reading` it is a reader (`reader.rs`): one kind of
//! public thread only, for visitors' first visits; the rest of the code is then left out.
#![cfg_attr(feature = "reader", allow(dead_code, unused_imports))]

mod api;
mod app;
mod components;
mod format;
mod i18n;
mod live;
mod nav;
mod pages;
mod prefs;
#[cfg(feature = "reader")]
mod reader;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "reader"))]
    leptos::mount::mount_to_body(app::App);
    #[cfg(feature = "reader")]
    leptos::mount::mount_to_body(reader::ReaderApp);
}
