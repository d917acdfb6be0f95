//! The committee calendar (decisions.md): working days are Monday–Friday, minus holidays, plus
//! make-up working days (调休), both maintained by admins. Dates are the committee's local dates.

use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
use std::collections::HashMap;
use yishi_api::DayKind;

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: HashMap<NaiveDate, DayKind>,
}

/// Parses `YYYY-MM-DD`.
/// Parses `YYYY-MM-DD` exactly: dates are compared as text in SQL, so only the canonical
/// form is accepted (chrono alone would take " 1" or "+2027").
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| format_date(*d) == s)
}

pub fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The committee-local date of a Unix-ms instant.
pub fn local_date(zone: chrono_tz::Tz, ms: i64) -> NaiveDate {
    zone.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// [1 January, next 1 January) of `year` in `zone`, as Unix ms.
pub fn year_bounds(zone: chrono_tz::Tz, year: i32) -> Option<(i64, i64)> {
    let start = |y: i32| {
        zone.with_ymd_and_hms(y, 1, 1, 0, 0, 0)
            .earliest()
            .map(|t| t.timestamp_millis())
    };
    Some((start(year)?, start(year + 1)?))
}

impl Calendar {
    pub fn new(exceptions: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar {
            exceptions: exceptions.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.exceptions.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`th working day after `from` (`from` itself does not count).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        // A year of holidays in a row cannot happen; the bound only guards bad data.
        for _ in 0..3_660 {
            if left == 0 {
                break;
            }
            d = d.succ_opt().unwrap_or(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = match d.succ_opt() {
                Some(next) => next,
                None => break,
            };
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    #[test]
    fn weekends_holidays_and_make_up_days() {
        let cal = Calendar::new([
            (date("2026-10-01"), DayKind::Holiday),
            (date("2026-10-02"), DayKind::Holiday),
            (date("2026-10-10"), DayKind::Workday), // a Saturday made a working day
        ]);
        assert!(!cal.is_working_day(date("2026-10-03")), "Saturday");
        assert!(
            !cal.is_working_day(date("2026-10-01")),
            "holiday on a Thursday"
        );
        assert!(cal.is_working_day(date("2026-10-10")), "make-up Saturday");
        assert!(cal.is_working_day(date("2026-10-05")), "plain Monday");
        // Assigned on Wednesday 30 September: Thu and Fri are holidays, then the weekend.
        assert_eq!(
            cal.add_working_days(date("2026-09-30"), 3),
            date("2026-10-07")
        );
        // Across a make-up Saturday.
        assert_eq!(
            cal.add_working_days(date("2026-10-08"), 2),
            date("2026-10-10")
        );
        assert_eq!(
            cal.working_days_between(date("2026-09-30"), date("2026-10-07")),
            3
        );
        assert_eq!(
            cal.working_days_between(date("2026-10-07"), date("2026-09-30")),
            0
        );
    }

    #[test]
    fn dates_parse_strictly_and_local_dates_follow_the_zone() {
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-1-5").is_none());
        assert!(parse_date("2027- 1-05").is_none());
        assert!(parse_date("+2027-1-05").is_none());
        assert!(parse_date("明天").is_none());
        // 2026-11-25 16:30 UTC is 00:30 on the 26th in Shanghai.
        let ms = 1_795_624_200_000;
        assert_eq!(
            local_date(chrono_tz::Asia::Shanghai, ms),
            date("2026-11-26")
        );
        assert_eq!(local_date(chrono_tz::UTC, ms), date("2026-11-25"));
    }
}
