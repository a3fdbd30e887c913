//! My mailboxes (`/mail/mailboxes`, SPEC U4, U5): the person's mailbox connections with their
//! status, the notification about mailboxes whose server the administrator deleted (SPEC A4),
//! disconnecting, and the business-process sending preference.

use std::time::Duration;

use leptos::prelude::*;
use mail_core::{
    BusinessProcessPreference, BusinessProcessSending, MailboxConnection, MailboxServer,
    MailboxStatus,
};

use crate::api::{self, ApiError};
use crate::components::access::SignedInOnly;
use crate::components::dialog::Dialog;
use crate::components::notice::{ErrorNotice, use_flash};
use crate::components::unique_id;
use crate::pages::connect_mailbox::CONNECT;
use crate::pages::set_title;
use crate::session::use_session;

/// Where people land after signing in.
pub const MY_MAILBOXES: &str = "/mail/mailboxes";

#[component]
pub fn MyMailboxesPage() -> impl IntoView {
    set_title("My mailboxes");
    view! {
        <SignedInOnly>
            <MyMailboxes/>
        </SignedInOnly>
    }
}

#[component]
fn MyMailboxes() -> impl IntoView {
    let session = use_session();
    let mailboxes = LocalResource::new(move || async move {
        let mailboxes = api::my_mailboxes().await;
        if let Err(error) = &mailboxes {
            // A 401 means the session ended: the page then sends the person to sign in again.
            session.learn_from(error);
        }
        mailboxes
    });
    // Put into the live region only after it is in the page, so that screen readers announce it.
    let announcement = RwSignal::new(None::<String>);
    if let Some(message) = use_flash().take() {
        set_timeout(
            move || {
                announcement.try_set(Some(message));
            },
            Duration::from_millis(50),
        );
    }
    let to_disconnect = RwSignal::new(None::<MailboxConnection>);
    let disconnect = Action::new_local(move |mailbox: &MailboxConnection| {
        let mailbox = mailbox.clone();
        async move {
            let result = api::disconnect_mailbox(mailbox.id).await;
            match &result {
                Ok(()) => {
                    to_disconnect.try_set(None);
                    announcement.try_set(Some(format!("Disconnected {}.", mailbox.address)));
                    mailboxes.refetch();
                }
                Err(error) if error.status == Some(404) => {
                    // Already gone (disconnected in another tab): the list catches up.
                    to_disconnect.try_set(None);
                    announcement.try_set(Some(format!(
                        "{} was already disconnected.",
                        mailbox.address
                    )));
                    mailboxes.refetch();
                }
                Err(error) => session.learn_from_later(error),
            }
            result
        }
    });
    let disconnecting = disconnect.pending();
    let disconnect_error = move || {
        if disconnecting.get() {
            None
        } else {
            disconnect
                .value()
                .get()
                .and_then(Result::err)
                .filter(|e| e.status != Some(404))
        }
    };
    let on_disconnect = Callback::new(move |mailbox: MailboxConnection| {
        disconnect.value().set(None);
        to_disconnect.set(Some(mailbox));
    });
    let close = Callback::new(move |()| {
        if !disconnecting.get_untracked() {
            to_disconnect.set(None);
        }
    });
    view! {
        <section class="page" aria-labelledby="mailboxes-heading">
            <h1 id="mailboxes-heading">"My mailboxes"</h1>
            <p class="lead">"The mailboxes you connected, and who may send mail from them."</p>
            <div class="announcement" role="status" aria-live="polite">
                {move || announcement.get().map(|message| view! {
                    <div class="notice notice-success"><p>{message}</p></div>
                })}
            </div>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading your mailboxes…"</p> }>
                {move || Suspend::new(async move {
                    match mailboxes.await {
                        Ok(list) => view! {
                            <ServerDeletedNotice mailboxes=list.clone()/>
                            <MailboxList mailboxes=list on_disconnect/>
                        }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice
                                title="Your mailboxes could not be loaded"
                                error
                                retry=Callback::new(move |()| mailboxes.refetch())
                            />
                        }.into_any(),
                    }
                })}
            </Transition>
            <BusinessProcessSection/>
        </section>
        {move || to_disconnect.get().map(|mailbox| {
            let title = format!("Disconnect {}?", mailbox.address);
            let service = server_description(&mailbox.server);
            let chosen = mailbox.clone();
            view! {
                <Dialog title on_close=close class="dialog-danger">
                    <p>
                        "The mailbox " <strong>{mailbox.address.clone()}</strong> " (" {service}
                        ") will no longer be connected here, and its stored password is deleted. "
                        "You can connect it again later."
                    </p>
                    <div class="form-error" role="alert">
                        {move || disconnect_error().map(|error| view! {
                            <div class="notice notice-error">
                                <p class="notice-title">"Could not disconnect"</p>
                                <p>{error.body.message}</p>
                            </div>
                        })}
                    </div>
                    <div class="dialog-actions">
                        <button
                            type="button"
                            class="danger"
                            data-autofocus
                            disabled=move || disconnecting.get()
                            on:click=move |_| {
                                disconnect.dispatch(chosen.clone());
                            }
                        >
                            {move || if disconnecting.get() { "Disconnecting…" } else { "Disconnect" }}
                        </button>
                        <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
                    </div>
                </Dialog>
            }
        })}
    }
}

/// Through what a mailbox is connected: the service's name, or the servers typed for "Other".
pub fn server_description(server: &MailboxServer) -> String {
    match server {
        MailboxServer::Service { name, .. } => name.clone(),
        MailboxServer::Manual { smtp, imap } => format!("Other: SMTP {smtp} / IMAP {imap}"),
    }
}

/// What a status says to the mailbox's owner.
pub fn status_label(status: MailboxStatus) -> &'static str {
    match status {
        MailboxStatus::Active => "Active",
        MailboxStatus::ServerDeleted => "Server deleted by your administrator",
    }
}

/// The person's mailboxes, each with its server, status and a Disconnect button.
#[component]
pub fn MailboxList(
    mailboxes: Vec<MailboxConnection>,
    /// Asks to disconnect this mailbox (the page confirms first).
    on_disconnect: Callback<MailboxConnection>,
) -> impl IntoView {
    if mailboxes.is_empty() {
        return view! {
            <p class="empty">
                "No mailboxes yet — " <a href=CONNECT>"Connect a mailbox"</a>
            </p>
        }
        .into_any();
    }
    let rows = mailboxes
        .into_iter()
        .map(|mailbox| {
            let deleted = mailbox.status == MailboxStatus::ServerDeleted;
            let address = mailbox.address.clone();
            view! {
                <tr class:row-deleted=deleted>
                    <th scope="row" class="mailbox-address">{mailbox.address.clone()}</th>
                    <td>{server_description(&mailbox.server)}</td>
                    <td>
                        <span class="status" class:status-error=deleted class:status-ok=!deleted>
                            {status_label(mailbox.status)}
                        </span>
                    </td>
                    <td class="actions">
                        <button type="button" on:click=move |_| on_disconnect.run(mailbox.clone())>
                            "Disconnect"
                            <span class="visually-hidden">" " {address}</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="services mailboxes">
            <caption class="visually-hidden">"Your mailboxes"</caption>
            <thead>
                <tr>
                    <th scope="col">"Mailbox"</th>
                    <th scope="col">"Service"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="actions"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p><a href=CONNECT>"Connect another mailbox"</a></p>
    }
    .into_any()
}

/// The error notification about mailboxes whose server the administrator deleted (SPEC A4), shown
/// when the person lands here after signing in and whenever they open this page.
#[component]
pub fn ServerDeletedNotice(mailboxes: Vec<MailboxConnection>) -> impl IntoView {
    let affected: Vec<MailboxConnection> = mailboxes
        .into_iter()
        .filter(|m| m.status == MailboxStatus::ServerDeleted)
        .collect();
    if affected.is_empty() {
        return ().into_any();
    }
    let title = if affected.len() == 1 {
        "A mailbox was disconnected".to_owned()
    } else {
        format!("{} mailboxes were disconnected", affected.len())
    };
    let items = affected
        .into_iter()
        .map(|mailbox| {
            let service = match &mailbox.server {
                MailboxServer::Service { name, .. } => format!(" ({name})"),
                MailboxServer::Manual { .. } => String::new(),
            };
            view! { <li><strong>{mailbox.address}</strong>{service}</li> }
        })
        .collect_view();
    view! {
        <div class="notice notice-error server-deleted" role="alert">
            <p class="notice-title">{title}</p>
            <p>
                "The connection was interrupted because your administrator removed the mail server of:"
            </p>
            <ul>{items}</ul>
            <p>
                "Mail received earlier is still there. To receive new mail, disconnect the mailbox and "
                <a href=CONNECT>"connect it again"</a>
                " through a service from the list, or ask your administrator."
            </p>
        </div>
    }
    .into_any()
}

#[component]
fn BusinessProcessSection() -> impl IntoView {
    let session = use_session();
    let loaded = LocalResource::new(move || async move {
        let current = api::business_process_sending().await;
        if let Err(error) = &current {
            session.learn_from(error);
        }
        current
    });
    let saved = RwSignal::new(None::<BusinessProcessSending>);
    let save = Action::new_local(move |preference: &BusinessProcessPreference| {
        let preference = *preference;
        async move {
            let result = api::set_business_process_sending(preference).await;
            match &result {
                Ok(current) => {
                    saved.try_set(Some(current.clone()));
                }
                Err(error) => session.learn_from_later(error),
            }
            result
        }
    });
    let saving_input = save.input();
    let saving = Signal::derive(move || saving_input.get());
    let pending = save.pending();
    let error = Signal::derive(move || {
        if pending.get() {
            None
        } else {
            save.value().get().and_then(Result::err)
        }
    });
    let on_change = Callback::new(move |preference| {
        save.dispatch(preference);
    });
    view! {
        <section class="business-process" aria-labelledby="business-process-heading">
            <h2 id="business-process-heading">"Business-process sending"</h2>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading your preference…"</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(initial) => {
                            let current = Signal::derive(move || {
                                saved.get().unwrap_or_else(|| initial.clone())
                            });
                            view! { <BusinessProcessChoice current saving error on_change/> }
                                .into_any()
                        }
                        Err(error) => view! {
                            <ErrorNotice
                                title="Your business-process sending preference could not be loaded"
                                error
                                retry=Callback::new(move |()| loaded.refetch())
                            />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Whether business processes may send mail from the person's address (SPEC U5): follow the
/// company setting, allow or deny; saved as soon as it is chosen.
#[component]
pub fn BusinessProcessChoice(
    /// What the server last said.
    #[prop(into)]
    current: Signal<BusinessProcessSending>,
    /// The choice being saved, while it is.
    #[prop(into)]
    saving: Signal<Option<BusinessProcessPreference>>,
    /// Why the last save failed.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    on_change: Callback<BusinessProcessPreference>,
) -> impl IntoView {
    let group_id = unique_id("business-process");
    let effect_id = format!("{group_id}-effect");
    let shown = move || saving.get().unwrap_or_else(|| current.get().preference);
    let allowed = |allows: bool| if allows { "allowed" } else { "denied" };
    let radios = BusinessProcessPreference::ALL
        .into_iter()
        .map(|choice| {
            let id = format!("{group_id}-{}", choice.code());
            let label = move || match choice {
                BusinessProcessPreference::Inherit => format!(
                    "Use the company setting (currently: {})",
                    allowed(current.get().company_allows)
                ),
                BusinessProcessPreference::Allow => "Allow".to_owned(),
                BusinessProcessPreference::Deny => "Deny".to_owned(),
            };
            view! {
                <div class="check">
                    <input
                        type="radio"
                        id=id.clone()
                        name=group_id.clone()
                        value=choice.code()
                        prop:checked=move || shown() == choice
                        disabled=move || saving.get().is_some()
                        on:change=move |_| on_change.run(choice)
                    />
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    let in_effect = move || {
        if current.get().effective {
            "In effect: business processes may send mail from your mailboxes."
        } else {
            "In effect: business processes may not send mail from your mailboxes."
        }
    };
    view! {
        <fieldset class="plain policies" aria-describedby=effect_id.clone()>
            <legend>"May business processes (such as invoices and notifications) send mail from your personal address?"</legend>
            {radios}
        </fieldset>
        <p id=effect_id class="effect">{in_effect}</p>
        <p class="muted" role="status">{move || saving.get().map(|_| "Saving…")}</p>
        <div role="alert">
            {move || error.get().map(|error| view! {
                <div class="notice notice-error">
                    <p class="notice-title">"Your choice could not be saved"</p>
                    <p>{error.body.message}</p>
                    <p>"Your previous choice still applies. Choose again to retry."</p>
                </div>
            })}
        </div>
    }
}
