//! Reading groups (委员读书 / 书香政协): periods, books, groups, threads and check-ins.

use crate::consultation::Visibility;
use crate::ids::AccountId;
use crate::micro::PersonRef;
use crate::post::Post;
use crate::text_enum;
use serde::{Deserialize, Serialize};

text_enum! {
    /// upcoming -> open -> closed; a closed group is read-only.
    ReadingGroupState {
        Upcoming => "upcoming",
        Open => "open",
        Closed => "closed",
    }
}

text_enum! {
    /// A person's place in a group: the owner (群主), a reading leader (领读人) or a member.
    GroupRole {
        Owner => "owner",
        Leader => "leader",
        Member => "member",
    }
}

/// A reading period (期), e.g. a year's reading month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingPeriod {
    pub id: i64,
    pub name: String,
    /// `YYYY-MM-DD` in the committee's time zone.
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingPeriodInput {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chapter {
    pub id: i64,
    /// 1-based order in the book.
    pub position: i64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Book {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub publisher: String,
    #[serde(default)]
    pub year: Option<i64>,
    /// `/api/v1/books/{id}/cover?v=…` when a cover was uploaded (the version changes with it).
    #[serde(default)]
    pub cover_url: Option<String>,
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookInput {
    pub title: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub publisher: String,
    #[serde(default)]
    pub year: Option<i64>,
    /// Chapter titles in order.
    pub chapters: Vec<String>,
}

/// One row of a reading plan: the week of the group in which a chapter is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanEntry {
    pub chapter_id: i64,
    /// 1-based.
    pub week: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingGroupInput {
    pub name: String,
    #[serde(default)]
    pub theme: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    pub period_id: i64,
    pub visibility: Visibility,
    pub owner_id: AccountId,
    #[serde(default)]
    pub leader_ids: Vec<AccountId>,
    pub book_ids: Vec<i64>,
    /// Every chapter of the group's books that is read, with its week.
    pub plan: Vec<PlanEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingGroupSummary {
    pub id: i64,
    pub name: String,
    pub theme: String,
    pub period_name: String,
    pub visibility: Visibility,
    pub state: ReadingGroupState,
    pub owner_name: String,
    pub member_count: i64,
    pub post_count: i64,
    pub book_titles: Vec<String>,
    /// The reader's place in the group, if any.
    #[serde(default)]
    pub my_role: Option<GroupRole>,
    /// Posts after the reader's read position, at most 100 (shown as "99+"); members only.
    #[serde(default)]
    pub unread_count: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingActions {
    pub post: bool,
    /// Write guides (owner and reading leaders).
    pub guide: bool,
    pub feature: bool,
    /// Add and remove members (owner and staff).
    pub manage_members: bool,
    /// Edit the group and change its state (staff).
    pub edit: bool,
    pub join: bool,
    pub leave: bool,
    pub check_in: bool,
    /// Like posts and remove one's own (signed in, group not closed).
    pub interact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadingGroupDetail {
    pub summary: ReadingGroupSummary,
    pub description: String,
    /// Sanitised HTML rendered from the description.
    pub description_html: String,
    pub period: ReadingPeriod,
    pub owner: PersonRef,
    pub leaders: Vec<PersonRef>,
    pub books: Vec<Book>,
    pub plan: Vec<PlanEntry>,
    /// Chapters the reader checked in.
    #[serde(default)]
    pub my_checkins: Vec<i64>,
    /// The last post id the reader has seen (members only; 0 before the first visit).
    #[serde(default)]
    pub read_position: Option<i64>,
    /// Check-ins of all members over (members x planned chapters), in percent.
    pub completion_percent: i64,
    pub actions: ReadingActions,
}

/// A group member's progress through the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberProgress {
    pub id: AccountId,
    pub name: String,
    pub role: GroupRole,
    pub chapters_done: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupMembers {
    pub planned_chapters: i64,
    pub members: Vec<MemberProgress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteInput {
    pub text: String,
    #[serde(default)]
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReadingPost {
    /// guide, reflection, note or reply.
    pub kind: crate::post::PostKind,
    /// Markdown.
    pub body: String,
    /// The post replied to (replies only).
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// A chapter of the group's books (required for guides and quotes).
    #[serde(default)]
    pub chapter_id: Option<i64>,
    /// Notes only.
    #[serde(default)]
    pub quote: Option<QuoteInput>,
}

/// The author's edit, within 24 hours of posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditReadingPost {
    pub body: String,
    #[serde(default)]
    pub chapter_id: Option<i64>,
    #[serde(default)]
    pub quote: Option<QuoteInput>,
}

/// A post in thread order with its depth (0 for a top-level post, replies 1 to 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadEntry {
    pub post: Post,
    pub depth: i64,
    /// Whether the reader liked it.
    #[serde(default)]
    pub liked: bool,
    /// More replies hang below than the thread page shows (see the post's own page).
    #[serde(default)]
    pub more_replies: bool,
    /// The Markdown source, for its author while the post may still be edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A page of top-level posts with all their replies, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadPage {
    pub entries: Vec<ThreadEntry>,
    /// Pass as `before` for the page before this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier: Option<String>,
    /// Pass as `after` for the page after this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub later: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadPosition {
    pub post_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    pub chapter_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddGroupMember {
    pub account_id: AccountId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeGroupState {
    pub state: ReadingGroupState,
}

/// Hours after posting during which the author may edit a reading post.
pub const READING_EDIT_WINDOW_HOURS: i64 = 24;
/// Deepest reply level in a reading thread.
pub const MAX_REPLY_DEPTH: i64 = 3;
/// Unread counts stop at this number (shown as "99+").
pub const UNREAD_CAP: i64 = 100;
pub const MAX_GROUP_NAME_CHARS: usize = 60;
pub const MAX_QUOTE_CHARS: usize = 1_000;
pub const MAX_BOOK_CHAPTERS: usize = 200;
/// Largest book cover accepted.
pub const MAX_COVER_BYTES: usize = 2 * 1024 * 1024;
