//! The committee calendar: holidays on weekdays and make-up working days (调休) at weekends,
//! which the follow-up rules count working days by.

use crate::api::{CommitteeCalendar, Failure};
use crate::components::states::{field_problem, Empty, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use yishi_api::{CalendarDay, DayKind};

#[component]
pub fn AdminCalendar() -> impl IntoView {
    let i = use_i18n();
    let this_year = js_sys::Date::new_0().get_full_year() as i32;
    let year = RwSignal::new(this_year.to_string());
    let days = LocalResource::new(move || {
        let y = year.get().parse().unwrap_or(this_year);
        CommitteeCalendar::year(y)
    });
    let date = RwSignal::new(String::new());
    let kind = RwSignal::new("holiday".to_owned());
    let name = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<Failure>);
    let date_problem = field_problem(failure, "date");
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let day = CalendarDay {
            date: date.get_untracked(),
            kind: DayKind::parse(&kind.get_untracked()).unwrap_or(DayKind::Holiday),
            name: name.get_untracked(),
        };
        spawn_local(async move {
            match CommitteeCalendar::set(day).await {
                Ok(saved) => {
                    let _ = failure.try_set(None);
                    let _ = name.try_set(String::new());
                    let _ = year.try_set(saved.date[..4].to_owned());
                    days.refetch();
                }
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
        });
    };
    let kind_label = move |k: DayKind| {
        i.t(match k {
            DayKind::Holiday => K::Holiday,
            DayKind::Workday => K::MakeUpWorkday,
        })
    };
    view! {
        <h2>{i.tr(K::AdminCalendar)}</h2>
        <p class="hint">{i.tr(K::CalendarHint)}</p>
        <form class="form" on:submit=add novalidate>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
            <label for="calendar-date">{i.tr(K::Date)}</label>
            <input id="calendar-date" type="date" bind:value=date aria-describedby="calendar-date-error"/>
            <p id="calendar-date-error" class="field-error">{date_problem}</p>
            <label for="calendar-kind">{i.tr(K::DayKindLabel)}</label>
            <select id="calendar-kind" bind:value=kind>
                <option value="holiday">{i.tr(K::Holiday)}</option>
                <option value="workday">{i.tr(K::MakeUpWorkday)}</option>
            </select>
            <label for="calendar-name">{i.tr(K::DayName)}</label>
            <input id="calendar-name" type="text" maxlength="40" bind:value=name/>
            <button type="submit" class="button primary">{i.tr(K::AddDay)}</button>
        </form>
        <label for="calendar-year">{i.tr(K::Year)}</label>
        <select id="calendar-year" bind:value=year>
            {(0..4).map(|n| {
                let y = this_year + 1 - n;
                view! { <option value=y.to_string()>{y}</option> }
            }).collect_view()}
        </select>
        {move || match days.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| days.refetch()/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <Empty text=Signal::derive(move || i.t(K::NoCalendarDays).to_owned())/>
            }.into_any(),
            Some(Ok(list)) => view! {
                <table class="table calendar">
                    <thead><tr>
                        <th scope="col">{i.tr(K::Date)}</th>
                        <th scope="col">{i.tr(K::DayKindLabel)}</th>
                        <th scope="col">{i.tr(K::DayName)}</th>
                        <th scope="col"><span class="visually-hidden">{i.tr(K::Actions)}</span></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|d| {
                            let date = d.date.clone();
                            let label = format!("{} {}", i.t(K::Delete), d.date);
                            view! {
                                <tr>
                                    <td data-label=i.t(K::Date)>{d.date.clone()}</td>
                                    <td data-label=i.t(K::DayKindLabel)>{kind_label(d.kind)}</td>
                                    <td data-label=i.t(K::DayName)>{d.name.clone()}</td>
                                    <td>
                                        <button type="button" class="button danger small" aria-label=label on:click=move |_| {
                                            let date = date.clone();
                                            spawn_local(async move {
                                                match CommitteeCalendar::remove(&date).await {
                                                    Ok(()) => days.refetch(),
                                                    Err(f) => { let _ = failure.try_set(Some(f)); }
                                                }
                                            });
                                        }>{i.tr(K::Delete)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
