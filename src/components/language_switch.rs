//! The top bar's choice of interface language (English or Russian), each named in itself and
//! remembered in this browser.

use leptos::prelude::*;

use crate::components::unique_id;
use crate::i18n::*;

/// A labelled group of toggle buttons, one per language, the current one pressed. Buttons rather
/// than a drop-down list: the arrow keys on a closed `<select>` change its value (Firefox, and
/// Chrome on Windows), which here would switch the whole interface at each step.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let label_id = unique_id("language");
    let group_label = label_id.clone();
    let buttons = <Locale as I18nLocaleTrait>::get_all()
        .iter()
        .map(|&locale| {
            // Named in its own language, and marked so, so that screen readers say it right.
            view! {
                <button
                    type="button"
                    lang=locale.as_str()
                    aria-pressed=move || (i18n.get_locale() == locale).to_string()
                    on:click=move |_| choose(i18n, locale)
                >
                    {td_string!(locale, language.name)}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="language-switch" role="group" aria-labelledby=group_label>
            <span id=label_id class="language-label">{tr!(i18n, language.label)}</span>
            {buttons}
        </div>
    }
}
