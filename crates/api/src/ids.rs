//! Newtype ids: an `AccountId` can never be passed where a `SectorId` is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A person's account (admin, member or official).
    AccountId,
    /// A sector (界别).
    SectorId,
    /// A special committee (专委会).
    CommitteeId,
    /// A government department (承办单位).
    DepartmentId,
    /// A member workstation (委员工作站).
    WorkstationId,
);
