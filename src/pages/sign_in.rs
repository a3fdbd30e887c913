//! The sign-in page (`/sign-in?next=…`), and where people land after signing in (SPEC section 1).

use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use mail_core::{Password, Role, SignIn, User};

use crate::api::{self, ApiError};
use crate::i18n::*;
use crate::pages::my_mailboxes::MY_MAILBOXES;
use crate::pages::set_title;
use crate::session::use_session;

const SIGN_IN: &str = "/sign-in";

/// The sign-in page that brings the person back to `next` (a local path) afterwards.
pub fn sign_in_path(next: &str) -> String {
    let mut path = format!("{SIGN_IN}?next=");
    for byte in next.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            path.push(char::from(byte));
        } else {
            path.push_str(&format!("%{byte:02X}"));
        }
    }
    path
}

/// Whether `next` is a path of this app that is safe to go to after signing in: a path on this
/// origin (`//host` and `/\host` lead elsewhere), and not the sign-in page itself.
pub fn is_local_path(next: &str) -> bool {
    let path = next.split(['?', '#']).next().unwrap_or_default();
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && path.trim_end_matches('/') != SIGN_IN
}

/// Where to go after signing in: where the person was going, else their role's main page.
pub fn landing_path(next: Option<&str>, user: &User) -> String {
    match next {
        Some(next) if is_local_path(next) => next.to_owned(),
        _ => match user.role {
            Role::Admin => "/admin/email/services".to_owned(),
            Role::User => MY_MAILBOXES.to_owned(),
        },
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    set_title(|locale| td_string!(locale, titles.sign_in));
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let sign_in = Action::new_local(move |request: &SignIn| {
        let request = request.clone();
        async move {
            let user = api::sign_in(&request).await?;
            session.signed_in(user.clone());
            Ok::<User, ApiError>(user)
        }
    });
    let pending = sign_in.pending();
    // Cleared while a new attempt is under way, so that the same error is announced again.
    let error = Signal::derive(move || {
        if pending.get() {
            None
        } else {
            sign_in.value().get().and_then(Result::err)
        }
    });
    // Also for someone who opens this page while signed in.
    let go_on = move || {
        session.user().map(|user| {
            let path = landing_path(query.read().get("next").as_deref(), &user);
            let options = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            view! { <Redirect path options/> }
        })
    };
    view! {
        {go_on}
        <section class="page sign-in" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading" tabindex="-1">{tr!(i18n, sign_in.heading)}</h1>
            <p class="lead">{tr!(i18n, sign_in.lead)}</p>
            <SignInForm
                pending=pending
                error
                on_submit=Callback::new(move |request| {
                    sign_in.dispatch(request);
                })
            />
        </section>
    }
}

/// The form itself: it keeps what was typed whatever happens, and shows why signing in failed.
#[component]
pub fn SignInForm(
    /// A sign-in request is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// Why the last attempt failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    on_submit: Callback<SignIn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let login = NodeRef::<html::Input>::new();
    let password = NodeRef::<html::Input>::new();
    login.on_load(|input| {
        input.focus().ok();
    });
    // The button is disabled while signing in, which drops the focus; after a failure it goes to
    // the password, selected, so that retyping it replaces it.
    Effect::new(move |_| {
        if error.with(Option::is_some)
            && let Some(input) = password.get()
        {
            input.focus().ok();
            input.select();
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (Some(login), Some(password)) = (login.get_untracked(), password.get_untracked())
        else {
            return;
        };
        on_submit.run(SignIn {
            login: login.value(),
            password: Password::new(password.value()),
        });
    };
    view! {
        <form class="sign-in-form" on:submit=submit aria-busy=move || pending.get().to_string()>
            <div class="field">
                <label for="sign-in-login">{tr!(i18n, sign_in.login)}</label>
                <input
                    id="sign-in-login"
                    name="login"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    node_ref=login
                />
            </div>
            <div class="field">
                <label for="sign-in-password">{tr!(i18n, sign_in.password)}</label>
                <input
                    id="sign-in-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    node_ref=password
                />
            </div>
            // Always in the page, so that screen readers announce what appears in it.
            <div class="form-error" role="alert">
                {move || error.get().map(|error| view! { <SignInError error/> })}
            </div>
            <button type="submit" class="primary" disabled=pending>
                {tr!(i18n, if (pending.get()) sign_in.signing_in else sign_in.submit)}
            </button>
        </form>
    }
}

#[component]
fn SignInError(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    // When the server takes sign-ins again, shown as a time of day in the interface's language
    // ("2:05 PM", "14:05").
    let try_again_at = error
        .retry_after_seconds
        .map(|seconds| js_sys::Date::now() + seconds as f64 * 1000.0);
    view! {
        <div class="notice notice-error">
            <p class="notice-title">{tr!(i18n, sign_in.failed)}</p>
            <p>{error.body.message}</p>
            {try_again_at.map(|at| view! {
                <p>
                    {text_with(i18n, move |locale| {
                        let time = time_of_day(locale, at);
                        td_string!(locale, sign_in.try_again_at, time)
                    })}
                </p>
            })}
        </div>
    }
}
