//! Search across areas: one box, one results page.

use crate::text_enum;
use serde::{Deserialize, Serialize};

text_enum! {
    /// What a result is.
    SearchKind {
        /// A remote consultation (远程协商).
        Consultation => "consultation",
        /// A comment, question, answer or reply in a consultation.
        ConsultationPost => "consultation_post",
        /// A micro-consultation (微协商).
        Micro => "micro",
        /// An opinion in a micro-consultation.
        MicroPost => "micro_post",
        /// A reading group (读书群).
        ReadingGroup => "reading_group",
        /// A guide, reflection, note or reply in a reading group.
        ReadingPost => "reading_post",
        /// A micro-suggestion (微建议).
        Suggestion => "suggestion",
    }
}

/// One part of a snippet: plain text, or a matched word (shown highlighted, as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The thing's own title; for posts, the title of where they were written.
    pub title: String,
    /// The title with matched words marked.
    pub title_parts: Vec<SnippetPart>,
    pub snippet: Vec<SnippetPart>,
    /// Path in the app.
    pub link: String,
    /// Unix ms.
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    /// 1-based.
    pub page: u32,
    pub has_more: bool,
    /// The words the query was cut into (what was looked for).
    pub terms: Vec<String>,
}

/// Results per page.
pub const SEARCH_PAGE_SIZE: u32 = 20;
/// Longest query accepted, in characters.
pub const MAX_SEARCH_QUERY_CHARS: usize = 100;
