//! Integration tests: the real server on port 0, a fresh database per test, on SQLite and
//! PostgreSQL. `both_engines!` turns each test body into one test per engine.

mod helpers;

mod accounts;
mod attachments;
mod consultations;
mod copy;
mod durability;
mod duty;
mod events;
mod faults;
mod followup;
mod hardening;
mod hostile;
mod import;
mod instances;
mod micro;
mod moderation;
mod notifications;
mod org;
mod outcome;
mod permissions;
mod reading;
mod search;
mod session;
mod site;
mod spa;
mod speaking;
mod visibility;
