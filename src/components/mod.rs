pub mod layout;
pub mod states;
