//! `limit` + opaque `cursor` query parameters, the one pagination style of the API.

use crate::error::{AppError, AppResult};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;
use yishi_api::{DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> AppResult<u32> {
        match self.limit {
            None => Ok(DEFAULT_PAGE_LIMIT),
            Some(n) if (1..=MAX_PAGE_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(AppError::field("limit", yishi_api::field_codes::INVALID)),
        }
    }

    /// For newest-first lists: the id before which the page starts (`None` for the first).
    pub fn before(&self) -> AppResult<Option<i64>> {
        self.cursor
            .as_deref()
            .map(|c| {
                Cursor::parse(c)
                    .ok_or_else(|| AppError::field("cursor", yishi_api::field_codes::INVALID))
            })
            .transpose()
    }

    /// The id after which the page starts (0 for the first page).
    pub fn after(&self) -> AppResult<i64> {
        match &self.cursor {
            None => Ok(0),
            Some(c) => Cursor::parse(c)
                .ok_or_else(|| AppError::field("cursor", yishi_api::field_codes::INVALID)),
        }
    }
}

/// The cursor of the page after `items`, when the page was full (there may be more).
pub fn next_cursor<T>(items: &[T], limit: u32, id: impl Fn(&T) -> i64) -> Option<String> {
    (items.len() == limit as usize)
        .then(|| items.last().map(|i| Cursor::after(id(i))))
        .flatten()
}

/// Cursors are opaque to clients so that their content can change without breaking them.
pub struct Cursor;

impl Cursor {
    pub fn after(id: i64) -> String {
        URL_SAFE_NO_PAD.encode(format!("a:{id}"))
    }

    pub fn parse(cursor: &str) -> Option<i64> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        text.strip_prefix("a:")?
            .parse()
            .ok()
            .filter(|id: &i64| *id >= 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_garbage() {
        assert_eq!(Cursor::parse(&Cursor::after(42)), Some(42));
        assert_eq!(Cursor::parse("not-a-cursor"), None);
        assert_eq!(Cursor::parse(&URL_SAFE_NO_PAD.encode("a:-5")), None);
    }
}
