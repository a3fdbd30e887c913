//! The bar at the top of every page: the product, the pages the person's role can open, who is
//! signed in, and signing out.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::session::use_session;

#[component]
pub fn TopBar() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            // Only once the server has ended the session: the cookie is out of the app's reach.
            api::sign_out().await?;
            // Leave the page first, so that it does not ask to come back here after signing in.
            navigate("/sign-in", NavigateOptions::default());
            session.signed_out();
            Ok::<(), ApiError>(())
        }
    });
    let pending = sign_out.pending();
    let error = move || {
        if pending.get() {
            None
        } else {
            sign_out.value().get().and_then(Result::err)
        }
    };
    let account = move || {
        session.user().map(|user| {
            view! {
                <div class="account">
                    <span class="account-name">{user.display_name}</span>
                    <button
                        type="button"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            sign_out.dispatch(());
                        }
                    >
                        {move || if pending.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                </div>
            }
        })
    };
    view! {
        <header class="top-bar">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <span class="product"><A href="/">"Mail services"</A></span>
            <Show when=move || session.user().is_some()>
                <nav aria-label="Main">
                    <A href="/mail/mailboxes">"My mailboxes"</A>
                    <A href="/mail/connect">"Connect a mailbox"</A>
                    <Show when=move || session.is_admin()>
                        <A href="/admin/email/services">"Email service settings"</A>
                    </Show>
                </nav>
            </Show>
            {account}
        </header>
        <div class="top-bar-error" role="alert">
            {move || error().map(|error| format!("Could not sign out: {error}"))}
        </div>
    }
}
