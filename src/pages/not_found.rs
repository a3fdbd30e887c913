//! What an unknown address shows.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::pages::set_title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title("Page not found");
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. Check the link, or go to the "
                <A href="/">"start page"</A>"."
            </p>
        </section>
    }
}
