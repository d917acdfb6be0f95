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
    /// A reply to another post, one level deep.
    Reply,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Comment => "comment",
            PostKind::Question => "question",
            PostKind::Answer => "answer",
            PostKind::Reply => "reply",
        }
    }

    pub fn parse(s: &str) -> Option<PostKind> {
        [
            PostKind::Comment,
            PostKind::Question,
            PostKind::Answer,
            PostKind::Reply,
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
