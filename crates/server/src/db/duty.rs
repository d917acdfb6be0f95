//! Duty records: the points ledger (append-only: awards and compensating rows), its rules,
//! offline activities with leave and attendance, and yearly totals.

use super::{now_ms, Db, DbResult, Engine};
use crate::domain::calendar::{format_date, local_date};
use chrono::Datelike;
use sqlx::{Any, AnyConnection, Transaction};
use yishi_api::*;

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} in database").into())
}

/// A source's points for one member: what the ledger row points back to.
#[derive(Debug, Clone, Copy)]
pub struct Award {
    pub account: AccountId,
    pub source: DutySource,
    pub ref_kind: &'static str,
    pub ref_id: i64,
    /// Units of the rule (half-days of a plenary session; 1 otherwise).
    pub units: i64,
    /// When the source happened (Unix ms): decides the rule in effect and the year.
    pub at: i64,
}

pub(crate) async fn time_zone(tx: &mut AnyConnection) -> DbResult<chrono_tz::Tz> {
    let zone: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(super::settings::TIME_ZONE)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(parse_zone(zone))
}

/// The committee's time zone from its stored setting; China's when unset or unknown.
pub(crate) fn parse_zone(setting: Option<String>) -> chrono_tz::Tz {
    setting
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::Asia::Shanghai)
}

/// Serialises ledger changes for one member until the transaction ends, so that two
/// concurrent actions cannot both read "not yet awarded" or both fit under a cap: on
/// PostgreSQL a row lock, `NO KEY` so that it does not conflict with the key-share lock a new
/// post takes on its author's row (`FOR UPDATE` did: two posts of one member deadlocked).
/// SQLite needs none: one transaction writes at a time, and one that
/// read before another's write committed fails (`SQLITE_BUSY_SNAPSHOT`) instead of writing
/// on what it read; the statement is left out because it is a round trip to SQLite's
/// connection thread inside the post writer's batches (see `post_writer`).
async fn lock_member(tx: &mut AnyConnection, account: AccountId) -> DbResult<()> {
    if super::engine_of(tx) == Engine::Postgres {
        sqlx::query("SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE")
            .bind(account.0)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// What the member holds from this source reference now (awards minus reversals).
async fn net(tx: &mut AnyConnection, a: &Award) -> DbResult<(i64, Option<i64>)> {
    let (sum, last): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT CAST(SUM(points) AS BIGINT), MAX(id) FROM point_ledger WHERE account_id = $1 AND source = $2 \
         AND ref_kind = $3 AND ref_id = $4",
    )
    .bind(a.account.0)
    .bind(a.source.as_str())
    .bind(a.ref_kind)
    .bind(a.ref_id)
    .fetch_one(&mut *tx)
    .await?;
    Ok((sum.unwrap_or(0), last))
}

/// Writes the points of `a` inside the caller's transaction, once per source reference: by
/// the rule in effect on the source's date, within the rule's yearly cap. Nothing when the
/// reference already holds points or the rule gives none.
pub async fn award(tx: &mut AnyConnection, a: Award) -> DbResult<()> {
    let zone = time_zone(tx).await?;
    award_in(tx, a, zone).await
}

/// [`award`] with the committee's time zone already read (a post's publishing needs it twice).
pub(crate) async fn award_in(
    tx: &mut AnyConnection,
    a: Award,
    zone: chrono_tz::Tz,
) -> DbResult<()> {
    lock_member(tx, a.account).await?;
    let day = local_date(zone, a.at);
    let year = i64::from(day.year());
    // The rule, what this reference holds and the year's total so far, in one round trip:
    // awards run inside the one SQLite writer's batches, where each statement is a hop to
    // the connection's thread.
    let (per_unit, cap, held, so_far): (Option<i64>, Option<i64>, Option<i64>, Option<i64>) =
        sqlx::query_as(
            "SELECT r.points, r.yearly_cap, \
                 (SELECT CAST(SUM(points) AS BIGINT) FROM point_ledger \
                  WHERE account_id = $3 AND source = $1 AND ref_kind = $4 AND ref_id = $5), \
                 (SELECT CAST(SUM(points) AS BIGINT) FROM point_ledger \
                  WHERE account_id = $3 AND source = $1 AND year = $6) \
             FROM (SELECT 1 AS one) AS o LEFT JOIN ( \
                 SELECT points, yearly_cap FROM point_rules \
                 WHERE source = $1 AND effective_from <= $2 \
                 ORDER BY effective_from DESC, id DESC LIMIT 1) AS r ON TRUE",
        )
        .bind(a.source.as_str())
        .bind(format_date(day))
        .bind(a.account.0)
        .bind(a.ref_kind)
        .bind(a.ref_id)
        .bind(year)
        .fetch_one(&mut *tx)
        .await?;
    let Some(per_unit) = per_unit else {
        return Ok(());
    };
    if held.unwrap_or(0) != 0 {
        return Ok(());
    }
    let mut points = per_unit.saturating_mul(a.units);
    if let (Some(cap), true) = (cap, points > 0) {
        points = points.min(cap - so_far.unwrap_or(0)).max(0);
    }
    if points == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO point_ledger (account_id, year, source, ref_kind, ref_id, points, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.account.0)
    .bind(year)
    .bind(a.source.as_str())
    .bind(a.ref_kind)
    .bind(a.ref_id)
    .bind(points)
    .bind(a.at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Undoes what a source reference gave the member with a compensating row (same year as the
/// award); the ledger is never edited in place.
pub async fn reverse(tx: &mut AnyConnection, a: Award) -> DbResult<()> {
    lock_member(tx, a.account).await?;
    let (held, last) = net(tx, &a).await?;
    if held == 0 {
        return Ok(());
    }
    let year: i64 = sqlx::query_scalar("SELECT year FROM point_ledger WHERE id = $1")
        .bind(last)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO point_ledger (account_id, year, source, ref_kind, ref_id, points, reverses, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.account.0)
    .bind(year)
    .bind(a.source.as_str())
    .bind(a.ref_kind)
    .bind(a.ref_id)
    .bind(-held)
    .bind(last)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: i64,
    kind: String,
    title: String,
    held_on: String,
    half_days: i64,
    recorded: i64,
}

impl ActivityRow {
    fn kind(&self) -> DbResult<ActivityKind> {
        ActivityKind::parse(&self.kind).ok_or_else(|| bad("activity kind"))
    }
}

/// Noon of an activity's day in the committee's zone, as the moment its points date from.
fn activity_moment(zone: chrono_tz::Tz, held_on: &str) -> i64 {
    use chrono::TimeZone;
    crate::domain::calendar::parse_date(held_on)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .and_then(|t| zone.from_local_datetime(&t).single())
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(now_ms)
}

impl Db {
    pub async fn point_rules(&self) -> DbResult<Vec<PointRule>> {
        let rows: Vec<(i64, String, i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT id, source, points, yearly_cap, effective_from FROM point_rules \
             ORDER BY source, effective_from, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, source, points, yearly_cap, effective_from)| {
                let source = DutySource::parse(&source).ok_or_else(|| bad("source"))?;
                Ok(PointRule {
                    id,
                    source,
                    category: source.category(),
                    points,
                    unit: source.unit(),
                    yearly_cap,
                    effective_from,
                })
            })
            .collect()
    }

    pub async fn add_point_rule(&self, rule: &PointRuleInput, by: AccountId) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO point_rules (source, points, yearly_cap, effective_from, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(rule.source.as_str())
        .bind(rule.points)
        .bind(rule.yearly_cap)
        .bind(&rule.effective_from)
        .bind(by.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        super::audit::record(
            &mut tx,
            "point_rule.add",
            "point_rule",
            None,
            "",
            &format!(
                "{} {} from {}",
                rule.source.as_str(),
                rule.points,
                rule.effective_from
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an activity expecting `invitees` (checked by the caller).
    pub async fn create_activity(
        &self,
        input: &ActivityInput,
        invitees: &[AccountId],
        by: AccountId,
    ) -> DbResult<i64> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO duty_activities (kind, title, held_on, half_days, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(input.kind.as_str())
        .bind(&input.title)
        .bind(&input.held_on)
        .bind(input.half_days)
        .bind(by.0)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        for a in invitees {
            sqlx::query("INSERT INTO duty_invitees (activity_id, account_id) VALUES ($1, $2)")
                .bind(id)
                .bind(a.0)
                .execute(&mut *tx)
                .await?;
        }
        super::audit::record(
            &mut tx,
            "duty_activity.create",
            "duty_activity",
            Some(id),
            "",
            &input.title,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Active members' ids (an activity expecting "everyone").
    pub async fn active_member_ids(&self) -> DbResult<Vec<AccountId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM accounts WHERE role = 'member' AND active = 1 ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(AccountId).collect())
    }

    pub async fn activity(&self, id: i64) -> DbResult<Option<DutyActivity>> {
        let row: Option<ActivityRow> = sqlx::query_as(
            "SELECT id, kind, title, held_on, half_days, recorded FROM duty_activities WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        type InviteeRow = (i64, String, Option<String>, Option<String>, Option<i64>);
        let people: Vec<InviteeRow> = sqlx::query_as(
            "SELECT a.id, a.display_name, i.leave, i.leave_reason, i.attended \
             FROM duty_invitees i JOIN accounts a ON a.id = i.account_id \
             WHERE i.activity_id = $1 ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let invitees = people
            .into_iter()
            .map(|(aid, name, leave, reason, attended)| Invitee {
                id: AccountId(aid),
                name,
                leave: leave.as_deref().and_then(LeaveState::parse),
                leave_reason: reason,
                attended: attended.map(|a| a != 0),
            })
            .collect();
        Ok(Some(DutyActivity {
            id: row.id,
            kind: row.kind()?,
            title: row.title,
            held_on: row.held_on,
            half_days: row.half_days,
            recorded: row.recorded != 0,
            invitees,
        }))
    }

    /// Activities, newest first, of a year (by date).
    pub async fn activities(&self, year: i32) -> DbResult<Vec<DutyActivity>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM duty_activities WHERE held_on >= $1 AND held_on < $2 \
             ORDER BY held_on DESC, id DESC",
        )
        .bind(format!("{year:04}-01-01"))
        .bind(format!("{:04}-01-01", year + 1))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(a) = self.activity(id).await? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Activities the member is expected at, newest first.
    pub async fn expected_activities(&self, account: AccountId) -> DbResult<Vec<ExpectedActivity>> {
        type Row = (
            i64,
            String,
            String,
            String,
            i64,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT d.id, d.kind, d.title, d.held_on, d.recorded, i.leave, i.attended \
             FROM duty_invitees i JOIN duty_activities d ON d.id = i.activity_id \
             WHERE i.account_id = $1 ORDER BY d.held_on DESC, d.id DESC LIMIT 100",
        )
        .bind(account.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, kind, title, held_on, recorded, leave, attended)| {
                Ok(ExpectedActivity {
                    id,
                    kind: ActivityKind::parse(&kind).ok_or_else(|| bad("activity kind"))?,
                    title,
                    held_on,
                    recorded: recorded != 0,
                    leave: leave.as_deref().and_then(LeaveState::parse),
                    attended: attended.map(|a| a != 0),
                })
            })
            .collect()
    }

    /// The member's place at an activity: (recorded, leave), or `None` if not expected there.
    pub async fn invitee(
        &self,
        activity: i64,
        account: AccountId,
    ) -> DbResult<Option<(bool, Option<LeaveState>)>> {
        let row: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT d.recorded, i.leave FROM duty_invitees i \
             JOIN duty_activities d ON d.id = i.activity_id \
             WHERE i.activity_id = $1 AND i.account_id = $2",
        )
        .bind(activity)
        .bind(account.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|(recorded, leave)| (recorded != 0, leave.as_deref().and_then(LeaveState::parse))))
    }

    /// A member asks for leave (before attendance is recorded); false if not expected there.
    pub async fn request_leave(
        &self,
        activity: i64,
        account: AccountId,
        reason: &str,
    ) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE duty_invitees SET leave = 'requested', leave_reason = $1 \
             WHERE activity_id = $2 AND account_id = $3",
        )
        .bind(reason)
        .bind(activity)
        .bind(account.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Staff decide a leave request; once attendance is recorded the member's points follow.
    pub async fn decide_leave(
        &self,
        activity: i64,
        account: AccountId,
        approve: bool,
    ) -> DbResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE duty_invitees SET leave = $1 WHERE activity_id = $2 AND account_id = $3 \
             AND leave IS NOT NULL",
        )
        .bind(if approve { "approved" } else { "refused" })
        .bind(activity)
        .bind(account.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        score_invitees(&mut tx, activity, Some(account)).await?;
        super::audit::record(
            &mut tx,
            "duty_leave.decide",
            "duty_activity",
            Some(activity),
            &account.0.to_string(),
            if approve { "approved" } else { "declined" },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records who attended (everyone else expected is on approved leave or absent) and
    /// scores every expected member; a correction reverses what no longer holds.
    pub async fn record_activity_attendance(
        &self,
        activity: i64,
        attended: &[AccountId],
    ) -> DbResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE duty_invitees SET attended = 0 WHERE activity_id = $1")
            .bind(activity)
            .execute(&mut *tx)
            .await?;
        for a in attended {
            sqlx::query(
                "UPDATE duty_invitees SET attended = 1 WHERE activity_id = $1 AND account_id = $2",
            )
            .bind(activity)
            .bind(a.0)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE duty_activities SET recorded = 1 WHERE id = $1")
            .bind(activity)
            .execute(&mut *tx)
            .await?;
        score_invitees(&mut tx, activity, None).await?;
        super::audit::record(
            &mut tx,
            "duty_attendance.record",
            "duty_activity",
            Some(activity),
            "",
            &attended.len().to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The member's ledger rows of a year, oldest first, with what they point to.
    pub async fn ledger(&self, account: AccountId, year: i32) -> DbResult<Vec<LedgerRow>> {
        type Row = (
            i64,
            i64,
            String,
            i64,
            Option<i64>,
            String,
            i64,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<i64>,
        );
        // The title of what each row points to, whatever its kind.
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT l.id, l.at, l.source, l.points, l.reverses, l.ref_kind, l.ref_id, \
                 COALESCE(d.title, c.title, m.title, s.title, g.name, pc.title, pg.name, pm.title, sc.title), \
                 p.container_kind, p.container_id, sp.consultation_id \
             FROM point_ledger l \
             LEFT JOIN duty_activities d ON l.ref_kind = 'activity' AND d.id = l.ref_id \
             LEFT JOIN consultations c ON l.ref_kind = 'consultation' AND c.id = l.ref_id \
             LEFT JOIN micro_consultations m ON l.ref_kind = 'micro' AND m.id = l.ref_id \
             LEFT JOIN suggestions s ON l.ref_kind = 'suggestion' AND s.id = l.ref_id \
             LEFT JOIN reading_groups g ON l.ref_kind = 'reading_group' AND g.id = l.ref_id \
             LEFT JOIN posts p ON l.ref_kind = 'post' AND p.id = l.ref_id \
             LEFT JOIN consultations pc ON p.container_kind = 'consultation' AND pc.id = p.container_id \
             LEFT JOIN reading_groups pg ON p.container_kind = 'reading_group' AND pg.id = p.container_id \
             LEFT JOIN micro_consultations pm ON p.container_kind = 'micro_consultation' AND pm.id = p.container_id \
             LEFT JOIN speeches sp ON l.ref_kind = 'speech' AND sp.id = l.ref_id \
             LEFT JOIN consultations sc ON sc.id = sp.consultation_id \
             WHERE l.account_id = $1 AND l.year = $2 ORDER BY l.id",
        )
        .bind(account.0)
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (
            id,
            at,
            source,
            points,
            reverses,
            ref_kind,
            ref_id,
            title,
            container,
            container_id,
            spoken_in,
        ) in rows
        {
            let source = DutySource::parse(&source).ok_or_else(|| bad("source"))?;
            let link = match (ref_kind.as_str(), container.as_deref(), container_id) {
                ("consultation", _, _) => Some(format!("/consultations/{ref_id}")),
                ("micro", _, _) => Some(format!("/micro-consultations/{ref_id}")),
                ("suggestion", _, _) => Some(format!("/suggestions/{ref_id}")),
                ("reading_group", _, _) => Some(format!("/reading-groups/{ref_id}")),
                ("post", Some("reading_group"), Some(g)) => {
                    Some(format!("/reading-groups/{g}/posts/{ref_id}"))
                }
                ("post", Some("consultation"), Some(c)) => Some(format!("/consultations/{c}")),
                ("post", Some("micro_consultation"), Some(m)) => {
                    Some(format!("/micro-consultations/{m}"))
                }
                ("speech", _, _) => spoken_in.map(|c| format!("/consultations/{c}")),
                _ => None,
            };
            out.push(LedgerRow {
                id,
                at,
                source,
                category: source.category(),
                points,
                reversal: reverses.is_some(),
                title: title.unwrap_or_default(),
                link,
            });
        }
        Ok(out)
    }

    /// One account's total for a year with sector and committee names, whatever its state.
    pub async fn duty_summary(
        &self,
        account: AccountId,
        year: i32,
    ) -> DbResult<Option<DutySummary>> {
        type Row = (i64, String, Option<String>, Option<String>, Option<i64>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT a.id, a.display_name, s.name, c.name, \
                 (SELECT CAST(SUM(points) AS BIGINT) FROM point_ledger l \
                  WHERE l.account_id = a.id AND l.year = $2) \
             FROM accounts a LEFT JOIN sectors s ON s.id = a.sector_id \
             LEFT JOIN committees c ON c.id = a.committee_id WHERE a.id = $1",
        )
        .bind(account.0)
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, name, sector, committee, total)| {
            summary(id, name, sector, committee, total)
        }))
    }

    /// Every active member's total for a year with sector and committee names, in id order.
    pub async fn duty_totals(
        &self,
        year: i32,
    ) -> DbResult<Vec<(DutySummary, Option<i64>, Option<i64>)>> {
        type Row = (
            i64,
            String,
            Option<i64>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT a.id, a.display_name, a.sector_id, s.name, a.committee_id, c.name, \
                 (SELECT CAST(SUM(points) AS BIGINT) FROM point_ledger l WHERE l.account_id = a.id AND l.year = $1) \
             FROM accounts a LEFT JOIN sectors s ON s.id = a.sector_id \
             LEFT JOIN committees c ON c.id = a.committee_id \
             WHERE a.role = 'member' AND a.active = 1 ORDER BY a.id",
        )
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, sector_id, sector, committee_id, committee, total)| {
                    (
                        summary(id, name, sector, committee, total),
                        sector_id,
                        committee_id,
                    )
                },
            )
            .collect())
    }
}

fn summary(
    id: i64,
    name: String,
    sector: Option<String>,
    committee: Option<String>,
    total: Option<i64>,
) -> DutySummary {
    let total = total.unwrap_or(0);
    DutySummary {
        member: PersonRef {
            id: AccountId(id),
            name,
        },
        sector,
        committee,
        total,
        grade: DutyGrade::of(total),
    }
}

/// Scores the expected members of an activity (one, or all) by their attendance and leave,
/// reversing whatever no longer holds. Only once attendance is recorded.
async fn score_invitees(
    tx: &mut Transaction<'_, Any>,
    activity: i64,
    only: Option<AccountId>,
) -> DbResult<()> {
    let row: ActivityRow = sqlx::query_as(
        "SELECT id, kind, title, held_on, half_days, recorded FROM duty_activities WHERE id = $1",
    )
    .bind(activity)
    .fetch_one(&mut **tx)
    .await?;
    if row.recorded == 0 {
        return Ok(());
    }
    let kind = row.kind()?;
    let zone = time_zone(&mut *tx).await?;
    let at = activity_moment(zone, &row.held_on);
    let people: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT account_id, leave, attended FROM duty_invitees WHERE activity_id = $1",
    )
    .bind(activity)
    .fetch_all(&mut **tx)
    .await?;
    let sources = [
        kind.source(),
        DutySource::LeaveApproved,
        DutySource::Absence,
    ];
    for (account, leave, attended) in people {
        let account = AccountId(account);
        if only.is_some_and(|o| o != account) {
            continue;
        }
        let due = if attended == Some(1) {
            kind.source()
        } else if leave.as_deref() == Some("approved") {
            DutySource::LeaveApproved
        } else {
            DutySource::Absence
        };
        let award_of = |source: DutySource| Award {
            account,
            source,
            ref_kind: "activity",
            ref_id: activity,
            units: if source == DutySource::Plenary {
                row.half_days
            } else {
                1
            },
            at,
        };
        for source in sources.iter().copied().filter(|s| *s != due) {
            reverse(&mut *tx, award_of(source)).await?;
        }
        award(&mut *tx, award_of(due)).await?;
    }
    Ok(())
}

/// Points for `source` now, for the member, pointing back to `ref_kind`/`ref_id`.
pub fn now_award(account: i64, source: DutySource, ref_kind: &'static str, ref_id: i64) -> Award {
    Award {
        account: AccountId(account),
        source,
        ref_kind,
        ref_id,
        units: 1,
        at: now_ms(),
    }
}
