//! One module per route.

pub mod admin_services;
pub mod not_found;
