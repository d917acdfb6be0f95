//! Staff create and edit a reading group: fields, period, visibility, owner and reading
//! leaders, the books it reads and the week of each chapter.

use crate::api::{Failure, Reading};
use crate::components::member_search::MemberSearch;
use crate::components::states::{field_problem, ErrorNotice, Loading, RequireUser};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use yishi_api::*;

#[component]
pub fn NewReadingGroup() -> impl IntoView {
    view! { <RequireUser admin=true><GroupForm existing=None/></RequireUser> }
}

#[component]
pub fn EditReadingGroup() -> impl IntoView {
    let i = use_i18n();
    let id = crate::components::route::use_id();
    let detail = LocalResource::new(move || Reading::detail(id.get()));
    view! {
        <RequireUser admin=true>
            {move || match detail.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <h1>{i.tr(K::EditGroup)}</h1><ErrorNotice failure=f/> }.into_any(),
                Some(Ok(d)) => view! { <GroupForm existing=Some(d)/> }.into_any(),
            }}
        </RequireUser>
    }
}

#[component]
fn GroupForm(existing: Option<ReadingGroupDetail>) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    let catalogue = LocalResource::new(|| async {
        Ok::<_, Failure>((Reading::periods().await?, Reading::books().await?))
    });
    let e = existing.as_ref();
    let editing = e.map(|d| d.summary.id);
    let name = RwSignal::new(e.map(|d| d.summary.name.clone()).unwrap_or_default());
    let theme = RwSignal::new(e.map(|d| d.summary.theme.clone()).unwrap_or_default());
    let description = RwSignal::new(e.map(|d| d.description.clone()).unwrap_or_default());
    let period = RwSignal::new(e.map(|d| d.period.id.to_string()).unwrap_or_default());
    let visibility = RwSignal::new(match e.map(|d| d.summary.visibility) {
        Some(Visibility::Members) => "members".to_owned(),
        _ => "public".to_owned(),
    });
    let owner = RwSignal::new(e.map(|d| (d.owner.id, d.owner.name.clone())));
    let leaders = RwSignal::new(
        e.map(|d| {
            d.leaders
                .iter()
                .map(|l| (l.id, l.name.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default(),
    );
    let chosen_books = RwSignal::new(
        e.map(|d| d.books.iter().map(|b| b.id).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    // Week of each chapter, as typed; a blank week leaves the chapter out of the plan.
    let weeks = RwSignal::new(
        e.map(|d| {
            d.plan
                .iter()
                .map(|p| (p.chapter_id, p.week.to_string()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default(),
    );
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let name_problem = field_problem(failure, "name");
    let period_problem = field_problem(failure, "period_id");
    let owner_problem = field_problem(failure, "owner_id");
    let books_problem = field_problem(failure, "book_ids");
    let plan_problem = field_problem(failure, "plan");
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let books = chosen_books.get_untracked();
        let input = ReadingGroupInput {
            name: name.get_untracked(),
            theme: theme.get_untracked(),
            description: description.get_untracked(),
            period_id: period.get_untracked().parse().unwrap_or(0),
            visibility: if visibility.get_untracked() == "members" {
                Visibility::Members
            } else {
                Visibility::Public
            },
            owner_id: owner
                .get_untracked()
                .map(|(id, _)| id)
                .unwrap_or(AccountId(0)),
            leader_ids: leaders
                .get_untracked()
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
            book_ids: books,
            plan: weeks
                .get_untracked()
                .into_iter()
                .filter_map(|(chapter_id, w)| {
                    w.trim()
                        .parse()
                        .ok()
                        .map(|week| PlanEntry { chapter_id, week })
                })
                .collect(),
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let saved = match editing {
                Some(id) => Reading::update(id, input).await,
                None => Reading::create(input).await,
            };
            match saved {
                Ok(d) => navigate(
                    &format!("/reading-groups/{}", d.summary.id),
                    Default::default(),
                ),
                Err(f) => {
                    let _ = failure.try_set(Some(f));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <section class="page">
            <h1>{i.tr(if editing.is_some() { K::EditGroup } else { K::NewReadingGroup })}</h1>
            {move || match catalogue.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| catalogue.refetch()/> }.into_any(),
                Some(Ok((periods, books))) if periods.is_empty() || books.is_empty() => view! {
                    <p class="notice">{i.tr(K::CatalogueFirst)}</p>
                    <A href="/admin/reading" attr:class="button primary">{i.tr(K::ReadingCatalogue)}</A>
                }.into_any(),
                Some(Ok((periods, books))) => {
                    let all_books = books.clone();
                    view! {
                        <form class="form wide" on:submit=submit.clone() novalidate>
                            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                            <label for="group-name">{i.tr(K::GroupName)}" "<span class="required">{i.tr(K::Required)}</span></label>
                            <input id="group-name" type="text" maxlength="60" bind:value=name aria-describedby="group-name-error"/>
                            <p id="group-name-error" class="field-error">{name_problem}</p>
                            <label for="group-theme">{i.tr(K::GroupTheme)}</label>
                            <input id="group-theme" type="text" maxlength="100" bind:value=theme/>
                            <label for="group-description">{i.tr(K::Description)}</label>
                            <textarea id="group-description" rows="5" bind:value=description></textarea>
                            <label for="group-period">{i.tr(K::ReadingPeriod)}</label>
                            <select id="group-period" bind:value=period aria-describedby="group-period-error">
                                <option value="">{i.tr(K::ChooseOne)}</option>
                                {periods.into_iter().map(|p| view! { <option value=p.id.to_string()>{format!("{}（{} 至 {}）", p.name, p.starts_on, p.ends_on)}</option> }).collect_view()}
                            </select>
                            <p id="group-period-error" class="field-error">{period_problem}</p>
                            <label for="group-visibility">{i.tr(K::VisibilityLabel)}</label>
                            <select id="group-visibility" bind:value=visibility>
                                <option value="public">{i.tr(K::VisibilityPublic)}</option>
                                <option value="members">{i.tr(K::VisibilityMembers)}</option>
                            </select>
                            <fieldset class="picker">
                                <legend>{i.tr(K::RoleOwner)}</legend>
                                <p class="picked" aria-live="polite">{move || owner.get().map(|(_, n)| n).unwrap_or_else(|| i.t(K::NoneOption).to_owned())}</p>
                                <p class="field-error">{owner_problem}</p>
                                <MemberSearch id="owner-search" label=K::FindOwner on_pick=Callback::new(move |m: AccountSummary| {
                                    owner.set(Some((m.id, format!("{}（{}）", m.display_name, m.username))));
                                })/>
                            </fieldset>
                            <fieldset class="picker">
                                <legend>{i.tr(K::RoleLeader)}</legend>
                                <ul class="chips">
                                    {move || leaders.get().into_iter().map(|(id, n)| {
                                        let label = format!("{} {}", i.t(K::Remove), n);
                                        view! {
                                            <li class="chip">{n.clone()}
                                                <button type="button" class="chip-remove" aria-label=label
                                                    on:click=move |_| leaders.update(|l| l.retain(|(x, _)| *x != id))>"×"</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <MemberSearch id="leader-search" label=K::FindLeader on_pick=Callback::new(move |m: AccountSummary| {
                                    leaders.update(|l| if !l.iter().any(|(x, _)| *x == m.id) {
                                        l.push((m.id, format!("{}（{}）", m.display_name, m.username)));
                                    });
                                })/>
                            </fieldset>
                            <fieldset class="checkboxes">
                                <legend>{i.tr(K::GroupBooks)}</legend>
                                {books.into_iter().map(|b| {
                                    let bid = b.id;
                                    let input_id = format!("book-{bid}");
                                    let label_for = input_id.clone();
                                    let chapter_ids: Vec<i64> = b.chapters.iter().map(|c| c.id).collect();
                                    view! {
                                        <label class="checkbox" for=label_for>
                                            <input type="checkbox" id=input_id
                                                prop:checked=move || chosen_books.with(|c| c.contains(&bid))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen_books.update(|c| { c.retain(|x| *x != bid); if on { c.push(bid); } });
                                                    // A new book's chapters get one week each after the plan so far.
                                                    weeks.update(|w| {
                                                        w.retain(|(c, _)| !chapter_ids.contains(c));
                                                        if on {
                                                            let start = w.iter().filter_map(|(_, x)| x.parse::<i64>().ok()).max().unwrap_or(0);
                                                            for (n, c) in chapter_ids.iter().enumerate() {
                                                                w.push((*c, (start + n as i64 + 1).to_string()));
                                                            }
                                                        }
                                                    });
                                                }/>
                                            {format!("《{}》{}", b.title, b.author)}
                                        </label>
                                    }
                                }).collect_view()}
                                <p class="field-error">{books_problem}</p>
                            </fieldset>
                            <fieldset>
                                <legend>{i.tr(K::ReadingPlan)}</legend>
                                <p class="hint">{i.tr(K::PlanHint)}</p>
                                <p class="field-error">{plan_problem}</p>
                                {move || {
                                    let chosen = chosen_books.get();
                                    all_books.iter().filter(|b| chosen.contains(&b.id)).flat_map(|b| {
                                        let title = b.title.clone();
                                        b.chapters.iter().map(move |c| {
                                            let cid = c.id;
                                            let input_id = format!("week-{cid}");
                                            let label_for = input_id.clone();
                                            view! {
                                                <div class="plan-row">
                                                    <label for=label_for>{format!("《{}》{}", title, c.title)}</label>
                                                    <input id=input_id type="number" min="1" max="104" class="narrow"
                                                        prop:value=move || weeks.with(|w| w.iter().find(|(x, _)| *x == cid).map(|(_, v)| v.clone()).unwrap_or_default())
                                                        on:input=move |ev| {
                                                            let v = event_target_value(&ev);
                                                            weeks.update(|w| { w.retain(|(x, _)| *x != cid); w.push((cid, v)); });
                                                        }/>
                                                </div>
                                            }
                                        }).collect::<Vec<_>>()
                                    }).collect_view()
                                }}
                            </fieldset>
                            <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::SaveGroup)}</button>
                        </form>
                    }.into_any()
                }
            }}
        </section>
    }
}
