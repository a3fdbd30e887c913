//! The start page (`/`): who is signed in and where they can go.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Redirect};
use mail_core::{Role, User};

use crate::pages::set_title;
use crate::session::{SessionState, use_session};

#[component]
pub fn HomePage() -> impl IntoView {
    set_title("Start");
    let session = use_session();
    move || match session.state() {
        SessionState::Checking => view! {
            <p class="page loading" role="status">"Checking who is signed in…"</p>
        }
        .into_any(),
        SessionState::SignedOut => {
            let options = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            view! { <Redirect path="/sign-in" options/> }.into_any()
        }
        SessionState::SignedIn(user) => view! { <Home user/> }.into_any(),
    }
}

/// The start page of a signed-in person: the pages their role can open.
#[component]
pub fn Home(user: User) -> impl IntoView {
    let admin = (user.role == Role::Admin).then(|| {
        view! {
            <li>
                <A href="/admin/email/services">"Email service settings"</A>
                <span class="muted">" — the email services people may connect their mailboxes to"</span>
            </li>
        }
    });
    let pages = view! {
        <ul class="page-links">
            <li>
                <A href="/mail/mailboxes">"My mailboxes"</A>
                <span class="muted">" — the mailboxes you connected, and who may send from them"</span>
            </li>
            <li>
                <A href="/mail/connect">"Connect a mailbox"</A>
                <span class="muted">" — through a service your administrator offers"</span>
            </li>
            {admin}
        </ul>
    };
    view! {
        <section class="page" aria-labelledby="home-heading">
            <h1 id="home-heading">"Mail services"</h1>
            <p class="lead">"Signed in as " <strong>{user.display_name}</strong></p>
            {pages}
        </section>
    }
}
