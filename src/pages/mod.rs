//! One module per route.

pub mod admin_services;
pub mod connect_mailbox;
pub mod home;
pub mod my_mailboxes;
pub mod not_found;
pub mod sign_in;

/// Names the page in the browser's title bar and tab, which screen readers announce on arrival.
pub fn set_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} — Mail services"));
}
