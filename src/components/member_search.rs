//! Finding a member by name, username or phone (a committee has hundreds): a search box whose
//! matches are buttons. Staff use it to choose a chair and to invite individuals.

use crate::api::{AccountQuery, Admin};
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::{AccountSummary, Role};

/// How many matches are shown at once.
const MATCHES: u32 = 8;

/// `on_pick` receives the chosen member; the box is cleared after each pick.
#[component]
pub fn MemberSearch(
    /// The input's id (unique on the page).
    id: &'static str,
    label: K,
    on_pick: Callback<AccountSummary>,
) -> impl IntoView {
    let i = use_i18n();
    let query = RwSignal::new(String::new());
    let matches = RwSignal::new(Vec::<AccountSummary>::new());
    let searched = RwSignal::new(false);
    // Answers can arrive out of order: only the latest query's answer is shown.
    let asked = StoredValue::new(0u32);
    let search = move |text: String| {
        asked.update_value(|n| *n += 1);
        let ticket = asked.get_value();
        if text.trim().is_empty() {
            matches.set(Vec::new());
            searched.set(false);
            return;
        }
        spawn_local(async move {
            let found = Admin::accounts(AccountQuery {
                q: text,
                role: Some(Role::Member),
                active: Some(true),
                limit: Some(MATCHES),
                ..Default::default()
            })
            .await;
            if asked.try_get_value() != Some(ticket) {
                return;
            }
            let _ = matches.try_set(found.map(|p| p.items).unwrap_or_default());
            let _ = searched.try_set(true);
        });
    };
    let results_id = format!("{id}-matches");
    view! {
        <div class="member-search">
            <label for=id>{i.tr(label)}</label>
            <input id=id type="search" autocomplete="off" aria-controls=results_id.clone()
                placeholder=i.t(K::MemberSearchHint)
                prop:value=move || query.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    query.set(text.clone());
                    search(text);
                }/>
            <ul id=results_id class="member-matches" aria-live="polite">
                {move || {
                    let list = matches.get();
                    if list.is_empty() {
                        return searched.get().then(|| view! { <li class="state empty">{i.tr(K::NoMatches)}</li> }).into_any();
                    }
                    list.into_iter().map(|m| {
                        let label = format!("{}（{}）", m.display_name, m.username);
                        view! {
                            <li>
                                <button type="button" class="button secondary small" on:click=move |_| {
                                    on_pick.run(m.clone());
                                    query.set(String::new());
                                    matches.set(Vec::new());
                                    searched.set(false);
                                }>{i.tr(K::Choose)}" "{label}</button>
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
        </div>
    }
}
