//! Site-wide settings and the home page overview.

use serde::{Deserialize, Serialize};

/// Public site information shown in the header and footer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteInfo {
    pub committee_name: String,
    /// Footer text: ICP filing number, the committee's contact.
    pub footer_text: String,
    /// IANA time zone used for due dates and working days, e.g. `Asia/Shanghai`.
    pub time_zone: String,
}

/// Admin update of the settings; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateSettings {
    #[serde(default)]
    pub committee_name: Option<String>,
    #[serde(default)]
    pub footer_text: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Which area an open item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Consultation,
    MicroConsultation,
    ReadingGroup,
}

/// Something open now that the home page lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenItem {
    pub area: Area,
    pub id: i64,
    pub title: String,
    /// When it closes, if it has a closing time (Unix ms).
    #[serde(default)]
    pub closes_at: Option<i64>,
    /// Happening right now (a live meeting).
    #[serde(default)]
    pub live: bool,
}

/// The home page: what is open now (visible to this visitor) and the organisation at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeOverview {
    pub committee_name: String,
    pub open_items: Vec<OpenItem>,
    pub member_count: i64,
    pub sector_count: i64,
    pub workstation_count: i64,
}
