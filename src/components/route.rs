//! Route parameters.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:id` of the current route; 0 (which no record has) when absent or not a number, so
/// that the page shows the server's "not found".
pub fn use_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    })
}
