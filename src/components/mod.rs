pub mod layout;
pub mod pager;
pub mod states;
