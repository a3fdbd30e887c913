//! What an unknown address shows.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::pages::set_title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title(|locale| td_string!(locale, titles.not_found));
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1 tabindex="-1">{tr!(i18n, not_found.heading)}</h1>
            <p>
                {move || td!(
                    i18n.get_locale(),
                    not_found.explained,
                    <a> = |children: ChildrenFn| view! { <A href="/">{children()}</A> }
                )}
            </p>
        </section>
    }
}
