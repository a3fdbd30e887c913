//! Notifications: an error with what to do about it.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::*;

/// An error under a form field, named an error in words and not only by colour.
#[component]
pub fn FieldMessage(#[prop(into)] message: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="message message-error">
            <p><span class="message-kind">{tr!(i18n, common.error)}</span> " " {message}</p>
        </div>
    }
}

/// An error announced to screen readers, with a retry button when the action can be repeated.
#[component]
pub fn ErrorNotice(
    /// What failed, e.g. `tr!(i18n, common.services_load_failed)`.
    #[prop(into)]
    title: TextProp,
    error: ApiError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice-error" role="alert">
            <p class="notice-title">{move || title.get()}</p>
            <p>{error.body.message}</p>
            {retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>{tr!(i18n, common.try_again)}</button>
            })}
        </div>
    }
}

/// A message for the next page to show, e.g. "Connected …" after the connect page moved on to
/// My mailboxes. Provided once by [`crate::app::Pages`].
#[derive(Debug, Clone, Copy)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    pub fn new() -> Self {
        Flash(RwSignal::new(None))
    }

    pub fn set(self, message: impl Into<String>) {
        self.0.set(Some(message.into()));
    }

    /// The message, once: the next page to ask gets nothing.
    pub fn take(self) -> Option<String> {
        self.0.try_update(Option::take).flatten()
    }
}

impl Default for Flash {
    fn default() -> Self {
        Flash::new()
    }
}

/// The flash provided by the app, or a fresh one where there is none (a component under test).
pub fn use_flash() -> Flash {
    use_context::<Flash>().unwrap_or_default()
}
