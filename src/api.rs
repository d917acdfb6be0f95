//! The one typed client for the Yishi API. Every call goes through here: it adds the CSRF
//! header on state-changing requests and decodes non-2xx responses into the shared error.
//! `Public` holds calls anyone may make; `Member` and `Admin` those needing a session.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;
use std::cell::RefCell;
use yishi_api::*;

thread_local! {
    /// The session's CSRF token, refreshed from every session response.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_owned());
}

/// Why a call failed: the network, or the server's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer (offline, server down, blocked).
    Network,
    /// The server answered with an error.
    Api { status: u16, error: ApiError },
}

impl Failure {
    pub fn code(&self) -> &str {
        match self {
            Failure::Network => "network",
            Failure::Api { error, .. } => &error.code,
        }
    }
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Failure::Api { error, .. } => error.fields.get(name).cloned(),
            Failure::Network => None,
        }
    }
}

pub type ApiResult<T> = Result<T, Failure>;

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

async fn decode<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    let status = response.status();
    let text = response.text().await.map_err(|_| Failure::Network)?;
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|_| Failure::Api {
            status,
            error: ApiError::new("bad_response", "Unexpected response from the server."),
        });
    }
    let error = serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
        ApiError::new(
            if status >= 500 {
                codes::INTERNAL
            } else {
                codes::BAD_REQUEST
            },
            text,
        )
    });
    Err(Failure::Api { status, error })
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    let token = CSRF.with(|c| c.borrow().clone());
    builder
        .header(CSRF_HEADER, &token)
        .credentials(web_sys::RequestCredentials::SameOrigin)
}

/// Answers the server put into the page for its first requests (`spa.rs`, a public
/// thread's page): API path → JSON. Each is used once; later reads go to the server.
/// They stay JSON text until used and are then parsed like a response body, so each wire
/// type has one deserializer in the module, not a second one for `serde_json::Value`.
fn take_initial(path: &str) -> Option<Box<RawValue>> {
    thread_local! {
        static INITIAL: RefCell<Option<InitialData>> = const { RefCell::new(None) };
    }
    INITIAL.with(|cell| {
        let mut cell = cell.borrow_mut();
        let entries = &mut cell
            .get_or_insert_with(|| read_initial().unwrap_or_default())
            .0;
        let at = entries.iter().position(|(p, _)| p == path)?;
        Some(entries.swap_remove(at).1)
    })
}

/// Where the page's initial data says a stream of `topics` resumes (the log position the
/// data was read at), once.
pub fn initial_resume_point(topics: &str) -> Option<i64> {
    serde_json::from_str(take_initial(&format!("events:{topics}"))?.get()).ok()
}

/// The initial data's entries, in a list: a handful, each taken once (a map type would
/// bring its own insert and remove code into the module for them).
#[derive(Default)]
struct InitialData(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for InitialData {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = InitialData;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<InitialData, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(InitialData(entries))
            }
        }
        d.deserialize_map(Entries)
    }
}

fn read_initial() -> Option<InitialData> {
    let element = web_sys::window()?
        .document()?
        .get_element_by_id("initial-data")?;
    let text = element.text_content()?;
    element.remove();
    serde_json::from_str(&text).ok()
}

async fn get<T: DeserializeOwned>(path: &str) -> ApiResult<T> {
    if let Some(raw) = take_initial(path) {
        if let Ok(answer) = serde_json::from_str(raw.get()) {
            return Ok(answer);
        }
    }
    let response = Request::get(&url(path))
        .credentials(web_sys::RequestCredentials::SameOrigin)
        .send()
        .await
        .map_err(|_| Failure::Network)?;
    decode(response).await
}

async fn send<B: Serialize, T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<&B>,
) -> ApiResult<T> {
    let builder = with_csrf(builder);
    let request = match body {
        Some(b) => builder.json(b),
        None => builder.build(),
    }
    .map_err(|_| Failure::Network)?;
    let response = request.send().await.map_err(|_| Failure::Network)?;
    decode(response).await
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    send(Request::post(&url(path)), Some(body)).await
}

async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    send(Request::put(&url(path)), Some(body)).await
}

async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> ApiResult<T> {
    send(Request::patch(&url(path)), Some(body)).await
}

async fn delete(path: &str) -> ApiResult<()> {
    send::<(), ()>(Request::delete(&url(path)), None).await
}

/// Sends a file as the raw request body, its name in the query (the server judges its type
/// by content).
async fn upload_file<T: DeserializeOwned>(path: &str, file: web_sys::File) -> ApiResult<T> {
    let path = url(&format!("{path}?filename={}", encode(&file.name())));
    send_file(Request::post(&path), file).await
}

async fn send_file<T: DeserializeOwned>(
    builder: RequestBuilder,
    file: web_sys::File,
) -> ApiResult<T> {
    let request = with_csrf(builder)
        .header("Content-Type", "application/octet-stream")
        .body(wasm_bindgen::JsValue::from(file))
        .map_err(|_| Failure::Network)?;
    let response = request.send().await.map_err(|_| Failure::Network)?;
    decode(response).await
}

/// Calls anyone may make, signed in or not.
pub struct Public;

impl Public {
    pub async fn session() -> ApiResult<SessionInfo> {
        let s: SessionInfo = get("/session").await?;
        set_csrf(&s.csrf_token);
        Ok(s)
    }
    pub async fn sign_in(login: String, password: String) -> ApiResult<SessionInfo> {
        let s: SessionInfo = post("/session", &SignIn { login, password }).await?;
        set_csrf(&s.csrf_token);
        Ok(s)
    }
    pub async fn request_password_reset(login: String) -> ApiResult<()> {
        send::<_, ()>(
            Request::post(&url("/password-resets")),
            Some(&PasswordResetRequest { login }),
        )
        .await
    }
    pub async fn confirm_password_reset(token: String, new_password: String) -> ApiResult<()> {
        send::<_, ()>(
            Request::post(&url("/password-resets/confirm")),
            Some(&PasswordResetConfirm {
                token,
                new_password,
            }),
        )
        .await
    }
    pub async fn site() -> ApiResult<SiteInfo> {
        get("/site").await
    }
    pub async fn home() -> ApiResult<HomeOverview> {
        get("/home").await
    }
    pub async fn organisation() -> ApiResult<Organisation> {
        get("/org").await
    }
}

/// Consultations: reading is public or members-only per consultation (the server decides).
pub struct Consultations;

/// Filters of the consultation list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConsultationQuery {
    pub state: Option<ConsultationState>,
    pub kind: Option<ConsultationKind>,
    pub year: Option<i32>,
    pub committee: Option<i64>,
    pub cursor: Option<String>,
}

impl Consultations {
    pub async fn list(query: ConsultationQuery) -> ApiResult<Page<ConsultationSummary>> {
        let mut path = format!("/consultations?limit={DEFAULT_PAGE_LIMIT}");
        if let Some(state) = query.state {
            path.push_str(&format!("&state={}", state.as_str()));
        }
        if let Some(kind) = query.kind {
            path.push_str(match kind {
                ConsultationKind::Remote => "&kind=remote",
                ConsultationKind::Online => "&kind=online",
            });
        }
        if let Some(year) = query.year {
            path.push_str(&format!("&year={year}"));
        }
        if let Some(committee) = query.committee {
            path.push_str(&format!("&committee={committee}"));
        }
        if let Some(cursor) = &query.cursor {
            path.push_str(&format!("&cursor={}", encode(cursor)));
        }
        get(&path).await
    }
    pub async fn detail(id: i64) -> ApiResult<ConsultationDetail> {
        get(&format!("/consultations/{id}")).await
    }
    pub async fn create(input: ConsultationInput) -> ApiResult<ConsultationDetail> {
        post("/consultations", &input).await
    }
    pub async fn update(id: i64, input: ConsultationInput) -> ApiResult<ConsultationDetail> {
        put(&format!("/consultations/{id}"), &input).await
    }
    pub async fn change_state(id: i64, to: ConsultationState) -> ApiResult<ConsultationDetail> {
        post(&format!("/consultations/{id}/state"), &ChangeState { to }).await
    }
    /// Every post, page by page (a live room shows the whole record).
    pub async fn all_posts(id: i64) -> ApiResult<Vec<Post>> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/consultations/{id}/posts?limit={MAX_PAGE_LIMIT}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={}", encode(c)));
            }
            let page: Page<Post> = get(&path).await?;
            all.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(all),
            }
        }
    }
    pub async fn attachments(id: i64) -> ApiResult<Vec<Attachment>> {
        get(&format!("/consultations/{id}/attachments")).await
    }
    /// Uploads a file as the raw body; the server judges its type by its content.
    pub async fn upload(id: i64, file: web_sys::File) -> ApiResult<Vec<Attachment>> {
        upload_file(&format!("/consultations/{id}/attachments"), file).await
    }
    pub async fn delete_attachment(id: i64) -> ApiResult<()> {
        delete(&format!("/attachments/{id}")).await
    }
    pub async fn create_post(id: i64, body: NewPost) -> ApiResult<Post> {
        post(&format!("/consultations/{id}/posts"), &body).await
    }
    pub async fn like(post_id: i64, like: bool) -> ApiResult<LikeCount> {
        let path = url(&format!("/posts/{post_id}/like"));
        if like {
            send(Request::post(&path), Some(&serde_json::json!({}))).await
        } else {
            send::<(), _>(Request::delete(&path), None).await
        }
    }
}

/// Speaking at a remote consultation.
pub struct Floor;

impl Floor {
    pub async fn get(id: i64) -> ApiResult<FloorState> {
        get(&format!("/consultations/{id}/floor")).await
    }
    pub async fn apply(id: i64, body: ApplyToSpeak) -> ApiResult<FloorState> {
        post(&format!("/consultations/{id}/speeches"), &body).await
    }
    /// `minutes`: floor time granted; `None` takes the default (8, or 5 for impromptu remarks).
    pub async fn decide(speech: i64, accept: bool, minutes: Option<u32>) -> ApiResult<FloorState> {
        post(
            &format!("/speeches/{speech}/decision"),
            &SpeechDecision { accept, minutes },
        )
        .await
    }
    pub async fn reorder(id: i64, speech_ids: Vec<i64>) -> ApiResult<FloorState> {
        post(
            &format!("/consultations/{id}/queue"),
            &QueueOrder { speech_ids },
        )
        .await
    }
    pub async fn set_segment(id: i64, segment: Segment) -> ApiResult<FloorState> {
        post(
            &format!("/consultations/{id}/segment"),
            &SetSegment { segment },
        )
        .await
    }
    pub async fn call_next(id: i64) -> ApiResult<FloorState> {
        post(
            &format!("/consultations/{id}/floor/next"),
            &serde_json::json!({}),
        )
        .await
    }
    pub async fn end_speech(id: i64) -> ApiResult<FloorState> {
        post(
            &format!("/consultations/{id}/floor/end"),
            &serde_json::json!({}),
        )
        .await
    }
}

/// A consultation's outcome: minutes, recommendations, attendance.
pub struct Outcome;

impl Outcome {
    /// `None` when there are no minutes this reader may see yet.
    pub async fn minutes(id: i64) -> ApiResult<Option<Minutes>> {
        get(&format!("/consultations/{id}/minutes")).await
    }
    pub async fn draft(id: i64) -> ApiResult<MinutesInput> {
        post(
            &format!("/consultations/{id}/minutes/draft"),
            &serde_json::json!({}),
        )
        .await
    }
    pub async fn save(id: i64, body: String) -> ApiResult<Minutes> {
        put(
            &format!("/consultations/{id}/minutes"),
            &MinutesInput { body },
        )
        .await
    }
    pub async fn publish(id: i64) -> ApiResult<Minutes> {
        post(
            &format!("/consultations/{id}/minutes/publish"),
            &serde_json::json!({}),
        )
        .await
    }
    pub async fn recommendations(id: i64) -> ApiResult<Vec<Recommendation>> {
        get(&format!("/consultations/{id}/recommendations")).await
    }
    pub async fn add_recommendation(
        id: i64,
        body: NewRecommendation,
    ) -> ApiResult<Vec<Recommendation>> {
        post(&format!("/consultations/{id}/recommendations"), &body).await
    }
    pub async fn delete_recommendation(id: i64) -> ApiResult<()> {
        delete(&format!("/recommendations/{id}")).await
    }
    /// The invitation list with how each account attended (staff and the chair).
    pub async fn roll(id: i64) -> ApiResult<Vec<RollEntry>> {
        get(&format!("/consultations/{id}/roll")).await
    }
    /// Staff tick (or untick) venue attendance.
    pub async fn mark_attendance(
        id: i64,
        account_id: AccountId,
        present: bool,
    ) -> ApiResult<Vec<Attendee>> {
        put(
            &format!("/consultations/{id}/attendance"),
            &AttendanceMark {
                account_id,
                present,
            },
        )
        .await
    }
}

/// Calls that need a signed-in account.
pub struct Member;

impl Member {
    pub async fn sign_out() -> ApiResult<()> {
        delete("/session").await
    }
    pub async fn sign_out_everywhere() -> ApiResult<()> {
        send::<(), ()>(Request::post(&url("/session/everywhere")), None).await
    }
    pub async fn change_password(
        current_password: String,
        new_password: String,
    ) -> ApiResult<SessionInfo> {
        let s: SessionInfo = post(
            "/me/password",
            &ChangePassword {
                current_password,
                new_password,
            },
        )
        .await?;
        set_csrf(&s.csrf_token);
        Ok(s)
    }
    pub async fn activity() -> ApiResult<MyActivity> {
        get("/me/activity").await
    }
    pub async fn profile(id: i64) -> ApiResult<MemberProfile> {
        get(&format!("/members/{id}")).await
    }
}

/// Staff administration.
pub struct Admin;

/// Filters of the account list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountQuery {
    pub q: String,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub cursor: Option<String>,
    /// Page size; the server's default when absent.
    pub limit: Option<u32>,
}

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s)
        .as_string()
        .unwrap_or_default()
}

impl Admin {
    pub async fn accounts(query: AccountQuery) -> ApiResult<Page<AccountSummary>> {
        let limit = query.limit.unwrap_or(DEFAULT_PAGE_LIMIT);
        let mut path = format!("/admin/accounts?limit={limit}");
        if !query.q.trim().is_empty() {
            path.push_str(&format!("&q={}", encode(query.q.trim())));
        }
        if let Some(role) = query.role {
            path.push_str(&format!("&role={}", role.as_str()));
        }
        if let Some(active) = query.active {
            path.push_str(&format!("&active={active}"));
        }
        if let Some(cursor) = &query.cursor {
            path.push_str(&format!("&cursor={}", encode(cursor)));
        }
        get(&path).await
    }
    pub async fn account(id: i64) -> ApiResult<AccountSummary> {
        get(&format!("/admin/accounts/{id}")).await
    }
    pub async fn create_account(body: NewAccount) -> ApiResult<IssuedCredentials> {
        post("/admin/accounts", &body).await
    }
    pub async fn update_account(id: i64, body: UpdateAccount) -> ApiResult<AccountSummary> {
        put(&format!("/admin/accounts/{id}"), &body).await
    }
    pub async fn reset_password(id: i64) -> ApiResult<IssuedCredentials> {
        post(
            &format!("/admin/accounts/{id}/reset-password"),
            &serde_json::json!({}),
        )
        .await
    }
    pub async fn import_preview(csv: String) -> ApiResult<ImportPreview> {
        post(
            "/admin/accounts/import/preview",
            &ImportAccounts {
                csv,
                skip_invalid: false,
            },
        )
        .await
    }
    pub async fn import(csv: String, skip_invalid: bool) -> ApiResult<ImportResult> {
        post(
            "/admin/accounts/import",
            &ImportAccounts { csv, skip_invalid },
        )
        .await
    }
    pub async fn update_settings(body: UpdateSettings) -> ApiResult<SiteInfo> {
        put("/admin/settings", &body).await
    }
    pub async fn create_unit(kind: OrgKind, input: OrgUnitInput) -> ApiResult<OrgUnit> {
        post(&format!("/admin/org/{}", kind.segment()), &input).await
    }
    pub async fn update_unit(kind: OrgKind, id: i64, input: OrgUnitInput) -> ApiResult<OrgUnit> {
        patch(&format!("/admin/org/{}/{id}", kind.segment()), &input).await
    }
    pub async fn delete_unit(kind: OrgKind, id: i64) -> ApiResult<()> {
        delete(&format!("/admin/org/{}/{id}", kind.segment())).await
    }
}

/// Filters of the follow-up list (the server narrows it to what the reader may see).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowUpQuery {
    pub state: Option<FollowUpState>,
    pub overdue: bool,
    pub department: Option<i64>,
    pub source: Option<FollowUpSource>,
    pub cursor: Option<String>,
}

impl FollowUpQuery {
    fn params(&self) -> String {
        let mut q = Vec::new();
        if let Some(s) = self.state {
            q.push(format!("state={}", s.as_str()));
        }
        if self.overdue {
            q.push("overdue=true".to_owned());
        }
        if let Some(d) = self.department {
            q.push(format!("department={d}"));
        }
        if let Some(s) = self.source {
            q.push(format!("source={}", s.as_str()));
        }
        if let Some(c) = &self.cursor {
            q.push(format!("cursor={}", encode(c)));
        }
        q.join("&")
    }

    /// The staff CSV export of the same filters (a plain link: the browser downloads it).
    pub fn export_url(&self) -> String {
        let without_cursor = FollowUpQuery {
            cursor: None,
            ..self.clone()
        };
        url(&format!("/follow-ups/export?{}", without_cursor.params()))
    }
}

/// The follow-up loop: department inbox, staff overview, the requester's items.
pub struct FollowUps;

impl FollowUps {
    pub async fn list(query: FollowUpQuery) -> ApiResult<Page<FollowUpSummary>> {
        get(&format!("/follow-ups?{}", query.params())).await
    }
    pub async fn detail(id: i64) -> ApiResult<FollowUpDetail> {
        get(&format!("/follow-ups/{id}")).await
    }
    pub async fn stats() -> ApiResult<Vec<DepartmentStats>> {
        get("/follow-ups/stats").await
    }
    pub async fn accept(id: i64) -> ApiResult<FollowUpDetail> {
        post(&format!("/follow-ups/{id}/accept"), &serde_json::json!({})).await
    }
    pub async fn give_back(id: i64, reason: String) -> ApiResult<FollowUpDetail> {
        post(&format!("/follow-ups/{id}/give-back"), &GiveBack { reason }).await
    }
    pub async fn note(id: i64, text: String) -> ApiResult<FollowUpDetail> {
        post(&format!("/follow-ups/{id}/notes"), &ProgressNote { text }).await
    }
    pub async fn reply(id: i64, body: ReplyInput) -> ApiResult<FollowUpDetail> {
        post(&format!("/follow-ups/{id}/reply"), &body).await
    }
    pub async fn rate(id: i64, body: RatingInput) -> ApiResult<FollowUpDetail> {
        post(&format!("/follow-ups/{id}/rating"), &body).await
    }
    pub async fn reassign(id: i64, body: Assignment) -> ApiResult<FollowUpDetail> {
        post(&format!("/follow-ups/{id}/reassign"), &body).await
    }
    pub async fn close(id: i64) -> ApiResult<FollowUpDetail> {
        post(&format!("/follow-ups/{id}/close"), &serde_json::json!({})).await
    }
    pub async fn add_evidence(id: i64, file: web_sys::File) -> ApiResult<Vec<Photo>> {
        upload_file(&format!("/follow-ups/{id}/photos"), file).await
    }
}

/// Micro-suggestions (微建议).
pub struct Suggestions;

impl Suggestions {
    /// `mine`: the reader's own; otherwise staff get every one, others the public ones.
    pub async fn list(
        state: Option<SuggestionState>,
        mine: bool,
        cursor: Option<String>,
    ) -> ApiResult<Page<Suggestion>> {
        let mut q = Vec::new();
        if let Some(s) = state {
            q.push(format!("state={}", s.as_str()));
        }
        if mine {
            q.push("mine=true".to_owned());
        }
        if let Some(c) = cursor {
            q.push(format!("cursor={}", encode(&c)));
        }
        get(&format!("/suggestions?{}", q.join("&"))).await
    }
    pub async fn submit(body: NewSuggestion) -> ApiResult<Suggestion> {
        post("/suggestions", &body).await
    }
    pub async fn detail(id: i64) -> ApiResult<Suggestion> {
        get(&format!("/suggestions/{id}")).await
    }
    pub async fn review(id: i64, body: SuggestionReview) -> ApiResult<Suggestion> {
        post(&format!("/suggestions/{id}/review"), &body).await
    }
    pub async fn add_photo(id: i64, file: web_sys::File) -> ApiResult<Vec<Photo>> {
        upload_file(&format!("/suggestions/{id}/photos"), file).await
    }
}

/// The committee calendar (holidays, make-up working days).
pub struct CommitteeCalendar;

impl CommitteeCalendar {
    pub async fn year(year: i32) -> ApiResult<Vec<CalendarDay>> {
        get(&format!("/calendar?year={year}")).await
    }
    pub async fn set(day: CalendarDay) -> ApiResult<CalendarDay> {
        put(
            &format!("/admin/calendar/{}", day.date),
            &serde_json::json!({"kind": day.kind, "name": day.name}),
        )
        .await
    }
    pub async fn remove(date: &str) -> ApiResult<()> {
        delete(&format!("/admin/calendar/{date}")).await
    }
}

/// Filters of the micro-consultation list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MicroQuery {
    pub state: Option<MicroState>,
    pub workstation: Option<i64>,
    pub department: Option<i64>,
    pub year: Option<i32>,
    pub cursor: Option<String>,
}

/// Micro-consultations (微协商).
pub struct Micro;

impl Micro {
    pub async fn list(q: MicroQuery) -> ApiResult<MicroPage> {
        let mut p = Vec::new();
        if let Some(s) = q.state {
            p.push(format!("state={}", s.as_str()));
        }
        if let Some(w) = q.workstation {
            p.push(format!("workstation={w}"));
        }
        if let Some(d) = q.department {
            p.push(format!("department={d}"));
        }
        if let Some(y) = q.year {
            p.push(format!("year={y}"));
        }
        if let Some(c) = q.cursor {
            p.push(format!("cursor={}", encode(&c)));
        }
        get(&format!("/micro-consultations?{}", p.join("&"))).await
    }
    pub async fn detail(id: i64) -> ApiResult<MicroDetail> {
        get(&format!("/micro-consultations/{id}")).await
    }
    pub async fn raise(body: RaiseIssue) -> ApiResult<MicroDetail> {
        post("/micro-consultations", &body).await
    }
    pub async fn raise_public(body: PublicIssue) -> ApiResult<()> {
        post("/micro-consultations/public", &body).await
    }
    pub async fn accept(id: i64, body: AcceptIssue) -> ApiResult<MicroDetail> {
        post(&format!("/micro-consultations/{id}/accept"), &body).await
    }
    pub async fn decline(id: i64, reason: String) -> ApiResult<MicroDetail> {
        post(
            &format!("/micro-consultations/{id}/decline"),
            &DeclineIssue { reason },
        )
        .await
    }
    pub async fn step(id: i64, to: MicroState) -> ApiResult<MicroDetail> {
        post(
            &format!("/micro-consultations/{id}/state"),
            &MoveIssue { to },
        )
        .await
    }
    pub async fn meeting(id: i64, body: Meeting) -> ApiResult<MicroDetail> {
        put(&format!("/micro-consultations/{id}/meeting"), &body).await
    }
    pub async fn consensus(id: i64, body: ConsensusInput) -> ApiResult<MicroDetail> {
        post(&format!("/micro-consultations/{id}/consensus"), &body).await
    }
    pub async fn feedback(id: i64, text: String) -> ApiResult<MicroDetail> {
        put(
            &format!("/micro-consultations/{id}/feedback"),
            &RaiserFeedback { text },
        )
        .await
    }
    pub async fn set_questionnaire(id: i64, body: QuestionnaireInput) -> ApiResult<MicroDetail> {
        put(&format!("/micro-consultations/{id}/questionnaire"), &body).await
    }
    pub async fn answer(id: i64, body: Answers) -> ApiResult<MicroDetail> {
        post(&format!("/micro-consultations/{id}/answers"), &body).await
    }
    pub async fn posts(id: i64) -> ApiResult<Page<Post>> {
        get(&format!("/micro-consultations/{id}/posts?limit=100")).await
    }
    pub async fn create_post(id: i64, body: NewPost) -> ApiResult<Post> {
        post(&format!("/micro-consultations/{id}/posts"), &body).await
    }
}

/// Which part of a reading thread to load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThreadQuery {
    pub after: Option<String>,
    pub before: Option<String>,
    pub after_post: Option<i64>,
    pub newest: bool,
    pub featured: bool,
    pub chapter: Option<i64>,
}

/// Reading groups (委员读书): the catalogue (staff), groups, threads, check-ins.
pub struct Reading;

impl Reading {
    pub async fn periods() -> ApiResult<Vec<ReadingPeriod>> {
        get("/reading-periods").await
    }
    pub async fn create_period(body: ReadingPeriodInput) -> ApiResult<ReadingPeriod> {
        post("/reading-periods", &body).await
    }
    pub async fn books() -> ApiResult<Vec<Book>> {
        get("/books").await
    }
    pub async fn create_book(body: BookInput) -> ApiResult<Book> {
        post("/books", &body).await
    }
    pub async fn set_cover(book: i64, file: web_sys::File) -> ApiResult<Book> {
        send_file(Request::put(&url(&format!("/books/{book}/cover"))), file).await
    }
    pub async fn list(
        state: Option<ReadingGroupState>,
        mine: bool,
        cursor: Option<String>,
    ) -> ApiResult<Page<ReadingGroupSummary>> {
        let mut p = Vec::new();
        if let Some(s) = state {
            p.push(format!("state={}", s.as_str()));
        }
        if mine {
            p.push("mine=true".to_owned());
        }
        if let Some(c) = cursor {
            p.push(format!("cursor={}", encode(&c)));
        }
        get(&format!("/reading-groups?{}", p.join("&"))).await
    }
    pub async fn detail(id: i64) -> ApiResult<ReadingGroupDetail> {
        get(&format!("/reading-groups/{id}")).await
    }
    pub async fn create(body: ReadingGroupInput) -> ApiResult<ReadingGroupDetail> {
        post("/reading-groups", &body).await
    }
    pub async fn update(id: i64, body: ReadingGroupInput) -> ApiResult<ReadingGroupDetail> {
        put(&format!("/reading-groups/{id}"), &body).await
    }
    pub async fn change_state(id: i64, state: ReadingGroupState) -> ApiResult<ReadingGroupDetail> {
        post(
            &format!("/reading-groups/{id}/state"),
            &ChangeGroupState { state },
        )
        .await
    }
    pub async fn join(id: i64) -> ApiResult<ReadingGroupDetail> {
        post(
            &format!("/reading-groups/{id}/join"),
            &serde_json::json!({}),
        )
        .await
    }
    pub async fn leave(id: i64) -> ApiResult<ReadingGroupDetail> {
        post(
            &format!("/reading-groups/{id}/leave"),
            &serde_json::json!({}),
        )
        .await
    }
    pub async fn members(id: i64) -> ApiResult<GroupMembers> {
        get(&format!("/reading-groups/{id}/members")).await
    }
    pub async fn candidates(id: i64, q: &str) -> ApiResult<Vec<AccountSummary>> {
        get(&format!("/reading-groups/{id}/candidates?q={}", encode(q))).await
    }
    pub async fn add_member(id: i64, account_id: AccountId) -> ApiResult<GroupMembers> {
        post(
            &format!("/reading-groups/{id}/members"),
            &AddGroupMember { account_id },
        )
        .await
    }
    pub async fn remove_member(id: i64, account: AccountId) -> ApiResult<GroupMembers> {
        send::<(), _>(
            Request::delete(&url(&format!("/reading-groups/{id}/members/{account}"))),
            None,
        )
        .await
    }
    pub async fn check_in(id: i64, chapter: i64, done: bool) -> ApiResult<ReadingGroupDetail> {
        let path = url(&format!("/reading-groups/{id}/checkins/{chapter}"));
        if done {
            send::<(), _>(Request::put(&path), None).await
        } else {
            send::<(), _>(Request::delete(&path), None).await
        }
    }
    pub async fn read_up_to(id: i64, post_id: i64) -> ApiResult<()> {
        put(
            &format!("/reading-groups/{id}/read-position"),
            &ReadPosition { post_id },
        )
        .await
    }
    pub async fn thread(id: i64, q: ThreadQuery) -> ApiResult<ThreadPage> {
        let mut p = vec!["limit=20".to_owned()];
        if let Some(a) = q.after {
            p.push(format!("after={}", encode(&a)));
        }
        if let Some(b) = q.before {
            p.push(format!("before={}", encode(&b)));
        }
        if let Some(post) = q.after_post {
            p.push(format!("after_post={post}"));
        }
        if q.newest {
            p.push("newest=true".to_owned());
        }
        if q.featured {
            p.push("featured=true".to_owned());
        }
        if let Some(c) = q.chapter {
            p.push(format!("chapter={c}"));
        }
        get(&format!("/reading-groups/{id}/posts?{}", p.join("&"))).await
    }
    pub async fn post_with_replies(id: i64, post_id: i64) -> ApiResult<Vec<ThreadEntry>> {
        get(&format!("/reading-groups/{id}/posts/{post_id}")).await
    }
    pub async fn create_post(id: i64, body: NewReadingPost) -> ApiResult<Post> {
        post(&format!("/reading-groups/{id}/posts"), &body).await
    }
    pub async fn edit_post(
        id: i64,
        post_id: i64,
        body: EditReadingPost,
    ) -> ApiResult<Vec<ThreadEntry>> {
        put(&format!("/reading-groups/{id}/posts/{post_id}"), &body).await
    }
    pub async fn delete_post(id: i64, post_id: i64) -> ApiResult<()> {
        delete(&format!("/reading-groups/{id}/posts/{post_id}")).await
    }
    pub async fn set_featured(
        id: i64,
        post_id: i64,
        featured: bool,
    ) -> ApiResult<Vec<ThreadEntry>> {
        let path = url(&format!("/reading-groups/{id}/posts/{post_id}/featured"));
        if featured {
            send::<(), _>(Request::put(&path), None).await
        } else {
            send::<(), _>(Request::delete(&path), None).await
        }
    }
}

/// Duty records (履职档案): records, the staff overview, rules, offline activities, leave.
pub struct Duty;

impl Duty {
    /// The year defaults to the current one in the committee's time zone.
    pub async fn record(account: AccountId, year: Option<i32>) -> ApiResult<DutyRecord> {
        match year {
            Some(y) => get(&format!("/duty/records/{account}?year={y}")).await,
            None => get(&format!("/duty/records/{account}")).await,
        }
    }
    pub async fn my_activities() -> ApiResult<Vec<ExpectedActivity>> {
        get("/duty/my-activities").await
    }
    pub async fn request_leave(activity: i64, reason: String) -> ApiResult<Vec<ExpectedActivity>> {
        post(
            &format!("/duty/activities/{activity}/leave"),
            &LeaveRequest { reason },
        )
        .await
    }
    /// The overview's query string (also for the CSV link).
    pub fn overview_query(
        year: i32,
        sector: Option<i64>,
        committee: Option<i64>,
        sort: &str,
    ) -> String {
        let mut q = format!("year={year}&sort={sort}");
        if let Some(s) = sector {
            q.push_str(&format!("&sector={s}"));
        }
        if let Some(c) = committee {
            q.push_str(&format!("&committee={c}"));
        }
        q
    }
    pub async fn overview(query: String) -> ApiResult<Vec<DutySummary>> {
        get(&format!("/duty/overview?{query}")).await
    }
    pub fn export_url(query: &str) -> String {
        url(&format!("/duty/overview.csv?{query}"))
    }
    pub async fn rules() -> ApiResult<Vec<PointRule>> {
        get("/duty/rules").await
    }
    pub async fn add_rule(body: PointRuleInput) -> ApiResult<Vec<PointRule>> {
        post("/duty/rules", &body).await
    }
    pub async fn activities(year: i32) -> ApiResult<Vec<DutyActivity>> {
        get(&format!("/duty/activities?year={year}")).await
    }
    pub async fn create_activity(body: ActivityInput) -> ApiResult<DutyActivity> {
        post("/duty/activities", &body).await
    }
    pub async fn activity(id: i64) -> ApiResult<DutyActivity> {
        get(&format!("/duty/activities/{id}")).await
    }
    pub async fn record_attendance(id: i64, attended: Vec<AccountId>) -> ApiResult<DutyActivity> {
        put(
            &format!("/duty/activities/{id}/attendance"),
            &AttendanceInput { attended },
        )
        .await
    }
    pub async fn decide_leave(
        id: i64,
        account: AccountId,
        approve: bool,
    ) -> ApiResult<DutyActivity> {
        put(
            &format!("/duty/activities/{id}/leave/{account}"),
            &LeaveDecision { approve },
        )
        .await
    }
}

/// Search across areas (anyone; results follow what the reader may see).
pub struct Search;

impl Search {
    pub async fn query(
        q: &str,
        kind: Option<SearchKind>,
        year: Option<i32>,
        page: u32,
    ) -> ApiResult<SearchResults> {
        let mut p = vec![format!("q={}", encode(q)), format!("page={page}")];
        if let Some(k) = kind {
            p.push(format!("kind={}", k.as_str()));
        }
        if let Some(y) = year {
            p.push(format!("year={y}"));
        }
        get(&format!("/search?{}", p.join("&"))).await
    }
}

/// The signed-in account's notifications.
pub struct Notifications;

#[derive(serde::Serialize)]
struct MarkRead {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
}

#[derive(serde::Deserialize)]
pub struct Unread {
    pub unread: i64,
}

impl Notifications {
    pub async fn list(cursor: Option<String>) -> ApiResult<NotificationPage> {
        match cursor {
            Some(c) => get(&format!("/notifications?cursor={}", encode(&c))).await,
            None => get("/notifications").await,
        }
    }
    /// One (`Some(id)`) or all; returns the unread count after.
    pub async fn mark_read(id: Option<i64>) -> ApiResult<i64> {
        let u: Unread = post("/notifications/read", &MarkRead { id }).await?;
        Ok(u.unread)
    }
    pub async fn settings() -> ApiResult<NotificationSettings> {
        get("/notifications/settings").await
    }
    pub async fn save_settings(
        body: UpdateNotificationSettings,
    ) -> ApiResult<NotificationSettings> {
        put("/notifications/settings", &body).await
    }
}

/// Reports (anyone signed in) and the staff moderation tools.
pub struct Moderation;

impl Moderation {
    pub async fn report(post_id: i64, reason: String) -> ApiResult<()> {
        send::<_, ()>(
            Request::post(&url(&format!("/posts/{post_id}/reports"))),
            Some(&NewReport { reason }),
        )
        .await
    }
    /// The signed-in account's own posts waiting for a moderator.
    pub async fn my_pending() -> ApiResult<Vec<QueueItem>> {
        get("/me/pending-posts").await
    }
    pub async fn queue() -> ApiResult<Vec<QueueItem>> {
        get("/moderation/queue").await
    }
    pub async fn hide(post_id: i64, reason: String) -> ApiResult<ModerationState> {
        post(
            &format!("/moderation/posts/{post_id}/hide"),
            &HidePost { reason },
        )
        .await
    }
    /// `step`: approve, restore or dismiss.
    pub async fn step(post_id: i64, step: &str) -> ApiResult<ModerationState> {
        post(
            &format!("/moderation/posts/{post_id}/{step}"),
            &serde_json::json!({}),
        )
        .await
    }
    pub async fn words() -> ApiResult<Vec<SensitiveWord>> {
        get("/moderation/words").await
    }
    pub async fn add_word(word: String) -> ApiResult<Vec<SensitiveWord>> {
        post("/moderation/words", &NewSensitiveWord { word }).await
    }
    pub async fn remove_word(id: i64) -> ApiResult<()> {
        delete(&format!("/moderation/words/{id}")).await
    }
    pub async fn suspension(account: AccountId) -> ApiResult<Option<Suspension>> {
        get(&format!("/accounts/{account}/suspension")).await
    }
    pub async fn suspend(account: AccountId, days: u32, reason: String) -> ApiResult<Suspension> {
        put(
            &format!("/accounts/{account}/suspension"),
            &NewSuspension { days, reason },
        )
        .await
    }
    pub async fn unsuspend(account: AccountId) -> ApiResult<()> {
        delete(&format!("/accounts/{account}/suspension")).await
    }
    pub async fn premoderation(kind: &str, id: i64) -> ApiResult<Premoderation> {
        get(&format!("/moderation/containers/{kind}/{id}")).await
    }
    pub async fn set_premoderation(kind: &str, id: i64, on: bool) -> ApiResult<Premoderation> {
        put(
            &format!("/moderation/containers/{kind}/{id}"),
            &Premoderation { premoderated: on },
        )
        .await
    }
    pub async fn audit(
        action: Option<String>,
        cursor: Option<String>,
    ) -> ApiResult<Page<AuditEntry>> {
        let mut p = Vec::new();
        if let Some(a) = action.filter(|a| !a.is_empty()) {
            p.push(format!("action={}", encode(&a)));
        }
        if let Some(c) = cursor {
            p.push(format!("cursor={}", encode(&c)));
        }
        get(&format!("/audit?{}", p.join("&"))).await
    }
}
