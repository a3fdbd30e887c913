//! The interface language, English or Russian: the texts of `locales/*.json` (compiled in by
//! `build.rs` through leptos_i18n, looked up with [`tr!`]), which language a person gets, and how
//! their choice is kept.
//!
//! The language is the one chosen with the top bar's switch, remembered in this browser; before
//! any choice, the browser's preference (`navigator.languages`: Russian when the first of its
//! languages that the app has is Russian, else English).
//!
//! The current language is a signal of this module's own ([`I18n`]): leptos_i18n's context would
//! bring leptos-use and a locale-matching memo with it, some 10 KB of wasm for what one signal does.

// The generated code is `pub mod i18n { … }`, so its items are `crate::i18n::i18n::…`.
#![allow(clippy::module_inception)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use mail_core::Lang;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
pub use self::i18n::*;

/// Where the choice is kept: `localStorage`, under this name.
pub const STORAGE_KEY: &str = "mail-services.language";

/// The language of the requests to the server (`Accept-Language`), which has no reactive context.
/// Russian when set; English otherwise.
static REQUESTS_IN_RUSSIAN: AtomicBool = AtomicBool::new(false);

/// The interface language of the app, provided once by [`crate::app::Pages`] ([`provide_i18n`]).
#[derive(Debug, Clone, Copy)]
pub struct I18n(RwSignal<Locale>);

impl I18n {
    /// The current language; tracked.
    pub fn get_locale(self) -> Locale {
        self.0.get()
    }

    pub fn get_locale_untracked(self) -> Locale {
        self.0.get_untracked()
    }
}

/// Chooses the language, provides it to every component below, and keeps `<html lang>` and the
/// language of the requests in step with it.
pub fn provide_i18n() -> I18n {
    let i18n = I18n(RwSignal::new(remembered().unwrap_or_else(preferred)));
    provide_context(i18n);
    // At once, for the requests the pages start while they are first built.
    set_request_locale(i18n.get_locale_untracked());
    Effect::new(move |_| {
        let locale = i18n.get_locale();
        set_request_locale(locale);
        if let Some(html) = document().document_element() {
            html.set_attribute("lang", locale.as_str()).ok();
        }
    });
    i18n
}

/// The language context of the app; a component shown on its own (in a test) gets English, shared
/// with the components under it.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| {
        let i18n = I18n(RwSignal::new(Locale::en));
        provide_context(i18n);
        i18n
    })
}

/// The first of the browser's languages (`navigator.languages`, most preferred first) that the
/// app has; English when it has none of them.
fn preferred() -> Locale {
    let languages: Vec<String> = window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|language| language.as_string())
        .collect();
    preferred_of(&languages)
}

/// The first of `languages` (language tags such as `ru-RU`, most preferred first) that the app
/// has, by leptos_i18n's matching; English when it has none of them.
pub fn preferred_of(languages: &[String]) -> Locale {
    <Locale as I18nLocaleTrait>::find_locale(languages)
}

/// Switches the interface to `locale` now and remembers the choice in this browser.
pub fn choose(i18n: I18n, locale: Locale) {
    i18n.0.set(locale);
    if let Some(storage) = local_storage() {
        // Private browsing may refuse to store: the choice then lasts until the page is left.
        storage.set_item(STORAGE_KEY, locale.as_str()).ok();
    }
}

/// The language chosen earlier in this browser, if any.
pub fn remembered() -> Option<Locale> {
    local_storage()?
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()?
        .parse()
        .ok()
}

/// Forgets the choice: the browser's preference applies again from the next start.
pub fn forget() {
    if let Some(storage) = local_storage() {
        storage.remove_item(STORAGE_KEY).ok();
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn set_request_locale(locale: Locale) {
    REQUESTS_IN_RUSSIAN.store(locale == Locale::ru, Ordering::Relaxed);
}

/// The language of the interface as the server's `Accept-Language` names it.
pub fn request_locale() -> Locale {
    if REQUESTS_IN_RUSSIAN.load(Ordering::Relaxed) {
        Locale::ru
    } else {
        Locale::en
    }
}

/// `tr!(i18n, top_bar.sign_out)`: a text of `locales/*.json` in the current language, following a
/// switch, to show or to use as an attribute. With values, `tr!(i18n, delete_dialog.title, name =
/// &name)`: the values are evaluated again at each switch. One of two, `tr!(i18n, if (busy())
/// common.saving else settings_bar.save)`. Unlike leptos_i18n's `t!`, which
/// makes a new closure type per text, every text is one of two types, so that the wasm carries one
/// copy of the code that renders them rather than one per text.
macro_rules! tr {
    ($i18n:expr, if ($which:expr) $($yes:ident).+ else $($no:ident).+) => {
        $crate::i18n::text_if(
            $i18n,
            move || $which,
            |locale| $crate::i18n::td_string!(locale, $($yes).+),
            |locale| $crate::i18n::td_string!(locale, $($no).+),
        )
    };
    ($i18n:expr, $($key:ident).+) => {
        $crate::i18n::text($i18n, |locale| $crate::i18n::td_string!(locale, $($key).+))
    };
    ($i18n:expr, $($key:ident).+, $($values:tt)+) => {
        $crate::i18n::text_with($i18n, move |locale| {
            $crate::i18n::td_string!(locale, $($key).+, $($values)+).into()
        })
    };
}
pub(crate) use tr;

/// One of two texts, as `which` says, e.g. a button's label while it is busy:
/// `tr!(i18n, if (pending.get()) sign_in.signing_in else sign_in.submit)`.
pub fn text_if(
    i18n: I18n,
    which: impl Fn() -> bool + Send + Sync + 'static,
    yes: fn(Locale) -> &'static str,
    no: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    one_of_two(i18n, Arc::new(which), yes, no)
}

/// A text without values that follows the language (see [`tr!`]).
pub fn text(
    i18n: I18n,
    text: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || text(i18n.get_locale())
}

/// A text that follows the language, made by `text` in a language (see [`tr!`]).
pub fn text_with(
    i18n: I18n,
    text: impl Fn(Locale) -> String + Send + Sync + 'static,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    made_text(i18n, Arc::new(text))
}

// What the generic functions above return is made by these, which are not generic: a closure
// made in a generic function would be a new type for each `text` and `which` again.

fn one_of_two(
    i18n: I18n,
    which: Arc<dyn Fn() -> bool + Send + Sync>,
    yes: fn(Locale) -> &'static str,
    no: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    move || {
        let text = if which() { yes } else { no };
        text(i18n.get_locale())
    }
}

fn made_text(
    i18n: I18n,
    text: Arc<dyn Fn(Locale) -> String + Send + Sync>,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || text(i18n.get_locale())
}

/// The core crate's name for the language of its validation messages.
pub fn lang(locale: Locale) -> Lang {
    match locale {
        Locale::en => Lang::En,
        Locale::ru => Lang::Ru,
    }
}

/// A count as the language writes it: `1,234` in English, `1 234` in Russian (by the browser's
/// `Intl`, which already has the data).
pub fn number(locale: Locale, n: u64) -> String {
    String::from(js_sys::Number::from(n as f64).to_locale_string(locale.as_str()))
}

/// The local time of day at `milliseconds` since 1970, hours and minutes, as people write it in
/// `locale` ("2:05 PM" in English, "14:05" in Russian), by the browser's `Intl`.
pub fn time_of_day(locale: Locale, milliseconds: f64) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("hour", "numeric"), ("minute", "2-digit")] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).ok();
    }
    let date = js_sys::Date::new(&milliseconds.into());
    String::from(date.to_locale_time_string_with_options(locale.as_str(), &options))
}
