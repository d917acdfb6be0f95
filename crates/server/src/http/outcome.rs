//! Attendance, minutes (drafted from the record, edited, published) and recommendations.

use crate::auth::session::{AuthUser, MaybeAuthUser};
use crate::db::consultations::ConsultationRow;
use crate::db::posts::Container;
use crate::db::settings::TIME_ZONE;
use crate::domain::consultation as rules;
use crate::error::{AppError, AppResult};
use crate::http::consultations::{readable, staff_only};
use crate::http::json::{ApiJson, ApiPath};
use crate::markdown;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use yishi_api::field_codes::*;
use yishi_api::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/consultations/{id}/attendance",
            get(attendance).put(mark_attendance),
        )
        .route("/consultations/{id}/roll", get(roll))
        .route(
            "/consultations/{id}/minutes",
            get(minutes).put(save_minutes),
        )
        .route("/consultations/{id}/minutes/draft", post(draft_minutes))
        .route("/consultations/{id}/minutes/publish", post(publish_minutes))
        .route(
            "/consultations/{id}/recommendations",
            get(recommendations).post(add_recommendation),
        )
        .route("/recommendations/{id}", delete(delete_recommendation))
}

/// Recommendations are listed between the meeting and the outcome: publishing the outcome
/// makes each one a tracked item, which must not lose its source afterwards.
fn before_outcome(row: &ConsultationRow) -> AppResult<()> {
    if row.state()? == ConsultationState::Concluded {
        Ok(())
    } else {
        Err(not_before_outcome())
    }
}

fn not_before_outcome() -> AppError {
    AppError::conflict(
        codes::INVALID_TRANSITION,
        "Recommendations are listed after the meeting and before the outcome is published.",
    )
}

fn after_meeting(row: &ConsultationRow) -> AppResult<()> {
    match row.state()? {
        ConsultationState::Concluded
        | ConsultationState::OutcomePublished
        | ConsultationState::Closed => Ok(()),
        _ => Err(AppError::conflict(
            codes::INVALID_TRANSITION,
            "Only after the meeting has concluded.",
        )),
    }
}

/// Attendance records are for those who run the meeting: staff and the chair.
async fn meeting_runner_only(state: &AppState, user: &AuthUser, id: i64) -> AppResult<()> {
    let row = readable(state, Some(user), id).await?;
    if rules::may_run_meeting(Some(user), &row.facts()?) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Everyone recorded as attending, once each, with the way they were first recorded.
#[utoipa::path(get, path = "/api/v1/consultations/{id}/attendance", tag = "outcome", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Attendee>), (status = 403, body = ApiError)))]
pub async fn attendance(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Attendee>>> {
    meeting_runner_only(&state, &user, id).await?;
    Ok(Json(state.db.attendance(id).await?))
}

/// The roll call: the invitation list with how each account attended (staff and the chair).
#[utoipa::path(get, path = "/api/v1/consultations/{id}/roll", tag = "outcome", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RollEntry>), (status = 403, body = ApiError)))]
pub async fn roll(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<RollEntry>>> {
    meeting_runner_only(&state, &user, id).await?;
    Ok(Json(state.db.roll(id).await?))
}

/// Staff tick (or untick) an account's attendance at a venue.
#[utoipa::path(put, path = "/api/v1/consultations/{id}/attendance", tag = "outcome", request_body = AttendanceMark,
    params(("id" = i64, Path)), responses((status = 200, body = Vec<Attendee>), (status = 422, body = ApiError)))]
pub async fn mark_attendance(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AttendanceMark>,
) -> AppResult<Json<Vec<Attendee>>> {
    staff_only(&state, &user, id).await?;
    if state.db.me(body.account_id).await?.is_none() {
        return Err(AppError::field("account_id", UNKNOWN));
    }
    state
        .db
        .mark_venue_attendance(id, body.account_id, body.present)
        .await?;
    Ok(Json(state.db.attendance(id).await?))
}

/// Staff and the chair see the minutes being written; everyone who may read the
/// consultation sees them once published. `null` when there are none this reader may see.
#[utoipa::path(get, path = "/api/v1/consultations/{id}/minutes", tag = "outcome", params(("id" = i64, Path)),
    responses((status = 200, body = Option<Minutes>), (status = 404, body = ApiError)))]
pub async fn minutes(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Option<Minutes>>> {
    let row = readable(&state, user.as_ref(), id).await?;
    let reviewer = rules::may_run_meeting(user.as_ref(), &row.facts()?);
    let minutes = state
        .db
        .minutes(id)
        .await?
        .filter(|m| m.published_at.is_some() || reviewer);
    Ok(Json(minutes))
}

#[utoipa::path(put, path = "/api/v1/consultations/{id}/minutes", tag = "outcome", request_body = MinutesInput,
    params(("id" = i64, Path)), responses((status = 200, body = Minutes), (status = 409, body = ApiError)))]
pub async fn save_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MinutesInput>,
) -> AppResult<Json<Minutes>> {
    let row = staff_only(&state, &user, id).await?;
    after_meeting(&row)?;
    let text = body.body.trim();
    if text.is_empty() {
        return Err(AppError::field("body", REQUIRED));
    }
    if text.chars().count() > MAX_MINUTES_CHARS {
        return Err(AppError::field("body", TOO_LONG));
    }
    state
        .db
        .save_minutes(id, text, &markdown::render(text), user.id)
        .await?;
    state.hub.notify();
    state
        .db
        .minutes(id)
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/minutes/publish", tag = "outcome",
    params(("id" = i64, Path)), responses((status = 200, body = Minutes), (status = 409, body = ApiError)))]
pub async fn publish_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Minutes>> {
    let row = staff_only(&state, &user, id).await?;
    after_meeting(&row)?;
    if !state.db.publish_minutes(id).await? {
        return Err(AppError::conflict(
            codes::CONFLICT,
            "Save the minutes before publishing them.",
        ));
    }
    state.hub.notify();
    state
        .db
        .minutes(id)
        .await?
        .map(Json)
        .ok_or_else(AppError::not_found)
}

/// A first draft assembled from the record: details, speeches by segment, questions with
/// their answers, attendance. Not saved: staff edit it and save.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/minutes/draft", tag = "outcome",
    params(("id" = i64, Path)), responses((status = 200, body = MinutesInput)))]
pub async fn draft_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<MinutesInput>> {
    let row = staff_only(&state, &user, id).await?;
    let zone: chrono_tz::Tz = state
        .db
        .setting(TIME_ZONE)
        .await?
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::Asia::Shanghai);
    let date = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| {
                t.with_timezone(&zone)
                    .format("%Y年%m月%d日 %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let floor = state.db.floor(id, false).await?;
    let attendance = state.db.attendance(id).await?;
    let mut posts = Vec::new();
    let mut after = 0;
    loop {
        let (page, _) = state
            .db
            .list_posts(Container::consultation(id), after, 100)
            .await?;
        let Some(last) = page.last().map(|p| p.id) else {
            break;
        };
        after = last;
        // What moderators hid stays out of the minutes.
        posts.extend(page.into_iter().filter(|p| !p.hidden));
    }
    let mut md = format!("# {} 会议纪要\n\n", row.title);
    if let Some(t) = row.starts_at {
        md.push_str(&format!("- 时间：{}\n", date(t)));
    }
    if !row.venues.is_empty() {
        md.push_str(&format!("- 会场：{}\n", row.venues));
    }
    if let Some(chair) = &row.chair_name {
        md.push_str(&format!("- 主持人：{chair}\n"));
    }
    md.push_str(&format!("- 出席：{} 人\n\n", attendance.len()));
    if !floor.done.is_empty() {
        md.push_str("## 会议发言\n\n");
        for segment in Segment::ALL.into_iter().map(Some).chain([None]) {
            let speeches: Vec<&Speech> =
                floor.done.iter().filter(|s| s.segment == segment).collect();
            if speeches.is_empty() {
                continue;
            }
            md.push_str(&format!("### {}\n\n", segment_title(segment)));
            for (n, s) in speeches.iter().enumerate() {
                let mode = match s.mode {
                    SpeechMode::Venue => "现场发言",
                    SpeechMode::Video => "视频发言",
                    SpeechMode::Written => "书面发言",
                };
                md.push_str(&format!(
                    "{}. **{}**（{}）：{}\n",
                    n + 1,
                    s.speaker_name,
                    mode,
                    one_line(&s.summary)
                ));
            }
            md.push('\n');
        }
    }
    let questions: Vec<&Post> = posts
        .iter()
        .filter(|p| p.kind == PostKind::Question)
        .collect();
    if !questions.is_empty() {
        md.push_str("## 提问与解答\n\n");
        for (n, q) in questions.iter().enumerate() {
            md.push_str(&format!(
                "{}. **{}** 问：{}\n",
                n + 1,
                q.author_name,
                one_line(&strip_tags(&q.body_html))
            ));
            for a in posts
                .iter()
                .filter(|a| a.kind == PostKind::Answer && a.parent_id == Some(q.id))
            {
                md.push_str(&format!(
                    "   - **{}** 答：{}\n",
                    a.author_name,
                    one_line(&strip_tags(&a.body_html))
                ));
            }
        }
        md.push('\n');
    }
    if !attendance.is_empty() {
        md.push_str("## 出席人员\n\n");
        md.push_str(
            &attendance
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        );
        md.push('\n');
    }
    Ok(Json(MinutesInput { body: md }))
}

fn segment_title(segment: Option<Segment>) -> &'static str {
    match segment {
        Some(Segment::Briefing) => "部门通报",
        Some(Segment::Questions) => "委员提问",
        Some(Segment::Answers) => "部门解答",
        Some(Segment::Speeches) => "委员发言",
        None => "书面发言及其他",
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text of sanitised HTML (for quoting posts in the draft).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Recommendations are shown once the outcome is published (staff see them as they write).
#[utoipa::path(get, path = "/api/v1/consultations/{id}/recommendations", tag = "outcome", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Recommendation>)))]
pub async fn recommendations(
    State(state): State<AppState>,
    MaybeAuthUser(user): MaybeAuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Recommendation>>> {
    let row = readable(&state, user.as_ref(), id).await?;
    let shown = matches!(
        row.state()?,
        ConsultationState::OutcomePublished | ConsultationState::Closed
    ) || rules::may_manage(user.as_ref());
    Ok(Json(if shown {
        state.db.recommendations(id).await?
    } else {
        Vec::new()
    }))
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/recommendations", tag = "outcome", request_body = NewRecommendation,
    params(("id" = i64, Path)), responses((status = 201, body = Vec<Recommendation>), (status = 422, body = ApiError)))]
pub async fn add_recommendation(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewRecommendation>,
) -> AppResult<(StatusCode, Json<Vec<Recommendation>>)> {
    let row = staff_only(&state, &user, id).await?;
    before_outcome(&row)?;
    let text = crate::domain::accounts::parse_long_text(&body.text, 2000)
        .map_err(|p| AppError::field("text", p))?;
    let org = state.db.organisation().await?;
    if !org.departments.iter().any(|d| d.id == body.department_id) {
        return Err(AppError::field("department_id", UNKNOWN));
    }
    if !state
        .db
        .add_recommendation(id, &text, body.department_id)
        .await?
    {
        return Err(not_before_outcome());
    }
    state.hub.notify();
    Ok((
        StatusCode::CREATED,
        Json(state.db.recommendations(id).await?),
    ))
}

#[utoipa::path(delete, path = "/api/v1/recommendations/{id}", tag = "outcome", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiError)))]
pub async fn delete_recommendation(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let consultation = state
        .db
        .recommendation_consultation(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let row = staff_only(&state, &user, consultation).await?;
    before_outcome(&row)?;
    if !state.db.delete_recommendation(id, consultation).await? {
        return Err(not_before_outcome());
    }
    state.hub.notify();
    Ok(StatusCode::NO_CONTENT)
}
