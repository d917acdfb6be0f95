//! Accounts, roles, profiles and the admin's account management.

use crate::ids::*;
use serde::{Deserialize, Serialize};

/// What an account may do (decisions.md). Chairing a consultation is an assignment, not a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Staff of the committee office.
    Admin,
    /// Committee member (委员).
    Member,
    /// Belongs to one government department.
    Official,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Member, Role::Official, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Official => "official",
        }
    }

    /// Parses the wire name or the Chinese name used in CSV files.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "admin" | "管理员" | "机关" => Some(Role::Admin),
            "member" | "委员" => Some(Role::Member),
            "official" | "部门人员" | "承办单位" => Some(Role::Official),
            _ => None,
        }
    }
}

/// The signed-in user, as the app needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// True until the user replaces a one-time password; everything else is refused until then.
    pub must_change_password: bool,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    /// Kept from posting until then, and why (the account is told).
    #[serde(default)]
    pub suspension: Option<crate::moderation::Suspension>,
}

/// A member's public-to-signed-in profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberProfile {
    pub id: AccountId,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub committee: Option<String>,
    #[serde(default)]
    pub workstation: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
}

/// One row of the admin's account list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sector_id: Option<SectorId>,
    #[serde(default)]
    pub committee_id: Option<CommitteeId>,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub workstation_id: Option<WorkstationId>,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: i64,
}

/// Create an account (admin). The server generates the one-time password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sector_id: Option<SectorId>,
    #[serde(default)]
    pub committee_id: Option<CommitteeId>,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub workstation_id: Option<WorkstationId>,
}

/// Edit an account (admin): the full editable state; `active = false` deactivates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateAccount {
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sector_id: Option<SectorId>,
    #[serde(default)]
    pub committee_id: Option<CommitteeId>,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub workstation_id: Option<WorkstationId>,
    pub active: bool,
}

/// An account just created or reset, with the one-time password shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCredentials {
    pub account: AccountSummary,
    pub one_time_password: String,
}

/// A CSV file of accounts to import. Columns (header row required):
/// `username,display_name,role,phone,title,sector,committee,workstation,department`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportAccounts {
    pub csv: String,
    /// Import the valid rows and leave the invalid ones out; otherwise any invalid row
    /// refuses the whole import. Either way nothing is half-imported.
    #[serde(default)]
    pub skip_invalid: bool,
}

/// One row of an import preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: u32,
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub role: Option<Role>,
    /// Column name -> field problem code; empty when the row can be imported.
    #[serde(default)]
    pub errors: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    pub valid_count: u32,
    pub error_count: u32,
}

/// The result of an import: every created account with its one-time password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub created: Vec<IssuedCredentials>,
    pub skipped: u32,
}

/// The signed-in user's own items, grouped by area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyActivity {
    pub profile: MemberProfile,
    pub groups: Vec<ActivityGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityGroup {
    pub area: crate::site::Area,
    pub items: Vec<crate::site::OpenItem>,
}

/// Largest CSV import accepted, in bytes.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
/// Largest number of rows in one import.
pub const MAX_IMPORT_ROWS: usize = 5000;
