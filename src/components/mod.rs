//! Reusable pieces of the pages.

pub mod access;
pub mod notice;
pub mod service_table;
pub mod top_bar;
