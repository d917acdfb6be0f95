//! CSV import: choose or paste a file, preview every row's problems, import all valid rows
//! in one transaction, download the one-time passwords.

use crate::api::{Admin, Failure};
use crate::i18n::{use_i18n, I18n, K};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use yishi_api::{ImportPreview, ImportResult, ImportRow};

/// Column names as the file uses them (the server reports problems by these names).
fn column_label(i: I18n, column: &str) -> String {
    let key = match column {
        "username" => K::Username,
        "display_name" => K::DisplayName,
        "role" => K::RoleLabel,
        "phone" => K::Phone,
        "title" => K::Title,
        "sector" => K::Sector,
        "committee" => K::Committee,
        "workstation" => K::Workstation,
        "department" => K::Department,
        _ => return i.t(K::RowUnreadable).to_owned(),
    };
    i.t(key).to_owned()
}

fn row_problems(i: I18n, row: &ImportRow) -> String {
    row.errors
        .iter()
        .map(|(col, code)| format!("{}：{}", column_label(i, col), i.field_problem(code)))
        .collect::<Vec<_>>()
        .join("；")
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Offers the one-time passwords as a CSV file that Excel on Chinese Windows opens correctly
/// (UTF-8 with a byte-order mark).
fn download_result(i: I18n, result: &ImportResult) {
    let mut csv = String::from("\u{feff}");
    csv.push_str(&format!(
        "{},{},{}\r\n",
        i.t(K::Username),
        i.t(K::DisplayName),
        i.t(K::PasswordLabel)
    ));
    for c in &result.created {
        csv.push_str(&format!(
            "{},{},{}\r\n",
            csv_field(&c.account.username),
            csv_field(&c.account.display_name),
            csv_field(&c.one_time_password)
        ));
    }
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&csv));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download("yishi-accounts.csv");
            a.click();
        }
    }
    // Some browsers start the download asynchronously: revoke the URL a little later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}

#[component]
pub fn AdminImport() -> impl IntoView {
    let i = use_i18n();
    let csv = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<ImportPreview>);
    let result = RwSignal::new(None::<ImportResult>);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);

    let choose_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                csv.set(text.as_string().unwrap_or_default());
                preview.set(None);
                result.set(None);
            }
        });
    };
    let check = move |_| {
        busy.set(true);
        failure.set(None);
        result.set(None);
        spawn_local(async move {
            match Admin::import_preview(csv.get_untracked()).await {
                Ok(p) => preview.set(Some(p)),
                Err(f) => {
                    preview.set(None);
                    failure.set(Some(f));
                }
            }
            busy.set(false);
        });
    };
    let import = move |skip_invalid: bool| {
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match Admin::import(csv.get_untracked(), skip_invalid).await {
                Ok(r) => {
                    preview.set(None);
                    result.set(Some(r));
                }
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };

    view! {
        <h2>{i.tr(K::ImportTitle)}</h2>
        <p class="hint">{i.tr(K::ImportHelp)}</p>
        <div class="form">
            <label for="csv-file">{i.tr(K::ChooseFile)}</label>
            <input id="csv-file" type="file" accept=".csv,text/csv" on:change=choose_file/>
            <label for="csv-text">{i.tr(K::OrPaste)}</label>
            <textarea id="csv-text" rows="6" bind:value=csv on:input=move |_| { preview.set(None); }></textarea>
            <button type="button" class="button primary" disabled=move || busy.get() || csv.with(|c| c.trim().is_empty()) on:click=check>
                {i.tr(K::Preview)}
            </button>
        </div>
        {move || failure.get().map(|f| view! {
            <p class="form-error" role="alert">{i.failure(&f)}" "{f.field("csv").map(|c| i.field_problem(&c))}</p>
        })}
        {move || preview.get().map(|p| {
            let valid = p.valid_count;
            let errors = p.error_count;
            view! {
                <section class="preview" aria-live="polite">
                    <p class="count">{i.fill(K::PreviewSummary, &[("valid", valid.to_string()), ("errors", errors.to_string())])}</p>
                    <table class="table import-preview">
                        <thead><tr>
                            <th scope="col">{i.tr(K::Line)}</th>
                            <th scope="col">{i.tr(K::Username)}</th>
                            <th scope="col">{i.tr(K::DisplayName)}</th>
                            <th scope="col">{i.tr(K::Problems)}</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.into_iter().map(|row| {
                                let ok = row.errors.is_empty();
                                let problems = if ok { i.t(K::RowOk).to_owned() } else { row_problems(i, &row) };
                                view! {
                                    <tr class:row-error=!ok>
                                        <td data-label=i.t(K::Line)>{row.line}</td>
                                        <td data-label=i.t(K::Username)>{row.username}</td>
                                        <td data-label=i.t(K::DisplayName)>{row.display_name}</td>
                                        <td data-label=i.t(K::Problems)>
                                            <span class="row-status">{if ok { "✓ " } else { "✗ " }}</span>{problems}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <div class="button-row">
                        {(errors == 0 && valid > 0).then(|| view! {
                            <button type="button" class="button primary" disabled=move || busy.get() on:click=move |_| import(false)>
                                {i.fill(K::ImportAll, &[("n", valid.to_string())])}
                            </button>
                        })}
                        {(errors > 0 && valid > 0).then(|| view! {
                            <button type="button" class="button primary" disabled=move || busy.get() on:click=move |_| import(true)>
                                {i.fill(K::ImportValid, &[("n", valid.to_string())])}
                            </button>
                        })}
                    </div>
                </section>
            }
        })}
        {move || result.get().map(|r| {
            let for_download = r.clone();
            view! {
                <section class="import-result" role="status">
                    <p class="success">{i.fill(K::ImportDone, &[("n", r.created.len().to_string())])}</p>
                    <p class="hint">{i.tr(K::ImportResultHint)}</p>
                    <button type="button" class="button primary" on:click=move |_| download_result(i, &for_download)>{i.tr(K::DownloadResult)}</button>
                    <table class="table import-result-table">
                        <thead><tr>
                            <th scope="col">{i.tr(K::Username)}</th>
                            <th scope="col">{i.tr(K::DisplayName)}</th>
                            <th scope="col">{i.tr(K::PasswordLabel)}</th>
                        </tr></thead>
                        <tbody>
                            {r.created.into_iter().map(|c| view! {
                                <tr>
                                    <td data-label=i.t(K::Username)>{c.account.username}</td>
                                    <td data-label=i.t(K::DisplayName)>{c.account.display_name}</td>
                                    <td data-label=i.t(K::PasswordLabel)><code>{c.one_time_password}</code></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })}
    }
}
