//! The start page (`/`): who is signed in and where they can go.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Redirect};
use mail_core::{Role, User};

use crate::i18n::*;
use crate::pages::set_title;
use crate::session::{SessionState, use_session};

#[component]
pub fn HomePage() -> impl IntoView {
    set_title(|locale| td_string!(locale, titles.start));
    let i18n = use_i18n();
    let session = use_session();
    move || match session.state() {
        SessionState::Checking => view! {
            <p class="page loading" role="status">{tr!(i18n, common.checking_session)}</p>
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
    let i18n = use_i18n();
    let admin = (user.role == Role::Admin).then(|| {
        view! {
            <li>
                <A href="/admin/email/services">{tr!(i18n, top_bar.settings)}</A>
                <span class="muted">" — " {tr!(i18n, home.settings_hint)}</span>
            </li>
        }
    });
    let pages = view! {
        <ul class="page-links">
            <li>
                <A href="/mail/mailboxes">{tr!(i18n, top_bar.mailboxes)}</A>
                <span class="muted">" — " {tr!(i18n, home.mailboxes_hint)}</span>
            </li>
            <li>
                <A href="/mail/connect">{tr!(i18n, top_bar.connect)}</A>
                <span class="muted">" — " {tr!(i18n, home.connect_hint)}</span>
            </li>
            {admin}
        </ul>
    };
    let name = user.display_name;
    view! {
        <section class="page" aria-labelledby="home-heading">
            <h1 id="home-heading" tabindex="-1">{tr!(i18n, common.product)}</h1>
            <p class="lead">
                {move || td!(
                    i18n.get_locale(),
                    home.signed_in_as,
                    name = name.clone(),
                    <strong> = |children: ChildrenFn| view! { <strong>{children()}</strong> }
                )}
            </p>
            {pages}
        </section>
    }
}
