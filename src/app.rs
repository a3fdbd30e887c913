//! The top of the app: the session context, the top bar, and which page answers which path.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::focus;
use crate::components::notice::Flash;
use crate::components::top_bar::TopBar;
use crate::i18n::provide_i18n;
use crate::pages::admin_services::AdminServicesPage;
use crate::pages::connect_mailbox::{ConnectDraft, ConnectMailboxPage};
use crate::pages::home::HomePage;
use crate::pages::my_mailboxes::MyMailboxesPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::sign_in::SignInPage;
use crate::session::Session;

/// The whole app: asks the server once who is signed in, and shares the answer with every page.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::check());
    view! { <Pages/> }
}

/// The router and its pages, under a [`Session`] provided by [`App`] (or by a test).
#[component]
pub fn Pages() -> impl IntoView {
    // Shared by the pages: the interface language, a message for the next page, and what was
    // typed on the connect page.
    provide_i18n();
    provide_context(Flash::new());
    provide_context(ConnectDraft::new());
    view! {
        <Router>
            <FocusOnNewPage/>
            <TopBar/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <Route path=path!("/admin/email/services") view=AdminServicesPage/>
                    <Route path=path!("/mail/mailboxes") view=MyMailboxesPage/>
                    <Route path=path!("/mail/connect") view=ConnectMailboxPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// When the app moves to another page, the keyboard focus goes to the new page's heading (every
/// page's `<h1 tabindex="-1">`, else `<main>`): a screen reader then says where the person now is,
/// and the next Tab goes on in the new content, as after a page load. The focus is left alone when
/// the new page has already put it in its content (sign-in's first field).
#[component]
fn FocusOnNewPage() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            request_animation_frame(focus_new_page);
        }
        path
    });
}

fn focus_new_page() {
    let Some(main) = document().get_element_by_id("main") else {
        return;
    };
    let in_content = document()
        .active_element()
        .is_some_and(|active| main.contains(Some(&active)));
    if in_content {
        return;
    }
    focus(main.query_selector("h1").ok().flatten().unwrap_or(main));
}
