//! Mail services in the browser: the administrator's service settings and the user's mailbox picker.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod perf;
pub mod session;
pub mod staging;
