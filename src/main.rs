//! Yishi (议事): the browser app, a Leptos client-side-rendered WebAssembly program.

mod api;
mod app;
mod components;
mod format;
mod i18n;
mod live;
mod pages;
mod prefs;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
