//! The bar at the top of every page: the product, the pages the person's role can open, the
//! interface language, who is signed in, and signing out.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::components::focus;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::*;
use crate::session::use_session;

#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
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
                        {tr!(i18n, if (pending.get()) top_bar.signing_out else top_bar.sign_out)}
                    </button>
                </div>
            }
        })
    };
    view! {
        <header class="top-bar">
            <a class="skip-link" href="#main" on:click=skip_to_content>
                {tr!(i18n, top_bar.skip_link)}
            </a>
            <span class="product"><A href="/">{tr!(i18n, common.product)}</A></span>
            <Show when=move || session.user().is_some()>
                <nav aria-label=tr!(i18n, top_bar.navigation)>
                    <A href="/mail/mailboxes">{tr!(i18n, top_bar.mailboxes)}</A>
                    <A href="/mail/connect">{tr!(i18n, top_bar.connect)}</A>
                    <Show when=move || session.is_admin()>
                        <A href="/admin/email/services">{tr!(i18n, top_bar.settings)}</A>
                    </Show>
                </nav>
            </Show>
            <LanguageSwitch/>
            {account}
        </header>
        <div class="top-bar-error" role="alert">
            {move || error().map(|error| tr!(i18n, top_bar.sign_out_failed, error = &error))}
        </div>
    }
}

/// "Skip to content" moves the keyboard focus, not only the view, to the page's `<main>`: the next
/// Tab then goes to the page's first control (the router alone would only scroll to `#main`).
fn skip_to_content(event: web_sys::MouseEvent) {
    event.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        focus(main);
    }
}
