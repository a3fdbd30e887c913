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
use crate::components::{column_label, unique_id};
use crate::i18n::*;
use crate::pages::connect_mailbox::CONNECT;
use crate::pages::set_title;
use crate::session::use_session;

/// Where people land after signing in.
pub const MY_MAILBOXES: &str = "/mail/mailboxes";

#[component]
pub fn MyMailboxesPage() -> impl IntoView {
    set_title(|locale| td_string!(locale, titles.mailboxes));
    view! {
        <SignedInOnly>
            <MyMailboxes/>
        </SignedInOnly>
    }
}

#[component]
fn MyMailboxes() -> impl IntoView {
    let i18n = use_i18n();
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
                    let address = &mailbox.address;
                    announcement.try_set(Some(td_string!(
                        i18n.get_locale_untracked(),
                        mailboxes.disconnected,
                        address
                    )));
                    mailboxes.refetch();
                }
                Err(error) if error.status == Some(404) => {
                    // Already gone (disconnected in another tab): the list catches up.
                    to_disconnect.try_set(None);
                    let address = &mailbox.address;
                    announcement.try_set(Some(td_string!(
                        i18n.get_locale_untracked(),
                        mailboxes.already_disconnected,
                        address
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
            <h1 id="mailboxes-heading" tabindex="-1">{tr!(i18n, mailboxes.heading)}</h1>
            <p class="lead">{tr!(i18n, mailboxes.lead)}</p>
            <div class="announcement" role="status" aria-live="polite">
                {move || announcement.get().map(|message| view! {
                    <div class="notice notice-success"><p>{message}</p></div>
                })}
            </div>
            <Transition fallback=move || view! {
                <p class="loading" role="status">{tr!(i18n, mailboxes.loading)}</p>
            }>
                {move || Suspend::new(async move {
                    match mailboxes.await {
                        Ok(list) => view! {
                            <ServerDeletedNotice mailboxes=list.clone()/>
                            <MailboxList mailboxes=list on_disconnect/>
                        }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice
                                title=tr!(i18n, mailboxes.load_failed)
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
            let address = mailbox.address.clone();
            let title = Signal::derive(tr!(i18n, mailboxes.disconnect_title, address = &address));
            let server = mailbox.server.clone();
            let service = text_with(i18n, move |locale| server_description(&server, locale));
            let address = mailbox.address.clone();
            let chosen = mailbox.clone();
            view! {
                <Dialog title on_close=close class="dialog-danger">
                    <p>
                        {move || td!(
                            i18n.get_locale(),
                            mailboxes.disconnect_explained,
                            address = address.clone(),
                            service = service.clone(),
                            <strong> = |children: ChildrenFn| view! { <strong>{children()}</strong> }
                        )}
                    </p>
                    <div class="form-error" role="alert">
                        {move || disconnect_error().map(|error| view! {
                            <div class="notice notice-error">
                                <p class="notice-title">{tr!(i18n, mailboxes.disconnect_failed)}</p>
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
                            {tr!(
                                i18n,
                                if (disconnecting.get()) mailboxes.disconnecting else mailboxes.disconnect
                            )}
                        </button>
                        <button type="button" on:click=move |_| close.run(())>
                            {tr!(i18n, common.cancel)}
                        </button>
                    </div>
                </Dialog>
            }
        })}
    }
}

/// Through what a mailbox is connected: the service's name, or the servers typed for "Other".
pub fn server_description(server: &MailboxServer, locale: Locale) -> String {
    match server {
        MailboxServer::Service { name, .. } => name.clone(),
        MailboxServer::Manual { smtp, imap } => {
            td_string!(locale, mailboxes.other_servers, smtp, imap)
        }
    }
}

/// What a status says to the mailbox's owner.
pub fn status_label(status: MailboxStatus, locale: Locale) -> &'static str {
    match status {
        MailboxStatus::Active => td_string!(locale, mailboxes.active),
        MailboxStatus::ServerDeleted => td_string!(locale, mailboxes.server_deleted),
    }
}

/// The person's mailboxes, each with its server, status and a Disconnect button.
#[component]
pub fn MailboxList(
    mailboxes: Vec<MailboxConnection>,
    /// Asks to disconnect this mailbox (the page confirms first).
    on_disconnect: Callback<MailboxConnection>,
) -> impl IntoView {
    let i18n = use_i18n();
    if mailboxes.is_empty() {
        return view! {
            <p class="empty">
                {tr!(i18n, mailboxes.empty)}
                " — "
                <a href=CONNECT>{tr!(i18n, top_bar.connect)}</a>
            </p>
        }
        .into_any();
    }
    let rows = mailboxes
        .into_iter()
        .map(|mailbox| {
            let deleted = mailbox.status == MailboxStatus::ServerDeleted;
            let address = mailbox.address.clone();
            let server = mailbox.server.clone();
            let status = mailbox.status;
            view! {
                <tr class:row-deleted=deleted>
                    <th scope="row" class="mailbox-address">{mailbox.address.clone()}</th>
                    <td class="mailbox-service">
                        {text_with(i18n, move |locale| server_description(&server, locale))}
                    </td>
                    <td class="mailbox-status">
                        <span class="status" class:status-error=deleted class:status-ok=!deleted>
                            {text_with(i18n, move |locale| status_label(status, locale).to_owned())}
                        </span>
                    </td>
                    <td class="actions">
                        <button type="button" on:click=move |_| on_disconnect.run(mailbox.clone())>
                            {tr!(i18n, mailboxes.disconnect)}
                            <span class="visually-hidden">" " {address}</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table
            class="services mailboxes"
            style:--label-service=column_label(i18n, |locale| td_string!(locale, mailboxes.service))
            style:--label-status=column_label(i18n, |locale| td_string!(locale, mailboxes.status))
        >
            <caption class="visually-hidden">{tr!(i18n, mailboxes.caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr!(i18n, mailboxes.mailbox)}</th>
                    <th scope="col">{tr!(i18n, mailboxes.service)}</th>
                    <th scope="col">{tr!(i18n, mailboxes.status)}</th>
                    <th scope="col" class="actions">
                        <span class="visually-hidden">{tr!(i18n, common.actions)}</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p><a href=CONNECT>{tr!(i18n, mailboxes.connect_another)}</a></p>
    }
    .into_any()
}

/// The error notification about mailboxes whose server the administrator deleted (SPEC A4), shown
/// when the person lands here after signing in and whenever they open this page.
#[component]
pub fn ServerDeletedNotice(mailboxes: Vec<MailboxConnection>) -> impl IntoView {
    let i18n = use_i18n();
    let affected: Vec<MailboxConnection> = mailboxes
        .into_iter()
        .filter(|m| m.status == MailboxStatus::ServerDeleted)
        .collect();
    if affected.is_empty() {
        return ().into_any();
    }
    let count = affected.len();
    let title = text_with(i18n, move |locale| {
        if count == 1 {
            td_string!(locale, mailboxes.one_disconnected).to_owned()
        } else {
            let number = number(locale, count as u64);
            td_string!(locale, mailboxes.disconnected_count, count, number)
        }
    });
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
            <p>{tr!(i18n, mailboxes.server_removed)}</p>
            <ul>{items}</ul>
            <p>
                {move || td!(
                    i18n.get_locale(),
                    mailboxes.server_removed_advice,
                    <a> = |children: ChildrenFn| view! { <a href=CONNECT>{children()}</a> }
                )}
            </p>
        </div>
    }
    .into_any()
}

#[component]
fn BusinessProcessSection() -> impl IntoView {
    let i18n = use_i18n();
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
            <h2 id="business-process-heading">{tr!(i18n, mailboxes.business_process_heading)}</h2>
            <Transition fallback=move || view! {
                <p class="loading" role="status">{tr!(i18n, mailboxes.business_process_loading)}</p>
            }>
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
                                title=tr!(i18n, mailboxes.business_process_load_failed)
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
    let i18n = use_i18n();
    let group_id = unique_id("business-process");
    let effect_id = format!("{group_id}-effect");
    let shown = move || saving.get().unwrap_or_else(|| current.get().preference);
    let allowed = |locale: Locale, allows: bool| {
        if allows {
            td_string!(locale, mailboxes.company_allows)
        } else {
            td_string!(locale, mailboxes.company_denies)
        }
    };
    let radios = BusinessProcessPreference::ALL
        .into_iter()
        .map(|choice| {
            let id = format!("{group_id}-{}", choice.code());
            let label = text_with(i18n, move |locale| match choice {
                BusinessProcessPreference::Inherit => {
                    let company = allowed(locale, current.get().company_allows);
                    td_string!(locale, mailboxes.inherit, company)
                }
                BusinessProcessPreference::Allow => td_string!(locale, mailboxes.allow).to_owned(),
                BusinessProcessPreference::Deny => td_string!(locale, mailboxes.deny).to_owned(),
            });
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
    let in_effect = tr!(
        i18n,
        if (current.get().effective) mailboxes.in_effect_allowed else mailboxes.in_effect_denied
    );
    view! {
        <fieldset class="plain policies" aria-describedby=effect_id.clone()>
            <legend>{tr!(i18n, mailboxes.business_process_question)}</legend>
            {radios}
        </fieldset>
        <p id=effect_id class="effect">{in_effect}</p>
        <p class="muted" role="status">
            {move || saving.get().map(|_| tr!(i18n, common.saving))}
        </p>
        <div role="alert">
            {move || error.get().map(|error| view! {
                <div class="notice notice-error">
                    <p class="notice-title">{tr!(i18n, mailboxes.choice_failed)}</p>
                    <p>{error.body.message}</p>
                    <p>{tr!(i18n, mailboxes.previous_choice)}</p>
                </div>
            })}
        </div>
    }
}
