//! Times for people: relative when recent ("3 分钟前"), a date when older.

use crate::i18n::{I18n, K};

/// `YYYY-MM-DD HH:MM` in the browser's time zone.
pub fn date_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The day only, `YYYY-MM-DD` (local time).
pub fn date(ms: i64) -> String {
    date_time(ms).chars().take(10).collect()
}

/// ISO 8601 for `<time datetime>`.
pub fn iso(ms: i64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64))
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

pub fn relative(i: I18n, ms: i64) -> String {
    let age_minutes = ((js_sys::Date::now() as i64) - ms) / 60_000;
    match age_minutes {
        m if m < 1 => i.t(K::JustNow).to_owned(),
        m if m < 60 => i.fill(K::MinutesAgo, &[("n", m.to_string())]),
        m if m < 24 * 60 => i.fill(K::HoursAgo, &[("n", (m / 60).to_string())]),
        _ => date_time(ms).chars().take(10).collect(),
    }
}
