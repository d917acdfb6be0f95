//! Organisation: sectors, special committees, departments, workstations.

use crate::ids::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sector {
    pub id: SectorId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Committee {
    pub id: CommitteeId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workstation {
    pub id: WorkstationId,
    pub name: String,
    pub address: String,
}

/// The whole organisation, small enough to send at once (~30 sectors, a few dozen others).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub sectors: Vec<Sector>,
    pub committees: Vec<Committee>,
    pub departments: Vec<Department>,
    pub workstations: Vec<Workstation>,
}

/// Which list of the organisation an admin edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Sectors,
    Committees,
    Departments,
    Workstations,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [
        OrgKind::Sectors,
        OrgKind::Committees,
        OrgKind::Departments,
        OrgKind::Workstations,
    ];

    /// The URL segment under `/api/v1/admin/org/`.
    pub fn segment(self) -> &'static str {
        match self {
            OrgKind::Sectors => "sectors",
            OrgKind::Committees => "committees",
            OrgKind::Departments => "departments",
            OrgKind::Workstations => "workstations",
        }
    }

    pub fn from_segment(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.segment() == s)
    }
}

/// Create or rename an organisation unit. `address` is used by workstations only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnitInput {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
}

/// A created or renamed unit (`address` only for workstations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnit {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
}
