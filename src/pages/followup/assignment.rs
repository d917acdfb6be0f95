//! Choosing the lead department, assisting ones and a due date (staff: accepting a
//! micro-suggestion, reassigning a returned item).

use crate::api::{Failure, Public};
use crate::components::states::field_problem;
use crate::i18n::{use_i18n, K};
use leptos::prelude::*;
use yishi_api::{Assignment, DepartmentId};

/// The form's values; `to_assignment` reads them when sending.
#[derive(Clone, Copy)]
pub struct AssignmentFields {
    pub lead: RwSignal<String>,
    pub assisting: RwSignal<Vec<i64>>,
    pub due: RwSignal<String>,
}

impl AssignmentFields {
    pub fn new() -> AssignmentFields {
        AssignmentFields {
            lead: RwSignal::new(String::new()),
            assisting: RwSignal::new(Vec::new()),
            // Replies are due within 2–3 months; a month is a common default for short items.
            due: RwSignal::new(super::date_in(30)),
        }
    }

    pub fn to_assignment(self) -> Assignment {
        Assignment {
            lead_department_id: DepartmentId(self.lead.get_untracked().parse().unwrap_or(0)),
            assisting: self
                .assisting
                .get_untracked()
                .into_iter()
                .map(DepartmentId)
                .collect(),
            due_date: self.due.get_untracked(),
        }
    }
}

#[component]
pub fn AssignmentInputs(
    fields: AssignmentFields,
    failure: RwSignal<Option<Failure>>,
    /// Prefix for element ids (unique on the page).
    prefix: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let org = LocalResource::new(Public::organisation);
    let lead_problem = field_problem(failure, "lead_department_id");
    let due_problem = field_problem(failure, "due_date");
    let lead_id = format!("{prefix}-lead");
    let due_id = format!("{prefix}-due");
    view! {
        <label for=lead_id.clone()>{i.tr(K::LeadDepartment)}" "<span class="required">{i.tr(K::Required)}</span></label>
        <select id=lead_id bind:value=fields.lead aria-describedby=format!("{prefix}-lead-error")>
            <option value="">{i.tr(K::ChooseDepartment)}</option>
            {move || org.get().and_then(|o| o.ok()).map(|o| o.departments.into_iter().map(|d| view! {
                <option value=d.id.0.to_string()>{d.name}</option>
            }).collect_view())}
        </select>
        <p id=format!("{prefix}-lead-error") class="field-error">{lead_problem}</p>
        <fieldset class="checkboxes">
            <legend>{i.tr(K::AssistingDepartments)}</legend>
            {move || org.get().and_then(|o| o.ok()).map(|o| o.departments.into_iter().map(|d| {
                let id = d.id.0;
                let input_id = format!("{prefix}-assisting-{id}");
                let label_for = input_id.clone();
                view! {
                    <label class="checkbox" for=label_for>
                        <input type="checkbox" id=input_id
                            prop:checked=move || fields.assisting.with(|a| a.contains(&id))
                            on:change=move |_| fields.assisting.update(|a| if let Some(p) = a.iter().position(|x| *x == id) { a.remove(p); } else { a.push(id); })/>
                        {d.name}
                    </label>
                }
            }).collect_view())}
        </fieldset>
        <label for=due_id.clone()>{i.tr(K::DueDate)}</label>
        <input id=due_id type="date" bind:value=fields.due aria-describedby=format!("{prefix}-due-error")/>
        <p id=format!("{prefix}-due-error") class="field-error">{due_problem}</p>
    }
}
