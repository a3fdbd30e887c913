//! What an unknown address shows.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. Check the link, or go to "
                <A href="/admin/email/services">"Email service settings"</A>"."
            </p>
        </section>
    }
}
