//! The point rules: every source's points per unit and yearly cap, each change with the date
//! it takes effect from.

use super::{category_label, source_label};
use crate::api::{Duty, Failure};
use crate::components::states::{field_problem, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::*;

#[component]
pub fn DutyRulesPage() -> impl IntoView {
    let i = use_i18n();
    let rules = LocalResource::new(Duty::rules);
    let shown = RwSignal::new(None::<Vec<PointRule>>);
    Effect::new(move || {
        if let Some(Ok(r)) = rules.get() {
            shown.set(Some(r));
        }
    });
    let source = RwSignal::new(DutySource::Plenary.as_str().to_owned());
    let points = RwSignal::new(String::new());
    let cap = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    // The form starts from the rule in effect for the chosen source, so that changing the
    // points never drops a cap by accident.
    let prefill = move || {
        let chosen = DutySource::parse(&source.get_untracked());
        let latest = shown.with_untracked(|list| {
            list.as_ref().and_then(|l| {
                l.iter()
                    .filter(|r| Some(r.source) == chosen)
                    .max_by(|a, b| {
                        a.effective_from
                            .cmp(&b.effective_from)
                            .then(a.id.cmp(&b.id))
                    })
                    .cloned()
            })
        });
        if let Some(r) = latest {
            points.set(r.points.to_string());
            cap.set(r.yearly_cap.map(|c| c.to_string()).unwrap_or_default());
        }
    };
    Effect::new(move || {
        if shown.with(Option::is_some) && points.get_untracked().is_empty() {
            prefill();
        }
    });
    let points_problem = field_problem(failure, "points");
    let from_problem = field_problem(failure, "effective_from");
    let cap_problem = field_problem(failure, "yearly_cap");
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = PointRuleInput {
            source: DutySource::parse(&source.get_untracked()).unwrap_or(DutySource::Plenary),
            points: points.get_untracked().trim().parse().unwrap_or(i64::MAX),
            // Blank means no cap; anything else must be a number (the server says if not).
            yearly_cap: match cap.get_untracked().trim() {
                "" => None,
                text => Some(text.parse().unwrap_or(i64::MAX)),
            },
            effective_from: from.get_untracked(),
        };
        spawn_local(async move {
            match Duty::add_rule(body).await {
                Ok(r) => {
                    let _ = shown.try_set(Some(r));
                    let _ = failure.try_set(None);
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <h2>{i.tr(K::DutyRules)}</h2>
        <p class="hint">{i.tr(K::DutyRulesHint)}</p>
        {move || match (rules.get(), shown.get()) {
            (Some(Err(f)), _) => view! { <ErrorNotice failure=f/> }.into_any(),
            (_, Some(list)) => view! {
                <table class="ledger">
                    <thead><tr>
                        <th scope="col">{i.tr(K::DutySourceLabel)}</th>
                        <th scope="col">{i.tr(K::DutyCategoryLabel)}</th>
                        <th scope="col" class="num">{i.tr(K::Points)}</th>
                        <th scope="col">{i.tr(K::RuleUnitLabel)}</th>
                        <th scope="col" class="num">{i.tr(K::YearlyCap)}</th>
                        <th scope="col">{i.tr(K::EffectiveFrom)}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| view! {
                            <tr>
                                <td>{source_label(i, r.source)}</td>
                                <td>{category_label(i, r.category)}</td>
                                <td class="num">{r.points}</td>
                                <td>{i.tr(if r.unit == RuleUnit::HalfDay { K::UnitHalfDay } else { K::UnitEach })}</td>
                                <td class="num">{r.yearly_cap.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                                <td>{r.effective_from.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
            _ => view! { <Loading/> }.into_any(),
        }}
        <form class="form" on:submit=add novalidate>
            <h3>{i.tr(K::ChangeRule)}</h3>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <label for="rule-source">{i.tr(K::DutySourceLabel)}</label>
            <select id="rule-source" bind:value=source on:change=move |_| prefill()>
                {DutySource::ALL.iter().map(|s| { let s = *s; view! { <option value=s.as_str()>{move || source_label(i, s)}</option> } }).collect_view()}
            </select>
            <label for="rule-points">{i.tr(K::PointsPerUnit)}</label>
            <input id="rule-points" type="number" min="-100" max="100" class="narrow" bind:value=points aria-describedby="rule-points-error"/>
            <p id="rule-points-error" class="field-error">{points_problem}</p>
            <label for="rule-cap">{i.tr(K::YearlyCap)}</label>
            <input id="rule-cap" type="number" min="0" max="1000" class="narrow" bind:value=cap aria-describedby="rule-cap-hint rule-cap-error"/>
            <p id="rule-cap-hint" class="hint">{i.tr(K::CapHint)}</p>
            <p id="rule-cap-error" class="field-error">{cap_problem}</p>
            <label for="rule-from">{i.tr(K::EffectiveFrom)}</label>
            <input id="rule-from" type="date" bind:value=from aria-describedby="rule-from-error"/>
            <p id="rule-from-error" class="field-error">{from_problem}</p>
            <button type="submit" class="button primary">{i.tr(K::SaveRule)}</button>
        </form>
    }
}
