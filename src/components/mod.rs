//! Reusable pieces of the pages.

pub mod access;
pub mod delete_dialog;
pub mod dialog;
pub mod icons;
pub mod language_switch;
pub mod leave_guard;
pub mod notice;
pub mod server_field;
pub mod service_dialog;
pub mod service_table;
pub mod settings_bar;
pub mod top_bar;

use std::sync::atomic::{AtomicU32, Ordering};

/// A document-unique element id starting with `prefix`, for `for`, `aria-labelledby` and
/// `aria-describedby` links between the parts of a component used more than once.
pub fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
