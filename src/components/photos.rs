//! Photos as a row of thumbnails (each opens the full image), with an optional upload field.

use crate::api::Failure;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::JsCast;
use yishi_api::{Photo, API_PREFIX};

pub type UploadCall =
    fn(i64, web_sys::File) -> Pin<Box<dyn Future<Output = Result<Vec<Photo>, Failure>>>>;

#[component]
pub fn PhotoStrip(photos: Vec<Photo>, #[prop(into)] title: Signal<String>) -> impl IntoView {
    let i = use_i18n();
    (!photos.is_empty()).then(|| {
        view! {
            <section class="photos">
                <h3>{move || title.get()}</h3>
                <ul class="photo-strip">
                    {photos.into_iter().map(|p| {
                        let src = format!("{API_PREFIX}/photos/{}", p.id);
                        let href = src.clone();
                        view! {
                            <li>
                                <a href=href target="_blank" rel="noopener">
                                    <img src=src alt=p.filename.clone() loading="lazy" width="160" height="120"/>
                                </a>
                                <span class="item-meta">{p.uploaded_by.clone().unwrap_or_else(|| i.t(K::AVisitor).to_owned())}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// A file field that uploads one image at a time to `owner`, then bumps the page's `version`
/// (a page-level signal: the field itself may be gone when the upload ends).
#[component]
pub fn PhotoUpload(
    owner: i64,
    input_id: &'static str,
    label: K,
    call: UploadCall,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let result = call(owner, file).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    let _ = version.try_update(|v| *v += 1);
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
        input.set_value("");
    };
    view! {
        <div class="upload">
            <label for=input_id>{i.tr(label)}</label>
            <p class="hint">{i.tr(K::PhotoHint)}</p>
            <input id=input_id type="file" accept="image/jpeg,image/png,image/webp,image/gif" on:change=pick disabled=move || busy.get()/>
            <Show when=move || busy.get()><p role="status">{i.tr(K::Uploading)}</p></Show>
            {move || failure.get().map(|f| view! {
                <p class="form-error" role="alert">{i.failure(&f)}" "{f.field("file").map(|c| i.field_problem(&c))}</p>
            })}
        </div>
    }
}

/// Reads a chosen file into a photo for a JSON form (Base64), or `None` when it is larger
/// than the server accepts.
pub async fn inline_photo(file: web_sys::File) -> Option<yishi_api::InlinePhoto> {
    use base64::Engine as _;
    if file.size() > yishi_api::MAX_PHOTO_BYTES as f64 {
        return None;
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Some(yishi_api::InlinePhoto {
        filename: file.name(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}
