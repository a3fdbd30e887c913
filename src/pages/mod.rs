//! One module per route.

pub mod admin_services;
pub mod connect_mailbox;
pub mod home;
pub mod my_mailboxes;
pub mod not_found;
pub mod sign_in;

use leptos::prelude::*;

use crate::i18n::*;

/// Names the page in the browser's title bar and tab, which screen readers announce on arrival,
/// in the interface's language: `page` gives the name in a language.
pub fn set_title(page: fn(Locale) -> &'static str) {
    let i18n = use_i18n();
    // The title is outside the app's view: an effect keeps it in step with the language.
    Effect::new(move |_| {
        let locale = i18n.get_locale();
        let product = td_string!(locale, common.product);
        document().set_title(&format!("{} — {product}", page(locale)));
    });
}
