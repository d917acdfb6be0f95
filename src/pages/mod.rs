mod admin;
mod consultations;
pub mod followup;
mod home;
mod me;
mod micro;
mod not_found;
mod password;
mod signin;

pub use admin::*;
pub use consultations::*;
pub use followup::*;
pub use home::*;
pub use me::*;
pub use micro::*;
pub use not_found::*;
pub use password::*;
pub use signin::*;
