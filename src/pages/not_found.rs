use crate::i18n::{use_i18n, K};
use crate::nav::A;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="notice-page">
            <h1>{i.tr(K::NotFoundTitle)}</h1>
            <p>{i.tr(K::NotFoundBody)}</p>
            <A href="/" attr:class="button primary">{i.tr(K::BackHome)}</A>
        </section>
    }
}
