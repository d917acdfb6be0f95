//! Per-browser preferences: language and text size (适老化), kept in localStorage and applied
//! to the root element so that every page scales with them.

use crate::i18n::Locale;
use leptos::prelude::*;

const LOCALE_KEY: &str = "yishi.locale";
const TEXT_SIZE_KEY: &str = "yishi.text-size";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    Standard,
    Large,
    ExtraLarge,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Standard, TextSize::Large, TextSize::ExtraLarge];

    fn class(self) -> &'static str {
        match self {
            TextSize::Standard => "text-standard",
            TextSize::Large => "text-large",
            TextSize::ExtraLarge => "text-xlarge",
        }
    }

    fn parse(s: &str) -> TextSize {
        TextSize::ALL
            .into_iter()
            .find(|t| t.class() == s)
            .unwrap_or(TextSize::Standard)
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn stored(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        // Private browsing may refuse storage; the preference then lasts for this visit.
        let _ = s.set_item(key, value);
    }
}

/// The language remembered for this browser, else Chinese.
pub fn initial_locale() -> Locale {
    stored(LOCALE_KEY)
        .map(|t| Locale::from_tag(&t))
        .unwrap_or(Locale::Zh)
}

pub fn initial_text_size() -> TextSize {
    stored(TEXT_SIZE_KEY)
        .map(|t| TextSize::parse(&t))
        .unwrap_or(TextSize::Standard)
}

pub fn apply_locale(locale: Locale) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.tag());
    }
    store(LOCALE_KEY, locale.tag());
}

pub fn apply_text_size(size: TextSize) {
    if let Some(root) = document().document_element() {
        let classes = root.class_list();
        for t in TextSize::ALL {
            let _ = classes.remove_1(t.class());
        }
        let _ = classes.add_1(size.class());
    }
    store(TEXT_SIZE_KEY, size.class());
}

/// Local drafts of long texts being written, so that an expired session or a lost connection
/// never loses them.
pub fn draft(key: &str) -> Option<String> {
    stored(&format!("yishi.draft.{key}"))
}

pub fn save_draft(key: &str, text: &str) {
    store(&format!("yishi.draft.{key}"), text);
}

pub fn clear_draft(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("yishi.draft.{key}"));
    }
}
