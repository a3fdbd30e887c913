//! Notifications: an error with what to do about it.

use leptos::prelude::*;

use crate::api::ApiError;

/// An error announced to screen readers, with a retry button when the action can be repeated.
#[component]
pub fn ErrorNotice(
    title: &'static str,
    error: ApiError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            <p class="notice-title">{title}</p>
            <p>{error.body.message}</p>
            {retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </div>
    }
}
