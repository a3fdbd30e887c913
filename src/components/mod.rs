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
pub mod sign_in_lockouts;
pub mod top_bar;

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{I18n, Locale, text_with};

/// A document-unique element id starting with `prefix`, for `for`, `aria-labelledby` and
/// `aria-describedby` links between the parts of a component used more than once.
pub fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A table column's name, in the interface's language, as the CSS string that a phone shows before
/// each of the column's cells (its headers hidden): for a `style:--label-…` property of the table.
pub fn column_label(
    i18n: I18n,
    name: fn(Locale) -> &'static str,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    text_with(i18n, move |locale| css_string(name(locale)))
}

/// `text` as a CSS string.
fn css_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '\n' => quoted.push_str("\\a "),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Once the page shows its new state (the next animation frame), moves the keyboard focus to the
/// first element inside `root` that matches `selector`, e.g. when the button that had it went away.
/// With no such element the focus stays where it is.
pub fn focus_within<E>(root: NodeRef<E>, selector: String)
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    request_animation_frame(move || move_focus(root, &selector));
}

/// Like [`focus_within`], but only if by then the focus is lost (on the document itself, as when
/// the button that had it was disabled or removed): a person who has moved on meanwhile, e.g.
/// while a save was under way, is not pulled back.
pub fn regain_focus_within<E>(root: NodeRef<E>, selector: String)
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    request_animation_frame(move || {
        if focus_is_lost() {
            move_focus(root, &selector);
        }
    });
}

/// Whether nothing in the page has the keyboard focus: it is on `<body>` (or nowhere).
fn focus_is_lost() -> bool {
    let document = document();
    match document.active_element() {
        None => true,
        Some(active) => document
            .body()
            .is_some_and(|body| body.is_same_node(Some(&active))),
    }
}

fn move_focus<E>(root: NodeRef<E>, selector: &str)
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    // `root` may be gone by now with its component (Undo on an added row removes the row).
    let target = root.try_get_untracked().flatten().and_then(|root| {
        root.unchecked_into::<web_sys::Element>()
            .query_selector(selector)
            .ok()
            .flatten()
    });
    if let Some(target) = target {
        focus(target);
    }
}

/// Moves the keyboard focus to `element` (an HTML element; anything else cannot take it).
pub fn focus(element: web_sys::Element) {
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        element.focus().ok();
    }
}
