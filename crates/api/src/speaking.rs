//! Speaking at a remote consultation: applications, the chair's queue, segments, the floor.

use crate::ids::AccountId;
use serde::{Deserialize, Serialize};

/// Meeting segments, in order: briefing by departments (通报), questions (提问), answers (解答),
/// member speeches (发言).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Briefing,
    Questions,
    Answers,
    Speeches,
}

impl Segment {
    pub const ALL: [Segment; 4] = [
        Segment::Briefing,
        Segment::Questions,
        Segment::Answers,
        Segment::Speeches,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Briefing => "briefing",
            Segment::Questions => "questions",
            Segment::Answers => "answers",
            Segment::Speeches => "speeches",
        }
    }

    pub fn parse(s: &str) -> Option<Segment> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpeechMode {
    /// Speaks at a venue.
    Venue,
    /// Speaks over the video link.
    Video,
    /// Submits a written speech: published as text, no floor time.
    Written,
}

impl SpeechMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeechMode::Venue => "venue",
            SpeechMode::Video => "video",
            SpeechMode::Written => "written",
        }
    }

    pub fn parse(s: &str) -> Option<SpeechMode> {
        [SpeechMode::Venue, SpeechMode::Video, SpeechMode::Written]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpeechStatus {
    /// Waiting for the chair.
    Pending,
    /// In the queue.
    Accepted,
    Declined,
    /// Has the floor now.
    Speaking,
    Done,
}

impl SpeechStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeechStatus::Pending => "pending",
            SpeechStatus::Accepted => "accepted",
            SpeechStatus::Declined => "declined",
            SpeechStatus::Speaking => "speaking",
            SpeechStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<SpeechStatus> {
        [
            Self::Pending,
            Self::Accepted,
            Self::Declined,
            Self::Speaking,
            Self::Done,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// An application to speak and, once heard, its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Speech {
    pub id: i64,
    pub speaker_id: AccountId,
    pub speaker_name: String,
    pub mode: SpeechMode,
    pub summary: String,
    pub status: SpeechStatus,
    /// Place in the chair's queue (accepted speeches), lowest first.
    pub position: i64,
    /// Floor time granted, in seconds (0 for written speeches).
    pub allotted_seconds: i64,
    #[serde(default)]
    pub segment: Option<Segment>,
    #[serde(default)]
    pub started_at: Option<i64>,
    /// Seconds actually used, once done.
    #[serde(default)]
    pub used_seconds: Option<i64>,
}

/// The live meeting at a glance: segment, who has the floor, the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FloorState {
    #[serde(default)]
    pub segment: Option<Segment>,
    #[serde(default)]
    pub current: Option<Speech>,
    /// Accepted speeches in queue order.
    pub queue: Vec<Speech>,
    /// Applications waiting for the chair (chair and staff only; empty for others).
    pub pending: Vec<Speech>,
    /// Speeches heard, in the order given.
    pub done: Vec<Speech>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplyToSpeak {
    pub mode: SpeechMode,
    /// A short summary (or, for a written speech, its text).
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeechDecision {
    pub accept: bool,
    /// Floor time in minutes; default 8 for a registered speech, 5 for impromptu remarks.
    #[serde(default)]
    pub minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueOrder {
    /// Every accepted speech id, in the new order.
    pub speech_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetSegment {
    pub segment: Segment,
}

/// Default floor time for a registered speech (national practice), in minutes.
pub const DEFAULT_SPEECH_MINUTES: u32 = 8;
/// Default floor time for impromptu remarks (applied during the meeting), in minutes.
pub const IMPROMPTU_SPEECH_MINUTES: u32 = 5;
/// Longest summary or written speech, in characters.
pub const MAX_SPEECH_CHARS: usize = 5000;
