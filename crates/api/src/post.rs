//! The one post model shared by every area (decisions.md).

use crate::ids::AccountId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// A consultation comment.
    Comment,
    /// A question to the departments.
    Question,
    /// A department's answer to a question (its `parent_id`).
    Answer,
    /// A reply to another post (one level deep in consultations, three in reading groups).
    Reply,
    /// A reading guide (导读) by a group's owner or a reading leader, on one chapter.
    Guide,
    /// A reading reflection (心得).
    Reflection,
    /// A reading note (笔记), which may quote a passage.
    Note,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Comment => "comment",
            PostKind::Question => "question",
            PostKind::Answer => "answer",
            PostKind::Reply => "reply",
            PostKind::Guide => "guide",
            PostKind::Reflection => "reflection",
            PostKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<PostKind> {
        [
            PostKind::Comment,
            PostKind::Question,
            PostKind::Answer,
            PostKind::Reply,
            PostKind::Guide,
            PostKind::Reflection,
            PostKind::Note,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: i64,
    pub author_id: AccountId,
    pub author_name: String,
    pub kind: PostKind,
    /// Sanitised HTML rendered by the server: the only HTML the app inserts.
    pub body_html: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub like_count: i64,
    pub featured: bool,
    pub created_at: i64,
    #[serde(default)]
    pub edited_at: Option<i64>,
    /// The chapter a reading post is about (guides always have one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapter_id: Option<i64>,
    /// The passage a reading note quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
    /// Removed by its author: kept (empty) only where replies hang below it.
    #[serde(default)]
    pub deleted: bool,
    /// Waiting for a moderator (only its author and staff see it).
    #[serde(default)]
    pub pending: bool,
    /// Hidden by a moderator: shown to everyone as "hidden by a moderator", without its text
    /// (its author was told why).
    #[serde(default)]
    pub hidden: bool,
}

/// A quoted passage: its text, and where in the book it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub text: String,
    /// The chapter's title as shown when the post was written.
    #[serde(default)]
    pub chapter: String,
    #[serde(default)]
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPost {
    pub kind: PostKind,
    /// Markdown.
    pub body: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// A post's likes after liking or unliking it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LikeCount {
    pub like_count: i64,
}

/// Longest post body accepted, in characters.
pub const MAX_POST_CHARS: usize = 10_000;
