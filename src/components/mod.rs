//! Reusable pieces of the pages.

pub mod notice;
pub mod service_table;
