//! The top bar's choice of interface language (English or Russian), each named in itself and
//! remembered in this browser.

use leptos::prelude::*;

use crate::components::unique_id;
use crate::i18n::*;

/// A labelled drop-down list: keyboard and screen readers use it as any `<select>`.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let id = unique_id("language");
    let on_change = move |event: leptos::ev::Event| {
        if let Ok(locale) = event_target_value(&event).parse::<Locale>() {
            choose(i18n, locale);
        }
    };
    let options = <Locale as I18nLocaleTrait>::get_all()
        .iter()
        .map(|&locale| {
            // Named in its own language, and marked so, so that screen readers say it right.
            view! {
                <option
                    value=locale.as_str()
                    lang=locale.as_str()
                    prop:selected=move || i18n.get_locale() == locale
                >
                    {td_string!(locale, language.name)}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="language-switch">
            <label for=id.clone()>{tr!(i18n, language.label)}</label>
            <select id=id on:change=on_change>
                {options}
            </select>
        </div>
    }
}
