//! Confirming the deletion of a corporate service (SPEC A4): whose mailboxes use it, and what
//! happens to them once the settings are saved.

use leptos::prelude::*;
use mail_core::{ServiceId, ServiceUsage};

use crate::api::{self, ApiError};
use crate::components::dialog::Dialog;
use crate::components::notice::ErrorNotice;

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
    let title = format!("Delete {name}?");
    let subject = name.clone();
    let body = move || {
        let name = subject.clone();
        match usage.get() {
            None => view! {
                <p class="loading" role="status">"Finding the mailboxes that use " {name} "…"</p>
            }
            .into_any(),
            Some(Ok(None)) => view! {
                <p>{name} " is not saved yet, so no mailbox uses it."</p>
            }
            .into_any(),
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
            <p>
                "The service is deleted when you save the settings; until then you can undo it."
            </p>
            <div class="dialog-actions">
                <button type="button" class="danger" on:click=move |_| on_confirm.run(())>
                    "Delete"
                </button>
                <button type="button" data-autofocus on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </Dialog>
    }
}

#[component]
fn UsageError(error: ApiError, retry: Callback<()>) -> impl IntoView {
    view! {
        <ErrorNotice title="Could not find out whose mailboxes use this service" error retry/>
        <p>"You can still delete it: its mailboxes are then disconnected when you save."</p>
    }
}

/// The mailboxes that use a service, with their count, and what deleting it does to them.
#[component]
pub fn ServiceUsageList(name: String, usage: ServiceUsage) -> impl IntoView {
    let count = usage.mailboxes.len();
    if count == 0 {
        return view! { <p>"No mailboxes use " {name} "."</p> }.into_any();
    }
    let heading = match count {
        1 => format!("1 mailbox uses {name}:"),
        n => format!("{n} mailboxes use {name}:"),
    };
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
        <p>
            "When you save, these mailboxes are disconnected: their owners see an error notification, and the mail they already received stays visible."
        </p>
    }
    .into_any()
}
