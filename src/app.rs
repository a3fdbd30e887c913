//! The router: which page answers which path.

use leptos::prelude::*;
use leptos_router::components::{A, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::pages::admin_services::AdminServicesPage;
use crate::pages::not_found::NotFoundPage;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="top-bar">
                <a class="skip-link" href="#main">"Skip to content"</a>
                <span class="product">"Mail services"</span>
                <nav aria-label="Main">
                    <A href="/admin/email/services">"Email service settings"</A>
                </nav>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=|| view! { <Redirect path="/admin/email/services"/> }/>
                    <Route path=path!("/admin/email/services") view=AdminServicesPage/>
                </Routes>
            </main>
        </Router>
    }
}
