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

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A document-unique element id starting with `prefix`, for `for`, `aria-labelledby` and
/// `aria-describedby` links between the parts of a component used more than once.
pub fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Once the page shows its new state (the next animation frame), moves the keyboard focus to the
/// first element inside `root` that matches `selector`, e.g. when the button that had it went away.
/// With no such element the focus stays where it is.
pub fn focus_within<E>(root: NodeRef<E>, selector: String)
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    request_animation_frame(move || {
        let target = root
            .get_untracked()
            .and_then(|root| {
                root.unchecked_into::<web_sys::Element>()
                    .query_selector(&selector)
                    .ok()
                    .flatten()
            })
            .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(target) = target {
            target.focus().ok();
        }
    });
}
