//! One reading post with its replies at a shareable address (featured posts are shared).

use super::thread::{PostContext, ReadingPostView};
use crate::api::Reading;
use crate::components::states::{ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReadingPostPage() -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let gid = crate::components::route::use_id();
    let params = use_params_map();
    let post_id = Memo::new(move |_| {
        params
            .read()
            .get("post")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        session.reader.track();
        reload.track();
        let (g, p) = (gid.get(), post_id.get());
        async move {
            let detail = Reading::detail(g).await?;
            let entries = Reading::post_with_replies(g, p).await?;
            Ok::<_, crate::api::Failure>((detail, entries))
        }
    });
    Effect::new(move || {
        if let Some(Ok((d, entries))) = data.get() {
            let author = entries
                .first()
                .map(|e| e.post.author_name.clone())
                .unwrap_or_default();
            document().set_title(&format!(
                "{author} · {} · {}",
                d.summary.name,
                i.t(K::AppName)
            ));
        }
    });
    view! {
        <section class="page reading-post-page">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! {
                    <p class="breadcrumbs"><A href="/reading-groups">{i.tr(K::NavReading)}</A></p>
                    <h1>{i.tr(K::ReadingPostTitle)}</h1>
                    <ErrorNotice failure=f/>
                }.into_any(),
                Some(Ok((d, entries))) => {
                    let ctx = PostContext { gid: d.summary.id, actions: Signal::stored(d.actions), reload };
                    view! {
                        <p class="breadcrumbs">
                            <A href="/reading-groups">{i.tr(K::NavReading)}</A>" › "
                            <A href=format!("/reading-groups/{}", d.summary.id)>{d.summary.name.clone()}</A>
                        </p>
                        <h1>{move || i.t(K::ReadingPostTitle)}</h1>
                        <ol class="posts reading-posts">
                            {entries.into_iter().map(|e| view! { <ReadingPostView entry=e ctx/> }).collect_view()}
                        </ol>
                        <p><A href=format!("/reading-groups/{}", d.summary.id) attr:class="button secondary">{i.tr(K::BackToGroup)}</A></p>
                    }.into_any()
                }
            }}
        </section>
    }
}
