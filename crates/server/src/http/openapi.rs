//! The OpenAPI 3 document, generated from the handlers' annotations and the wire types.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Yishi (议事) API", version = "1", description = "REST API of Yishi. Errors share one shape: `{code, message, fields}`. State-changing requests need the `X-CSRF-Token` header from `GET /api/v1/session`. Lists page with `limit` and the opaque `cursor` from `next_cursor`. Times are Unix milliseconds (UTC)."),
    paths(
        super::session::current, super::session::sign_in, super::session::sign_out,
        super::session::sign_out_everywhere, super::session::change_password,
        super::site::site_info, super::site::home, super::site::update_settings,
        super::org::organisation, super::org::create_unit, super::org::update_unit, super::org::delete_unit,
        super::accounts::list, super::accounts::one, super::accounts::create, super::accounts::update,
        super::accounts::reset_password, super::accounts::import_preview, super::accounts::import_commit,
        super::members::profile, super::members::activity,
        super::events::stream,
        super::attachments::list, super::attachments::upload, super::attachments::download, super::attachments::remove,
        super::outcome::attendance, super::outcome::roll, super::outcome::mark_attendance, super::outcome::minutes,
        super::outcome::save_minutes, super::outcome::publish_minutes, super::outcome::draft_minutes,
        super::outcome::recommendations, super::outcome::add_recommendation, super::outcome::delete_recommendation,
        super::speaking::floor, super::speaking::apply, super::speaking::decide, super::speaking::reorder,
        super::speaking::set_segment, super::speaking::call_next, super::speaking::end_speech,
        super::consultations::list, super::consultations::create, super::consultations::detail,
        super::consultations::update, super::consultations::change_state, super::consultations::posts,
        super::consultations::create_post, super::consultations::like, super::consultations::unlike,
        super::followup::list, super::followup::detail, super::followup::accept, super::followup::give_back,
        super::followup::note, super::followup::reply, super::followup::rate, super::followup::reassign,
        super::followup::close, super::followup::stats, super::followup::export,
        super::suggestions::list, super::suggestions::submit, super::suggestions::detail, super::suggestions::review,
        super::photos::add_to_suggestion, super::photos::add_evidence, super::photos::photo,
        super::micro::list, super::micro::raise, super::micro::raise_public, super::micro::detail,
        super::micro::accept, super::micro::decline, super::micro::step, super::micro::meeting,
        super::micro::consensus, super::micro::feedback, super::micro::set_questionnaire,
        super::micro::answer, super::micro::posts, super::micro::create_post,
        super::calendar::list, super::calendar::set, super::calendar::remove,
        super::duty::rules, super::duty::add_rule, super::duty::activities,
        super::duty::create_activity, super::duty::activity, super::duty::record_attendance,
        super::duty::request_leave, super::duty::decide_leave, super::duty::my_activities,
        super::duty::record, super::duty::overview, super::duty::export,
        super::reading::periods, super::reading::create_period, super::reading::books,
        super::reading::create_book, super::reading::set_cover, super::reading::cover,
        super::reading::list, super::reading::create, super::reading::detail, super::reading::update,
        super::reading::change_state, super::reading::join, super::reading::leave,
        super::reading::members, super::reading::add_member, super::reading::candidates, super::reading::remove_member,
        super::reading::check_in, super::reading::undo_check_in, super::reading::read_position,
        super::reading::thread, super::reading::create_post, super::reading::one_post,
        super::reading::edit_post, super::reading::delete_post, super::reading::feature,
        super::reading::unfeature,
        super::search::search_all,
        super::session::request_reset, super::session::confirm_reset,
        super::moderation::report, super::moderation::queue, super::moderation::my_pending_posts, super::moderation::hide,
        super::moderation::restore, super::moderation::approve, super::moderation::dismiss,
        super::moderation::words, super::moderation::add_word, super::moderation::remove_word,
        super::moderation::premoderation, super::moderation::set_premoderation,
        super::moderation::suspension, super::moderation::suspend, super::moderation::unsuspend,
        super::moderation::audit_log,
        super::notifications::list, super::notifications::mark_read,
        super::notifications::settings, super::notifications::save_settings,
        super::health,
    ),
    // Types that appear only as path parameters are not collected from the handlers.
    components(schemas(yishi_api::OrgKind)),
    tags(
        (name = "session", description = "Sign-in, sessions, passwords"),
        (name = "site", description = "Settings and the home page"),
        (name = "organisation", description = "Sectors, committees, departments, workstations"),
        (name = "members", description = "Profiles and own activity"),
        (name = "admin", description = "Staff administration"),
        (name = "consultations", description = "Consultations, their posts and likes"),
        (name = "speaking", description = "Speakers, queue, segments and the floor"),
        (name = "outcome", description = "Attendance, minutes and recommendations"),
        (name = "events", description = "Live events (server-sent events)"),
        (name = "follow-up", description = "Tracked items: department inbox, steps, overview, export"),
        (name = "suggestions", description = "Micro-suggestions (微建议) and their review"),
        (name = "micro-consultations", description = "Micro-consultations (微协商): raising, acceptance, opinions, questionnaire, meeting, consensus"),
        (name = "calendar", description = "Holidays and make-up working days"),
        (name = "duty", description = "Duty records (履职档案): points ledger, rules, offline activities, leave"),
        (name = "moderation", description = "Reports, the moderation queue, sensitive words, suspensions, the audit log"),
        (name = "notifications", description = "The notification centre and channel settings"),
        (name = "search", description = "Search across areas (Chinese-aware)"),
        (name = "reading", description = "Reading groups (委员读书): periods, books, groups, threads, check-ins"),
    )
)]
pub struct ApiDoc;

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "site", responses((status = 200, description = "This document")))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
