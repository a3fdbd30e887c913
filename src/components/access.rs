//! Who may see a page (SPEC section 1): signed-out visitors are sent to sign in, other roles are told why not.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::use_location;
use mail_core::Role;

use crate::i18n::*;
use crate::pages::sign_in::sign_in_path;
use crate::session::{SessionState, use_session};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Checking,
    SignedOut,
    NotAllowed,
    Allowed,
}

/// Shows `children` only to a signed-in administrator. A signed-out visitor (also one whose
/// session ends while here) goes to the sign-in page and comes back here afterwards; a user sees
/// [`NotAllowed`] and never the content.
#[component]
pub fn AdminOnly(
    /// Says what only administrators can do here: "Only administrators can …".
    #[prop(into)]
    only_administrators: TextProp,
    children: ChildrenFn,
) -> impl IntoView {
    guarded(Some(only_administrators), children)
}

/// Shows `children` to anyone signed in (users and administrators both have mailboxes). A
/// signed-out visitor, also one whose session ends while here (a 401 from any call makes the
/// session signed out), goes to the sign-in page and comes back here afterwards.
#[component]
pub fn SignedInOnly(children: ChildrenFn) -> impl IntoView {
    guarded(None, children)
}

/// The one guard behind both: `admin_only` says what only administrators can do, when they alone
/// may see `children`.
fn guarded(admin_only: Option<TextProp>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let pathname = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let here = if search.is_empty() {
        pathname.clone()
    } else {
        format!("{pathname}?{search}")
    };
    let admins_only = admin_only.is_some();
    // A memo, so that the content is not rebuilt when the session is set to the same person again.
    let access = Memo::new(move |_| match session.state() {
        SessionState::Checking => Access::Checking,
        SessionState::SignedOut => Access::SignedOut,
        SessionState::SignedIn(user) if admins_only && user.role != Role::Admin => {
            Access::NotAllowed
        }
        SessionState::SignedIn(_) => Access::Allowed,
    });
    move || match (access.get(), admin_only.clone()) {
        (Access::Checking, _) => view! {
            <p class="page loading" role="status">{tr!(i18n, common.checking_session)}</p>
        }
        .into_any(),
        // Signing out navigates away before this page is gone: then it is not for us to say where to go.
        (Access::SignedOut, _) if location.pathname.get_untracked() != pathname => ().into_any(),
        (Access::SignedOut, _) => {
            let options = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            view! { <Redirect path=sign_in_path(&here) options/> }.into_any()
        }
        (Access::NotAllowed, Some(only_administrators)) => {
            view! { <NotAllowed only_administrators/> }.into_any()
        }
        (Access::NotAllowed | Access::Allowed, _) => children().into_any(),
    }
}

/// Says what only administrators can do, in place of the page's content.
#[component]
pub fn NotAllowed(#[prop(into)] only_administrators: TextProp) -> impl IntoView {
    let i18n = use_i18n();
    let name = use_session().user().map(|user| user.display_name);
    view! {
        <section class="page" aria-labelledby="not-allowed-heading">
            <h1 id="not-allowed-heading" tabindex="-1">{tr!(i18n, access.heading)}</h1>
            <p class="lead">
                {move || only_administrators.get()}
                {name.map(|name| view! { " " {tr!(i18n, access.signed_in_as, name = &name)} })}
            </p>
            <p>
                {tr!(i18n, access.ask)}
                " "
                <A href="/">{tr!(i18n, access.start_page)}</A>
            </p>
        </section>
    }
}
