//! Confirming the deletion of a corporate service (SPEC A4): whose mailboxes use it, and what
//! happens to them once the settings are saved.

use leptos::prelude::*;
use mail_core::{ServiceId, ServiceUsage};

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::notice::ErrorNotice;
use crate::i18n::*;

/// Asks before staging the deletion of `name`. A saved service (`service_id`) has its users
/// fetched from the server; one added on the page and not saved has none.
#[component]
pub fn DeleteDialog(
    name: String,
    service_id: Option<ServiceId>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let usage = LocalResource::new(move || async move {
        match service_id {
            Some(id) => api::service_usage(id).await.map(Some),
            None => Ok(None),
        }
    });
    let i18n = use_i18n();
    let title = {
        let name = name.clone();
        Signal::derive(tr!(i18n, delete_dialog.title, name = &name))
    };
    let subject = name.clone();
    let body = move || {
        let name = subject.clone();
        match usage.get() {
            None => view! {
                <p class="loading" role="status">{tr!(i18n, delete_dialog.finding, name = &name)}</p>
            }
            .into_any(),
            Some(Ok(None)) => {
                view! { <p>{tr!(i18n, delete_dialog.not_saved, name = &name)}</p> }.into_any()
            }
            Some(Ok(Some(usage))) => view! { <ServiceUsageList name usage/> }.into_any(),
            Some(Err(error)) => {
                view! { <UsageError error retry=Callback::new(move |()| usage.refetch())/> }
                    .into_any()
            }
        }
    };
    view! {
        <Dialog title on_close=on_cancel class="dialog-danger">
            <div class="delete-body">{body}</div>
            <p>{tr!(i18n, delete_dialog.until_saved)}</p>
            <div class="dialog-actions">
                <button type="button" class="danger" on:click=move |_| on_confirm.run(())>
                    {tr!(i18n, delete_dialog.delete)}
                </button>
                <button type="button" data-autofocus on:click=move |_| on_cancel.run(())>
                    {tr!(i18n, common.cancel)}
                </button>
            </div>
        </Dialog>
    }
}

#[component]
fn UsageError(error: ApiError, retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ErrorNotice title=tr!(i18n, delete_dialog.usage_failed) error retry/>
        <p>{tr!(i18n, delete_dialog.delete_anyway)}</p>
    }
}

/// The mailboxes that use a service, with their count, and what deleting it does to them.
#[component]
pub fn ServiceUsageList(name: String, usage: ServiceUsage) -> impl IntoView {
    let i18n = use_i18n();
    let count = usage.mailboxes.len();
    if count == 0 {
        return view! { <p>{tr!(i18n, delete_dialog.unused, name = &name)}</p> }.into_any();
    }
    let heading = text_with(i18n, move |locale| {
        let number = number(locale, count as u64);
        td_string!(locale, delete_dialog.usage, count, number, name = &name)
    });
    view! {
        <p class="usage-count">{heading}</p>
        <ul class="usage-list">
            {usage
                .mailboxes
                .into_iter()
                .map(|mailbox| {
                    view! {
                        <li>
                            <span class="usage-person">{mailbox.user_display_name}</span>
                            " (" {mailbox.user_login} ") — "
                            <span class="usage-address">{mailbox.address}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <p>{tr!(i18n, delete_dialog.consequences)}</p>
    }
    .into_any()
}
