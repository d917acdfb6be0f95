//! Create an account, or edit, deactivate and reset one.

use super::OneTimePassword;
use crate::api::{Admin, Failure, Public};
use crate::components::states::{field_problem, ErrorNotice, Loading};
use crate::i18n::{use_i18n, K};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use yishi_api::*;

/// The editable fields, as form signals.
#[derive(Clone, Copy)]
struct Fields {
    username: RwSignal<String>,
    display_name: RwSignal<String>,
    role: RwSignal<String>,
    phone: RwSignal<String>,
    title: RwSignal<String>,
    sector: RwSignal<String>,
    committee: RwSignal<String>,
    department: RwSignal<String>,
    workstation: RwSignal<String>,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            username: RwSignal::new(String::new()),
            display_name: RwSignal::new(String::new()),
            role: RwSignal::new("member".into()),
            phone: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            sector: RwSignal::new(String::new()),
            committee: RwSignal::new(String::new()),
            department: RwSignal::new(String::new()),
            workstation: RwSignal::new(String::new()),
        }
    }

    fn fill(self, a: &AccountSummary) {
        let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        self.username.set(a.username.clone());
        self.display_name.set(a.display_name.clone());
        self.role.set(a.role.as_str().into());
        self.phone.set(a.phone.clone().unwrap_or_default());
        self.title.set(a.title.clone().unwrap_or_default());
        self.sector.set(id(a.sector_id.map(|i| i.0)));
        self.committee.set(id(a.committee_id.map(|i| i.0)));
        self.department.set(id(a.department_id.map(|i| i.0)));
        self.workstation.set(id(a.workstation_id.map(|i| i.0)));
    }

    fn role(self) -> Role {
        Role::parse(&self.role.get_untracked()).unwrap_or(Role::Member)
    }

    fn optional(s: RwSignal<String>) -> Option<String> {
        Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
    }

    fn id(s: RwSignal<String>) -> Option<i64> {
        s.get_untracked().parse().ok()
    }

    fn new_account(self) -> NewAccount {
        let official = self.role() == Role::Official;
        NewAccount {
            username: self.username.get_untracked(),
            display_name: self.display_name.get_untracked(),
            role: self.role(),
            phone: Self::optional(self.phone),
            title: Self::optional(self.title),
            sector_id: (!official)
                .then(|| Self::id(self.sector))
                .flatten()
                .map(SectorId),
            committee_id: (!official)
                .then(|| Self::id(self.committee))
                .flatten()
                .map(CommitteeId),
            department_id: official
                .then(|| Self::id(self.department))
                .flatten()
                .map(DepartmentId),
            workstation_id: (!official)
                .then(|| Self::id(self.workstation))
                .flatten()
                .map(WorkstationId),
        }
    }

    fn update(self, active: bool) -> UpdateAccount {
        let n = self.new_account();
        UpdateAccount {
            display_name: n.display_name,
            role: n.role,
            phone: n.phone,
            title: n.title,
            sector_id: n.sector_id,
            committee_id: n.committee_id,
            department_id: n.department_id,
            workstation_id: n.workstation_id,
            active,
        }
    }
}

#[component]
fn Select(
    id: &'static str,
    label: K,
    value: RwSignal<String>,
    options: Vec<(i64, String)>,
    failure: RwSignal<Option<Failure>>,
    field: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let problem = field_problem(failure, field);
    view! {
        <label for=id>{i.tr(label)}</label>
        <select id=id bind:value=value aria-describedby=format!("{id}-error")>
            <option value="">{i.tr(K::NoneOption)}</option>
            {options.into_iter().map(|(v, name)| view! { <option value=v.to_string()>{name}</option> }).collect_view()}
        </select>
        <p id=format!("{id}-error") class="field-error">{problem}</p>
    }
}

#[component]
fn AccountForm(
    fields: Fields,
    org: Organisation,
    creating: bool,
    failure: RwSignal<Option<Failure>>,
) -> impl IntoView {
    let i = use_i18n();
    let username_problem = field_problem(failure, "username");
    let name_problem = field_problem(failure, "display_name");
    let phone_problem = field_problem(failure, "phone");
    let title_problem = field_problem(failure, "title");
    let role_problem = field_problem(failure, "role");
    let is_official = move || fields.role.get() == "official";
    let pairs = |v: Vec<(i64, String)>| v;
    let sectors = pairs(
        org.sectors
            .iter()
            .map(|u| (u.id.0, u.name.clone()))
            .collect(),
    );
    let committees = pairs(
        org.committees
            .iter()
            .map(|u| (u.id.0, u.name.clone()))
            .collect(),
    );
    let departments = pairs(
        org.departments
            .iter()
            .map(|u| (u.id.0, u.name.clone()))
            .collect(),
    );
    let workstations = pairs(
        org.workstations
            .iter()
            .map(|u| (u.id.0, u.name.clone()))
            .collect(),
    );
    view! {
        <label for="username">{i.tr(K::Username)}" "<span class="required">{i.tr(K::Required)}</span></label>
        <input id="username" type="text" autocomplete="off" maxlength="32" bind:value=fields.username disabled=!creating
            aria-invalid=move || username_problem().map(|_| "true") aria-describedby="username-hint username-error"/>
        <p id="username-hint" class="field-hint">{i.tr(K::UsernameHint)}</p>
        <p id="username-error" class="field-error">{username_problem}</p>
        <label for="display-name">{i.tr(K::DisplayName)}" "<span class="required">{i.tr(K::Required)}</span></label>
        <input id="display-name" type="text" maxlength="40" bind:value=fields.display_name
            aria-invalid=move || name_problem().map(|_| "true") aria-describedby="display-name-error"/>
        <p id="display-name-error" class="field-error">{name_problem}</p>
        <label for="role">{i.tr(K::RoleLabel)}</label>
        <select id="role" bind:value=fields.role aria-describedby="role-error">
            {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{move || i.role(r)}</option> }).collect_view()}
        </select>
        <p id="role-error" class="field-error">{role_problem}</p>
        <label for="phone">{i.tr(K::Phone)}</label>
        <input id="phone" type="tel" inputmode="numeric" maxlength="13" bind:value=fields.phone
            aria-invalid=move || phone_problem().map(|_| "true") aria-describedby="phone-error"/>
        <p id="phone-error" class="field-error">{phone_problem}</p>
        <label for="title">{i.tr(K::Title)}</label>
        <input id="title" type="text" maxlength="100" bind:value=fields.title aria-describedby="title-error"/>
        <p id="title-error" class="field-error">{title_problem}</p>
        <Show when=is_official fallback=move || view! {
            <Select id="sector" label=K::Sector value=fields.sector options=sectors.clone() failure field="sector_id"/>
            <Select id="committee" label=K::Committee value=fields.committee options=committees.clone() failure field="committee_id"/>
            <Select id="workstation" label=K::Workstation value=fields.workstation options=workstations.clone() failure field="workstation_id"/>
        }>
            <Select id="department" label=K::Department value=fields.department options=departments.clone() failure field="department_id"/>
        </Show>
    }
}

#[component]
pub fn AdminNewAccount() -> impl IntoView {
    let i = use_i18n();
    let org = LocalResource::new(Public::organisation);
    let fields = Fields::new();
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let issued = RwSignal::new(None::<IssuedCredentials>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        failure.set(None);
        let body = fields.new_account();
        spawn_local(async move {
            match Admin::create_account(body).await {
                Ok(created) => issued.set(Some(created)),
                Err(f) => failure.set(Some(f)),
            }
            busy.set(false);
        });
    };
    view! {
        <p><A href="/admin/accounts">{i.tr(K::BackToAccounts)}</A></p>
        <h2>{i.tr(K::NewAccount)}</h2>
        {move || match (issued.get(), org.get()) {
            (Some(done), _) => view! {
                <OneTimePassword username=done.account.username.clone() password=done.one_time_password.clone()/>
                <p><A href=format!("/admin/accounts/{}", done.account.id)>{i.tr(K::EditAccount)}</A></p>
            }.into_any(),
            (None, None) => view! { <Loading/> }.into_any(),
            (None, Some(Err(f))) => view! { <ErrorNotice failure=f on_retry=move |_| org.refetch()/> }.into_any(),
            (None, Some(Ok(o))) => view! {
                <form class="form" on:submit=submit novalidate>
                    {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                    <AccountForm fields org=o creating=true failure/>
                    <button type="submit" class="button primary" disabled=move || busy.get()>{i.tr(K::CreateAccount)}</button>
                </form>
            }.into_any(),
        }}
    }
}

#[component]
pub fn AdminEditAccount() -> impl IntoView {
    let i = use_i18n();
    let id = crate::components::route::use_id();
    let data = LocalResource::new(move || {
        let id = id.get();
        async move {
            let account = Admin::account(id).await?;
            let org = Public::organisation().await?;
            Ok::<_, Failure>((account, org))
        }
    });
    let fields = Fields::new();
    let active = RwSignal::new(true);
    let failure = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    let issued = RwSignal::new(None::<IssuedCredentials>);
    Effect::new(move || {
        if let Some(Ok((a, _))) = data.get() {
            fields.fill(&a);
            active.set(a.active);
        }
    });
    let save_with = move |next_active: bool| {
        failure.set(None);
        saved.set(false);
        let body = fields.update(next_active);
        let id = id.get();
        spawn_local(async move {
            match Admin::update_account(id, body).await {
                Ok(a) => {
                    active.set(a.active);
                    saved.set(true);
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save_with(active.get_untracked());
    };
    let reset = move |_| {
        let id = id.get();
        spawn_local(async move {
            match Admin::reset_password(id).await {
                Ok(done) => issued.set(Some(done)),
                Err(f) => failure.set(Some(f)),
            }
        });
    };
    view! {
        <p><A href="/admin/accounts">{i.tr(K::BackToAccounts)}</A></p>
        <h2>{i.tr(K::EditAccount)}</h2>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(f)) => view! { <ErrorNotice failure=f on_retry=move |_| data.refetch()/> }.into_any(),
            Some(Ok((a, o))) => view! {
                <p><A href=format!("/members/{}", a.id)>{i.tr(K::ViewProfile)}</A></p>
                <form class="form" on:submit=submit novalidate>
                    {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                    <p class="account-state" role="status">
                        {i.tr(K::StateLabel)}"："{move || if active.get() { i.t(K::Active) } else { i.t(K::Inactive) }}
                    </p>
                    <AccountForm fields org=o creating=false failure/>
                    <Show when=move || saved.get()><p class="success" role="status">{i.tr(K::Saved)}</p></Show>
                    <div class="button-row">
                        <button type="submit" class="button primary">{i.tr(K::SaveAccount)}</button>
                        <button type="button" class="button danger" on:click=move |_| save_with(!active.get_untracked())>
                            {move || if active.get() { i.t(K::Deactivate) } else { i.t(K::Activate) }}
                        </button>
                    </div>
                </form>
                <section class="card">
                    <h3>{i.tr(K::ResetPassword)}</h3>
                    <p class="hint">{i.tr(K::ResetPasswordHint)}</p>
                    <button type="button" class="button secondary" on:click=reset>{i.tr(K::ResetPassword)}</button>
                    {move || issued.get().map(|done| view! {
                        <OneTimePassword username=done.account.username.clone() password=done.one_time_password.clone()/>
                    })}
                </section>
                <SuspensionPanel account=a.id/>
            }.into_any(),
        }}
    }
}

/// Suspending an account from posting for a number of days, with a reason the account sees.
#[component]
fn SuspensionPanel(account: AccountId) -> impl IntoView {
    let i = use_i18n();
    let current = LocalResource::new(move || crate::api::Moderation::suspension(account));
    let days = RwSignal::new("7".to_owned());
    let reason = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<crate::api::Failure>);
    let suspend = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = days.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let r = reason.get_untracked();
        leptos::task::spawn_local(async move {
            match crate::api::Moderation::suspend(account, d, r).await {
                Ok(_) => {
                    failure.try_set(None);
                    current.refetch();
                }
                Err(f) => {
                    failure.try_set(Some(f));
                }
            }
        });
    };
    let lift = move |_| {
        leptos::task::spawn_local(async move {
            if crate::api::Moderation::unsuspend(account).await.is_ok() {
                current.refetch();
            }
        });
    };
    let days_problem = crate::components::states::field_problem(failure, "days");
    let reason_problem = crate::components::states::field_problem(failure, "reason");
    view! {
        <section class="card suspension">
            <h3>{i.tr(K::SuspensionTitle)}</h3>
            {move || match current.get() {
                None => view! { <crate::components::states::Loading/> }.into_any(),
                Some(Err(f)) => view! { <p class="form-error" role="alert">{i.failure(&f)}</p> }.into_any(),
                Some(Ok(Some(s))) => view! {
                    <p class="notice" role="status">{i.fill(K::SuspendedUntil, &[("until", crate::format::date_time(s.until)), ("reason", s.reason.clone())])}</p>
                    <button type="button" class="button secondary" on:click=lift>{i.tr(K::LiftSuspension)}</button>
                }.into_any(),
                Some(Ok(None)) => view! {
                    <form class="form" on:submit=suspend novalidate>
                        {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{i.failure(&f)}</p> })}
                        <label for="suspend-days">{i.tr(K::SuspendDays)}</label>
                        <input id="suspend-days" type="number" min="1" max="365" inputmode="numeric" bind:value=days
                            aria-describedby="suspend-days-error"/>
                        <p id="suspend-days-error" class="field-error">{days_problem}</p>
                        <label for="suspend-reason">{i.tr(K::SuspendReason)}</label>
                        <input id="suspend-reason" type="text" maxlength="500" bind:value=reason
                            aria-describedby="suspend-reason-error"/>
                        <p id="suspend-reason-error" class="field-error">{reason_problem}</p>
                        <button type="submit" class="button danger">{i.tr(K::Suspend)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
