//! Time-driven changes, made without a person: an online topic (网络议政) opens and closes on
//! its dates by itself; residents' contact details are erased after the retention period. Opening needs no change (posting follows the dates, see
//! `domain::consultation`); closing concludes the topic so that staff can write its outcome.
//!
//! Every server runs the scheduler; with several servers on one PostgreSQL database an
//! advisory lock per job lets one instance at a time run it, and the conditional update in
//! `change_state` records each change exactly once even so.

use crate::db::consultations::AfterChange;
use crate::db::{now_ms, DbResult};
use crate::state::AppState;
use yishi_api::ConsultationState;

/// Advisory lock keys naming the scheduled jobs (arbitrary constants).
const CLOSE_TOPICS_LOCK: i64 = 0x7969_7368_6901;
const ERASE_CONTACTS_LOCK: i64 = 0x7969_7368_6902;
const REMINDERS_LOCK: i64 = 0x7969_7368_6903;

/// Reminders that depend on the clock: consultations starting within 30 minutes, items past
/// their due date. Each is sent once (dedupe keys), however often this runs.
pub async fn send_reminders(state: &AppState) -> DbResult<()> {
    let now = now_ms();
    let soon = state.db.remind_starting_soon(now).await?;
    let zone = state.db.time_zone().await?;
    let today = crate::domain::calendar::format_date(
        chrono::DateTime::from_timestamp_millis(now)
            .unwrap_or_default()
            .with_timezone(&zone)
            .date_naive(),
    );
    let overdue = state.db.remind_overdue(&today).await?;
    if soon + overdue > 0 {
        state.hub.notify();
    }
    Ok(())
}

/// Concludes every open online topic past its closing date; returns how many it concluded.
pub async fn close_due_topics(state: &AppState) -> DbResult<usize> {
    let mut closed = 0;
    for id in state.db.online_topics_due_to_close(now_ms()).await? {
        if state
            .db
            .change_state(
                id,
                ConsultationState::Published,
                ConsultationState::Concluded,
                None,
                AfterChange::Nothing,
            )
            .await?
        {
            tracing::info!(consultation = id, "online topic closed on its closing date");
            closed += 1;
        }
    }
    if closed > 0 {
        state.hub.notify();
    }
    Ok(closed)
}

/// Erases residents' contact details once their issue has been closed (or declined) for the
/// retention period.
pub async fn erase_old_contacts(state: &AppState) -> DbResult<u64> {
    let retention_ms = state
        .config
        .contact_retention_days
        .saturating_mul(86_400_000);
    let erased = state.db.erase_contacts(now_ms() - retention_ms).await?;
    if erased > 0 {
        tracing::info!(
            erased,
            "residents' contact details erased after the retention period"
        );
    }
    Ok(erased)
}

/// Runs `job` every `config.schedule_every` until the server shuts down.
fn every<F, Fut>(state: AppState, job: F)
where
    F: Fn(AppState) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(state.config.schedule_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if *state.shutdown.borrow() {
                return;
            }
            job(state.clone()).await;
        }
    });
}

/// Runs the time-driven changes, and (on its own loop, so a slow mail server never holds them
/// up) the notification outbox.
pub fn spawn(state: AppState) {
    let http = reqwest::Client::new();
    every(state.clone(), move |state| {
        let http = http.clone();
        async move {
            if let Err(e) =
                crate::notify::deliver_due(&state.db, &state.config.outbound, &http).await
            {
                tracing::warn!(error = ?e, "sending notifications failed");
            }
        }
    });
    every(state, |state| async move {
        // One instance at a time runs each job (PostgreSQL advisory lock).
        let closing = state
            .db
            .exclusively(CLOSE_TOPICS_LOCK, || close_due_topics(&state))
            .await;
        if let Err(e) = closing {
            tracing::warn!(error = ?e, "closing online topics on their dates failed");
        }
        let reminding = state
            .db
            .exclusively(REMINDERS_LOCK, || send_reminders(&state))
            .await;
        if let Err(e) = reminding {
            tracing::warn!(error = ?e, "sending reminders failed");
        }
        let erasing = state
            .db
            .exclusively(ERASE_CONTACTS_LOCK, || erase_old_contacts(&state))
            .await;
        if let Err(e) = erasing {
            tracing::warn!(error = ?e, "erasing residents' contact details failed");
        }
    });
}
