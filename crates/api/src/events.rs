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

impl LiveEvent {
    /// Reads an event as sent in a stream's `data:` line: what `serde_json::from_str` does,
    /// without the derived reader of the internally tagged `EventKind`. That one buffers the
    /// payload first and so carries a second reader of every payload type (a post, the
    /// floor, a notification): the browser's module is smaller this way.
    pub fn from_json(text: &str) -> serde_json::Result<LiveEvent> {
        Self::read::<true>(text)
    }

    /// `from_json` for a stream of public topics only (a consultation): an account's
    /// notification events, which only its own topic carries, are refused like an unknown
    /// kind, so a build that reads only public topics leaves their reader out.
    pub fn from_public_json(text: &str) -> serde_json::Result<LiveEvent> {
        Self::read::<false>(text)
    }

    fn read<const ACCOUNT_TOPICS: bool>(text: &str) -> serde_json::Result<LiveEvent> {
        use crate::consultation::ConsultationState;
        use crate::notification::Notification;
        use crate::post::Post;
        use crate::speaking::FloorState;
        use serde::de::Error as _;

        #[derive(Deserialize)]
        struct Envelope<'a> {
            id: i64,
            topic: String,
            at: i64,
            #[serde(borrow)]
            event: &'a serde_json::value::RawValue,
        }
        #[derive(Deserialize)]
        struct Tag<'a> {
            kind: &'a str,
        }
        #[derive(Deserialize)]
        struct Created {
            post: Post,
        }
        #[derive(Deserialize)]
        struct Liked {
            post_id: i64,
            like_count: i64,
        }
        #[derive(Deserialize)]
        struct State {
            state: ConsultationState,
        }
        #[derive(Deserialize)]
        struct Floor {
            floor: FloorState,
        }
        #[derive(Deserialize)]
        struct Added {
            notification: Notification,
            unread: i64,
        }
        #[derive(Deserialize)]
        struct Hidden {
            post_id: i64,
        }
        #[derive(Deserialize)]
        struct Read {
            unread: i64,
        }

        let envelope: Envelope = serde_json::from_str(text)?;
        let raw = envelope.event.get();
        let event = match serde_json::from_str::<Tag>(raw)?.kind {
            "sessions_ended" => EventKind::SessionsEnded,
            "post_created" => EventKind::PostCreated {
                post: serde_json::from_str::<Created>(raw)?.post,
            },
            "post_liked" => {
                let p: Liked = serde_json::from_str(raw)?;
                EventKind::PostLiked {
                    post_id: p.post_id,
                    like_count: p.like_count,
                }
            }
            "state_changed" => EventKind::StateChanged {
                state: serde_json::from_str::<State>(raw)?.state,
            },
            "floor_changed" => EventKind::FloorChanged {
                floor: serde_json::from_str::<Floor>(raw)?.floor,
            },
            "outcome_changed" => EventKind::OutcomeChanged,
            "notification_added" if ACCOUNT_TOPICS => {
                let p: Added = serde_json::from_str(raw)?;
                EventKind::NotificationAdded {
                    notification: p.notification,
                    unread: p.unread,
                }
            }
            "post_hidden" => EventKind::PostHidden {
                post_id: serde_json::from_str::<Hidden>(raw)?.post_id,
            },
            "notifications_read" if ACCOUNT_TOPICS => EventKind::NotificationsRead {
                unread: serde_json::from_str::<Read>(raw)?.unread,
            },
            other => {
                return Err(serde_json::Error::custom(format!(
                    "unknown event kind {other}"
                )))
            }
        };
        Ok(LiveEvent {
            id: envelope.id,
            topic: envelope.topic,
            at: envelope.at,
            event,
        })
    }
}

/// Most topics one stream may carry.
pub const MAX_TOPICS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    /// One event of every kind; the `match` makes a new kind a compile error here until it
    /// has an example (and `LiveEvent::from_json` is then checked against it).
    fn one_of_each() -> Vec<EventKind> {
        let post: crate::post::Post = serde_json::from_value(serde_json::json!({
            "id": 7, "author_id": 3, "author_name": "王委员", "kind": "comment",
            "body_html": "<p>\"引号\"</p>", "like_count": 2, "featured": true, "created_at": 1,
            "quote": { "text": "乡土", "chapter": "一", "page": "3" }
        }))
        .expect("post");
        let speech = serde_json::json!({
            "id": 1, "speaker_id": 3, "speaker_name": "李委员", "mode": "video",
            "summary": "发言", "status": "accepted", "position": 1, "allotted_seconds": 180
        });
        let floor = serde_json::from_value(serde_json::json!({
            "current": speech, "queue": [speech], "pending": [], "done": [speech]
        }))
        .expect("floor");
        let notification = serde_json::from_value(serde_json::json!({
            "id": 5, "kind": "reply", "title": "t", "detail": "d", "link": "/x",
            "read": false, "created_at": 9
        }))
        .expect("notification");
        let all = vec![
            EventKind::SessionsEnded,
            EventKind::PostCreated { post },
            EventKind::PostLiked {
                post_id: 7,
                like_count: 3,
            },
            EventKind::StateChanged {
                state: crate::consultation::ConsultationState::OutcomePublished,
            },
            EventKind::FloorChanged { floor },
            EventKind::OutcomeChanged,
            EventKind::NotificationAdded {
                notification,
                unread: 4,
            },
            EventKind::PostHidden { post_id: 7 },
            EventKind::NotificationsRead { unread: 0 },
        ];
        for kind in &all {
            match kind {
                EventKind::SessionsEnded
                | EventKind::PostCreated { .. }
                | EventKind::PostLiked { .. }
                | EventKind::StateChanged { .. }
                | EventKind::FloorChanged { .. }
                | EventKind::OutcomeChanged
                | EventKind::NotificationAdded { .. }
                | EventKind::PostHidden { .. }
                | EventKind::NotificationsRead { .. } => {}
            }
        }
        all
    }

    #[test]
    fn the_browsers_reader_of_events_reads_what_the_server_writes() {
        let all = one_of_each();
        assert_eq!(all.len(), 9);
        for (n, event) in all.into_iter().enumerate() {
            let sent = LiveEvent {
                id: n as i64 + 1,
                topic: "consultation:5".into(),
                at: 1_700_000_000_000,
                event,
            };
            let text = serde_json::to_string(&sent).expect("serialise");
            let read = LiveEvent::from_json(&text).expect(&text);
            assert_eq!(read, sent, "{text}");
            let account_only = matches!(
                sent.event,
                EventKind::NotificationAdded { .. } | EventKind::NotificationsRead { .. }
            );
            match LiveEvent::from_public_json(&text) {
                Ok(public) => assert!(!account_only && public == sent, "{text}"),
                Err(_) => assert!(account_only, "{text}"),
            }
            assert_eq!(
                serde_json::from_str::<LiveEvent>(&text).expect("derived"),
                sent
            );
        }
        for bad in [
            r#"{"id":1,"topic":"t","at":1,"event":{"kind":"no_such_kind"}}"#,
            r#"{"id":1,"topic":"t","at":1,"event":{"kind":"post_liked","post_id":1}}"#,
            r#"{"id":1,"topic":"t","at":1,"event":{}}"#,
            r#"{"id":1,"topic":"t","at":1}"#,
            "not json",
        ] {
            assert!(LiveEvent::from_json(bad).is_err(), "{bad}");
        }
    }

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
