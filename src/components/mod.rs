pub mod layout;
pub mod member_search;
pub mod pager;
pub mod photos;
pub mod replies;
pub mod report;
pub mod route;
pub mod states;
