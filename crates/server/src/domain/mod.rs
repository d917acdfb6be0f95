//! Domain rules that do not depend on HTTP or SQL: parsing user input into checked values.

pub mod accounts;
pub mod calendar;
pub mod consultation;
pub mod files;
pub mod followup;
pub mod import;
pub mod micro;
pub mod reading;
