//! Previous / next buttons for cursor pagination.

use crate::i18n::{use_i18n, K};
use leptos::prelude::*;

/// `previous` holds the cursors of the pages before this one; `cursor` is this page's cursor.
#[component]
pub fn Pager(
    previous: RwSignal<Vec<Option<String>>>,
    next: Option<String>,
    #[prop(into)] cursor: Signal<Option<String>>,
    #[prop(into)] go: Callback<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let has_next = next.is_some();
    view! {
        <div class="pager">
            <button type="button" class="button secondary" disabled=move || previous.with(Vec::is_empty)
                on:click=move |_| {
                    let mut stack = previous.get_untracked();
                    let back = stack.pop().flatten();
                    previous.set(stack);
                    go.run(back);
                }>{i.tr(K::PrevPage)}</button>
            <button type="button" class="button secondary" disabled=!has_next
                on:click=move |_| {
                    previous.update(|s| s.push(cursor.get_untracked()));
                    go.run(next.clone());
                }>{i.tr(K::NextPage)}</button>
        </div>
    }
}
