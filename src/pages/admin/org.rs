//! Organisation lists: add, rename, delete (only when unused).

use crate::api::{Admin, Failure, Public};
use crate::components::states::{ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::{OrgKind, OrgUnit, OrgUnitInput, Organisation};

fn units(org: &Organisation, kind: OrgKind) -> Vec<OrgUnit> {
    match kind {
        OrgKind::Sectors => org
            .sectors
            .iter()
            .map(|u| OrgUnit {
                id: u.id.0,
                name: u.name.clone(),
                address: None,
            })
            .collect(),
        OrgKind::Committees => org
            .committees
            .iter()
            .map(|u| OrgUnit {
                id: u.id.0,
                name: u.name.clone(),
                address: None,
            })
            .collect(),
        OrgKind::Departments => org
            .departments
            .iter()
            .map(|u| OrgUnit {
                id: u.id.0,
                name: u.name.clone(),
                address: None,
            })
            .collect(),
        OrgKind::Workstations => org
            .workstations
            .iter()
            .map(|u| OrgUnit {
                id: u.id.0,
                name: u.name.clone(),
                address: Some(u.address.clone()),
            })
            .collect(),
    }
}

fn title(kind: OrgKind) -> K {
    match kind {
        OrgKind::Sectors => K::OrgSectors,
        OrgKind::Committees => K::OrgCommittees,
        OrgKind::Departments => K::OrgDepartments,
        OrgKind::Workstations => K::OrgWorkstations,
    }
}

#[component]
pub fn AdminOrganisation() -> impl IntoView {
    let i = use_i18n();
    let org = LocalResource::new(Public::organisation);
    let changed = Callback::new(move |()| org.refetch());
    view! {
        <h2>{i.tr(K::AdminOrg)}</h2>
        {move || match org.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| org.refetch()/> }.into_any(),
            Some(Ok(o)) => OrgKind::ALL.into_iter().map(|kind| view! {
                <OrgSection kind units=units(&o, kind) changed/>
            }).collect_view().into_any(),
        }}
    }
}

#[component]
fn OrgSection(kind: OrgKind, units: Vec<OrgUnit>, changed: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let is_workstation = kind == OrgKind::Workstations;
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let input = OrgUnitInput {
            name: name.get_untracked(),
            address: is_workstation.then(|| address.get_untracked()),
        };
        spawn_local(async move {
            match Admin::create_unit(kind, input).await {
                Ok(_) => {
                    name.set(String::new());
                    address.set(String::new());
                    changed.run(());
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let id = kind.segment();
    let empty = units.is_empty();
    view! {
        <section class="card org-section" aria-labelledby=format!("org-{id}")>
            <h3 id=format!("org-{id}")>{i.tr(title(kind))}</h3>
            {empty.then(|| view! { <p class="state empty">{i.tr(K::OrgEmpty)}</p> })}
            <ul class="org-list">
                {units.into_iter().map(|unit| view! { <OrgRow kind unit changed/> }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add>
                <label for=format!("new-{id}")>{i.tr(K::Name)}</label>
                <input id=format!("new-{id}") type="text" maxlength="60" bind:value=name/>
                {is_workstation.then(|| view! {
                    <label for="new-workstation-address">{i.tr(K::Address)}</label>
                    <input id="new-workstation-address" type="text" maxlength="200" bind:value=address/>
                })}
                <button type="submit" class="button secondary">{i.tr(K::Add)}</button>
            </form>
            {move || failure.get().map(|f| view! {
                <p class="form-error" role="alert">{i.failure(&f)}" "{f.field("name").map(|c| i.field_problem(&c))}</p>
            })}
        </section>
    }
}

#[component]
fn OrgRow(kind: OrgKind, unit: OrgUnit, changed: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let name = RwSignal::new(unit.name.clone());
    let address = RwSignal::new(unit.address.clone().unwrap_or_default());
    let failure = RwSignal::new(None::<Failure>);
    let id = unit.id;
    let is_workstation = kind == OrgKind::Workstations;
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = OrgUnitInput {
            name: name.get_untracked(),
            address: is_workstation.then(|| address.get_untracked()),
        };
        spawn_local(async move {
            match Admin::update_unit(kind, id, input).await {
                Ok(_) => changed.run(()),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let delete = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        spawn_local(async move {
            match Admin::delete_unit(kind, id).await {
                Ok(()) => changed.run(()),
                Err(f) => {
                    confirming.set(false);
                    failure.set(Some(f));
                }
            }
        });
    };
    let label = unit.name.clone();
    let shown_address = unit.address.clone().filter(|a| !a.is_empty());
    view! {
        <li class="org-row">
            {move || if editing.get() {
                view! {
                    <form class="inline-form" on:submit=save>
                        <label class="visually-hidden" for=format!("edit-{id}")>{i.tr(K::Name)}</label>
                        <input id=format!("edit-{id}") type="text" maxlength="60" bind:value=name/>
                        {is_workstation.then(|| view! {
                            <label class="visually-hidden" for=format!("edit-address-{id}")>{i.tr(K::Address)}</label>
                            <input id=format!("edit-address-{id}") type="text" maxlength="200" bind:value=address/>
                        })}
                        <button type="submit" class="button primary small">{i.tr(K::Save)}</button>
                        <button type="button" class="button secondary small" on:click=move |_| editing.set(false)>{i.tr(K::Cancel)}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <span class="org-name">{label.clone()}</span>
                    {shown_address.clone().map(|a| view! { <span class="org-address">{a}</span> })}
                    <span class="row-actions">
                        <button type="button" class="button secondary small" on:click=move |_| editing.set(true)
                            aria-label=format!("{} {}", i.t(K::Edit), label)>{i.tr(K::Edit)}</button>
                        <button type="button" class="button danger small" on:click=delete
                            aria-label=format!("{} {}", i.t(K::Delete), label)>
                            {move || if confirming.get() { i.t(K::ConfirmDelete) } else { i.t(K::Delete) }}
                        </button>
                    </span>
                }.into_any()
            }}
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
        </li>
    }
}
