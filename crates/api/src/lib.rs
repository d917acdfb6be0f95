//! Wire types shared by the Yishi app (wasm) and server.
//!
//! Everything that crosses HTTP is defined here once, so that the two sides cannot drift.
//! Timestamps on the wire are Unix milliseconds (UTC); the committee's time zone is a setting.

pub mod account;
pub mod consultation;
pub mod duty;
pub mod error;
pub mod events;
pub mod followup;
pub mod ids;
pub mod micro;
pub mod moderation;
pub mod notification;
pub mod org;
pub mod outcome;
pub mod page;
pub mod post;
pub mod reading;
pub mod search;
pub mod session;
pub mod site;
pub mod speaking;

pub use account::*;
pub use consultation::*;
pub use duty::*;
pub use error::*;
pub use events::*;
pub use followup::*;
pub use ids::*;
pub use micro::*;
pub use moderation::*;
pub use notification::*;
pub use org::*;
pub use outcome::*;
pub use page::*;
pub use post::*;
pub use reading::*;
pub use search::*;
pub use session::*;
pub use site::*;
pub use speaking::*;

/// Header that must carry the session's CSRF token on every state-changing request.
pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// Prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";
