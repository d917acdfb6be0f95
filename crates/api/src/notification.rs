//! Notifications: the in-app centre, per-type channel settings.

use crate::text_enum;
use serde::{Deserialize, Serialize};

text_enum! {
    /// What a notification is about.
    NotificationKind {
        /// Invited to a consultation.
        Invited => "invited",
        /// A consultation you take part in starts within 30 minutes.
        StartingSoon => "starting_soon",
        /// Your request to speak was accepted.
        SpeechAccepted => "speech_accepted",
        /// Your request to speak was declined.
        SpeechDeclined => "speech_declined",
        /// You are the next speaker.
        NextSpeaker => "next_speaker",
        /// Your question was answered.
        QuestionAnswered => "question_answered",
        /// Someone replied to your post.
        Reply => "reply",
        /// Your post was featured.
        Featured => "featured",
        /// An item was assigned to your department.
        Assigned => "assigned",
        /// A department replied to, or returned, your suggestion.
        SuggestionReply => "suggestion_reply",
        /// An issue you raised changed state.
        IssueState => "issue_state",
        /// An item of your department is overdue.
        Overdue => "overdue",
        /// A moderator hid your post (the detail says why).
        PostHidden => "post_hidden",
        /// Your pending post was approved.
        PostApproved => "post_approved",
    }
}

text_enum! {
    /// Where notifications go.
    Channel {
        InApp => "in_app",
        Email => "email",
        Webhook => "webhook",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    /// The object's title (a consultation, a post's container, an item).
    pub title: String,
    /// More about it (a reason, a new state), possibly empty.
    pub detail: String,
    /// Path in the app.
    pub link: String,
    pub read: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    pub unread: i64,
}

/// One switch of the settings grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelSetting {
    pub kind: NotificationKind,
    pub channel: Channel,
    pub enabled: bool,
}

/// Every kind × channel, with the account's choices (defaults where none was made), and
/// whether the outside channels can reach the account at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSettings {
    pub settings: Vec<ChannelSetting>,
    /// The account's email address, if it has one.
    #[serde(default)]
    pub email: Option<String>,
    /// Email is configured on the server.
    pub email_available: bool,
    /// The webhook is configured on the server.
    pub webhook_available: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateNotificationSettings {
    pub settings: Vec<ChannelSetting>,
    /// A new email address (empty clears it); absent leaves it as it is.
    #[serde(default)]
    pub email: Option<String>,
    /// Needed to change the email address (it is where password-reset links go).
    #[serde(default)]
    pub current_password: Option<String>,
}

/// Whether a channel is on when the account never chose: in-app always; email and webhook for
/// the kinds that need action or are time-critical.
pub fn default_enabled(kind: NotificationKind, channel: Channel) -> bool {
    use NotificationKind::*;
    match channel {
        Channel::InApp => true,
        Channel::Email | Channel::Webhook => matches!(
            kind,
            Invited | StartingSoon | NextSpeaker | Assigned | Overdue | PostHidden
        ),
    }
}
