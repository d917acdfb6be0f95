//! The account list: search, filters, cursor pages.

use crate::api::{AccountQuery, Admin};
use crate::components::pager::Pager;
use crate::components::states::{Empty, ErrorNotice, Loading};
use crate::format;
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use yishi_api::Role;

#[component]
pub fn AdminAccounts() -> impl IntoView {
    let i = use_i18n();
    let text = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let query = RwSignal::new(AccountQuery::default());
    // Cursors of the pages before this one, for "previous page".
    let previous = RwSignal::new(Vec::<Option<String>>::new());
    let page = LocalResource::new(move || Admin::accounts(query.get()));

    let search = move |ev: SubmitEvent| {
        ev.prevent_default();
        previous.set(Vec::new());
        query.set(AccountQuery {
            q: text.get_untracked(),
            role: Role::parse(&role.get_untracked()),
            active: match state.get_untracked().as_str() {
                "active" => Some(true),
                "inactive" => Some(false),
                _ => None,
            },
            cursor: None,
            limit: None,
        });
    };

    view! {
        <div class="toolbar">
            <h2>{i.tr(K::AdminAccounts)}</h2>
            <A href="/admin/accounts/new" attr:class="button primary">{i.tr(K::NewAccount)}</A>
        </div>
        <form class="filters" role="search" on:submit=search>
            <label class="visually-hidden" for="account-search">{i.tr(K::SearchAccounts)}</label>
            <input id="account-search" type="search" placeholder=i.tr(K::SearchAccounts) bind:value=text/>
            <label class="visually-hidden" for="role-filter">{i.tr(K::RoleLabel)}</label>
            <select id="role-filter" bind:value=role>
                <option value="">{i.tr(K::AllRoles)}</option>
                {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{move || i.role(r)}</option> }).collect_view()}
            </select>
            <label class="visually-hidden" for="state-filter">{i.tr(K::StateLabel)}</label>
            <select id="state-filter" bind:value=state>
                <option value="">{i.tr(K::AllStates)}</option>
                <option value="active">{i.tr(K::Active)}</option>
                <option value="inactive">{i.tr(K::Inactive)}</option>
            </select>
            <button type="submit" class="button secondary">{i.tr(K::Search)}</button>
        </form>
        {move || match page.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| page.refetch()/> }.into_any(),
            Some(Ok(p)) if p.items.is_empty() => view! { <Empty text=Signal::derive(move || i.t(K::NoAccountsMatch).to_owned())/> }.into_any(),
            Some(Ok(p)) => {
                let next = p.next_cursor.clone();
                view! {
                    <p class="count" role="status">{i.fill(K::TotalAccounts, &[("n", p.total.to_string())])}</p>
                    <table class="table accounts">
                        <thead><tr>
                            <th scope="col">{i.tr(K::DisplayName)}</th>
                            <th scope="col">{i.tr(K::Username)}</th>
                            <th scope="col">{i.tr(K::RoleLabel)}</th>
                            <th scope="col">{i.tr(K::Phone)}</th>
                            <th scope="col">{i.tr(K::StateLabel)}</th>
                            <th scope="col">{i.tr(K::CreatedAt)}</th>
                        </tr></thead>
                        <tbody>
                            {p.items.into_iter().map(|a| view! {
                                <tr>
                                    <td data-label=i.t(K::DisplayName)><A href=format!("/admin/accounts/{}", a.id)>{a.display_name.clone()}</A></td>
                                    <td data-label=i.t(K::Username)>{a.username.clone()}</td>
                                    <td data-label=i.t(K::RoleLabel)>{i.role(a.role)}</td>
                                    <td data-label=i.t(K::Phone)>{a.phone.clone().unwrap_or_default()}</td>
                                    <td data-label=i.t(K::StateLabel)>
                                        {if a.active { i.t(K::Active) } else { i.t(K::Inactive) }}
                                        {a.must_change_password.then(|| view! { <span class="tag">{i.t(K::MustChangePending)}</span> })}
                                    </td>
                                    <td data-label=i.t(K::CreatedAt)><time datetime=format::iso(a.created_at)>{format::relative(i, a.created_at)}</time></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pager previous next cursor={Signal::derive(move || query.with(|q| q.cursor.clone()))} go={move |c: Option<String>| query.update(|q| q.cursor = c)}/>
                }.into_any()
            }
        }}
    }
}
