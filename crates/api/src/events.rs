//! Live events: every change a page may show live is appended to the server's event log and
//! delivered over one server-sent-events stream per tab (`/api/v1/events?topics=…`).

use crate::ids::AccountId;
use serde::{Deserialize, Serialize};

/// What a stream can subscribe to. Wire form: `user:12`, `consultation:5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// One account's notifications (only that account may subscribe).
    User(AccountId),
    /// One consultation's live room (anyone who may read it).
    Consultation(i64),
    /// One micro-consultation's page (anyone who may read it).
    Micro(i64),
    /// One reading group's thread (anyone who may read it).
    Reading(i64),
}

impl Topic {
    pub fn parse(s: &str) -> Option<Topic> {
        let (kind, id) = s.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
        match kind {
            "user" => Some(Topic::User(AccountId(id))),
            "consultation" => Some(Topic::Consultation(id)),
            "micro" => Some(Topic::Micro(id)),
            "reading" => Some(Topic::Reading(id)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Topic::User(id) => write!(f, "user:{id}"),
            Topic::Consultation(id) => write!(f, "consultation:{id}"),
            Topic::Micro(id) => write!(f, "micro:{id}"),
            Topic::Reading(id) => write!(f, "reading:{id}"),
        }
    }
}

/// What happened. New kinds are added as areas land.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The account's sessions were ended (signed out everywhere, password reset,
    /// deactivated): open tabs should return to the sign-in page.
    SessionsEnded,
    /// A post appeared in the container of the topic.
    PostCreated { post: crate::post::Post },
    /// A post's like count changed.
    PostLiked { post_id: i64, like_count: i64 },
    /// The consultation moved to another state.
    StateChanged {
        state: crate::consultation::ConsultationState,
    },
    /// The floor changed: segment, current speaker or queue. Carries the public view
    /// (pending applications are fetched by the chair separately).
    FloorChanged { floor: crate::speaking::FloorState },
    /// Minutes were published or recommendations changed: reload the outcome.
    OutcomeChanged,
    /// A new notification for the account of the topic, with the unread count after it.
    NotificationAdded {
        notification: crate::notification::Notification,
        unread: i64,
    },
    /// A moderator hid a post of the container: show it as hidden.
    PostHidden { post_id: i64 },
    /// The account read notifications (in another tab): the unread count now.
    NotificationsRead { unread: i64 },
}

/// One event as delivered in the `data:` line of the stream; its `id:` line carries `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    pub id: i64,
    pub topic: String,
    /// Unix ms.
    pub at: i64,
    pub event: EventKind,
}

/// Most topics one stream may carry.
pub const MAX_TOPICS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip_and_reject_garbage() {
        let t = Topic::parse("user:12").expect("parses");
        assert_eq!(t, Topic::User(AccountId(12)));
        assert_eq!(t.to_string(), "user:12");
        assert_eq!(Topic::parse("user:0"), None);
        assert_eq!(Topic::parse("user:x"), None);
        assert_eq!(Topic::parse("planet:1"), None);
        assert_eq!(Topic::parse("consultation:7"), Some(Topic::Consultation(7)));
    }
}
