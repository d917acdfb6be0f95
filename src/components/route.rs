//! Route parameters.

use leptos::prelude::*;

/// The `:id` of the current route; 0 (which no record has) when absent or not a number, so
/// that the page shows the server's "not found".
#[cfg(not(feature = "reader-consultations"))]
pub fn use_id() -> Memo<i64> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    })
}

/// The consultation reader has no router: its one page's `:id` is the second segment of the
/// path it was loaded at (`/consultations/:id`), which never changes.
#[cfg(feature = "reader-consultations")]
pub fn use_id() -> Memo<i64> {
    let path = window().location().pathname().unwrap_or_default();
    let id = path
        .split('/')
        .nth(2)
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    Memo::new(move |_| id)
}
