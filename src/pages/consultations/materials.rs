//! Background materials: download links for readers; upload and removal for staff.

use crate::api::{Consultations, Failure};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use yishi_api::API_PREFIX;

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        // Tenths of a megabyte, rounded, in integers: no float formatting in the module.
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[component]
pub fn Materials(consultation: i64, staff: bool) -> impl IntoView {
    let i = use_i18n();
    // Member-only parts are gated with `member_ui` where each is built: a flag captured by a
    // view's closure is a run-time value there, and the reader's build drops only what the
    // gate at the use makes unreachable.
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        Consultations::attachments(consultation)
    });
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let upload = move |ev: leptos::ev::Event| {
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
            match Consultations::upload(consultation, file).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
        input.set_value("");
    };
    view! {
        <section class="materials" aria-labelledby="materials-title">
            <h2 id="materials-title">{i.tr(K::Materials)}</h2>
            {move || match list.get() {
                Some(Ok(files)) if files.is_empty() => view! { <p class="state empty">{i.tr(K::NoMaterials)}</p> }.into_any(),
                Some(Ok(files)) => view! {
                    <ul class="material-list">
                        {files.into_iter().map(|f| {
                            let id = f.id;
                            view! {
                                <li>
                                    <a href=format!("{API_PREFIX}/attachments/{}", f.id) download=f.filename.clone()>{f.filename.clone()}</a>
                                    <span class="item-meta">{size_text(f.size_bytes)}</span>
                                    {crate::session::member_ui(staff).then(|| view! {
                                        <button type="button" class="button danger small" aria-label=format!("{} {}", i.t(K::Delete), f.filename)
                                            on:click=move |_| spawn_local(async move {
                                                if Consultations::delete_attachment(id).await.is_ok() {
                                                    version.update(|v| *v += 1);
                                                }
                                            })>{i.tr(K::Delete)}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
                None => ().into_any(),
            }}
            {crate::session::member_ui(staff).then(|| view! {
                <div class="upload">
                    <label for="material-file">{i.tr(K::UploadMaterial)}</label>
                    <input id="material-file" type="file" accept=".pdf,.doc,.docx,image/*" on:change=upload disabled=move || busy.get()/>
                    <Show when=move || busy.get()><p role="status">{i.tr(K::Uploading)}</p></Show>
                    {move || failure.get().map(|f| view! {
                        <p class="form-error" role="alert">{i.failure(&f)}" "{f.field("file").map(|c| i.field_problem(&c))}</p>
                    })}
                </div>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::size_text;

    #[test]
    fn sizes_read_in_kilobytes_then_tenths_of_megabytes() {
        assert_eq!(size_text(1), "1 KB");
        assert_eq!(size_text(1024 * 1024 - 1), "1024 KB");
        assert_eq!(size_text(1024 * 1024), "1.0 MB");
        assert_eq!(size_text(1024 * 1024 * 3 / 2), "1.5 MB");
        // 1.96 MB rounds up to the next whole megabyte.
        assert_eq!(size_text(2_055_209), "2.0 MB");
        assert_eq!(size_text(1024 * 1024 * 25), "25.0 MB");
    }
}
