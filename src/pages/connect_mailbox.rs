//! Connect a mailbox (`/mail/connect`, SPEC U1–U3): the picker of services the administrator
//! offers (plus "Other" while manual entry is allowed), the address and password, and for "Other"
//! the SMTP and IMAP servers judged as typed like in the admin dialog.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use mail_core::{
    ConnectMailbox, ConnectThrough, Password, Picker, Protocol, Security, ServerInput, ServiceId,
    UserId, check_credentials, parse_server,
};

use crate::api::{self, ApiError};
use crate::components::access::SignedInOnly;
use crate::components::notice::{ErrorNotice, FieldMessage, use_flash};
use crate::components::server_field::ServerField;
use crate::components::{focus_within, unique_id};
use crate::i18n::*;
use crate::pages::my_mailboxes::MY_MAILBOXES;
use crate::pages::set_title;
use crate::session::use_session;

pub const CONNECT: &str = "/mail/connect";

/// What the person picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Service(ServiceId),
    Other,
}

/// What was typed on the connect page. It lives above the router's pages (see
/// [`crate::app::Pages`]), so that it survives a trip to the sign-in page when the session ends
/// while connecting; the password is dropped then and after a successful connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnectDraft {
    /// Whose draft it is: another person signing in on this browser starts afresh.
    pub owner: RwSignal<Option<UserId>>,
    pub choice: RwSignal<Option<Choice>>,
    pub address: RwSignal<String>,
    pub password: RwSignal<String>,
    pub smtp_address: RwSignal<String>,
    pub smtp_security: RwSignal<Security>,
    pub imap_address: RwSignal<String>,
    pub imap_security: RwSignal<Security>,
}

impl ConnectDraft {
    pub fn new() -> Self {
        ConnectDraft {
            owner: RwSignal::new(None),
            choice: RwSignal::new(None),
            address: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            smtp_address: RwSignal::new(String::new()),
            smtp_security: RwSignal::new(Security::Tls),
            imap_address: RwSignal::new(String::new()),
            imap_security: RwSignal::new(Security::Tls),
        }
    }

    /// Empties every field.
    pub fn reset(self) {
        self.choice.set(None);
        self.address.set(String::new());
        self.password.set(String::new());
        self.smtp_address.set(String::new());
        self.smtp_security.set(Security::Tls);
        self.imap_address.set(String::new());
        self.imap_security.set(Security::Tls);
    }

    /// The request as typed, for the current choice.
    fn request(self, choice: Choice) -> ConnectMailbox {
        let server = match choice {
            Choice::Service(id) => ConnectThrough::Service { id },
            Choice::Other => ConnectThrough::Manual {
                smtp: ServerInput {
                    address: self.smtp_address.get_untracked(),
                    security: self.smtp_security.get_untracked(),
                },
                imap: ServerInput {
                    address: self.imap_address.get_untracked(),
                    security: self.imap_security.get_untracked(),
                },
            },
        };
        ConnectMailbox {
            address: self.address.get_untracked().trim().to_owned(),
            password: Password::new(self.password.get_untracked()),
            server,
        }
    }
}

impl Default for ConnectDraft {
    fn default() -> Self {
        ConnectDraft::new()
    }
}

/// The draft provided by the app, or a fresh one where there is none (a component under test).
pub fn use_connect_draft() -> ConnectDraft {
    use_context::<ConnectDraft>().unwrap_or_default()
}

/// The codes of a 409 that mean the administrator's settings refuse the chosen way to connect.
const REFUSED_BY_ADMINISTRATOR: [&str; 3] = [
    "service_hidden",
    "service_unavailable",
    "manual_entry_not_allowed",
];

#[component]
pub fn ConnectMailboxPage() -> impl IntoView {
    set_title(|locale| td_string!(locale, titles.connect));
    view! {
        <SignedInOnly>
            <ConnectMailboxContent/>
        </SignedInOnly>
    }
}

#[component]
fn ConnectMailboxContent() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let flash = use_flash();
    let draft = use_connect_draft();
    let me = session.user().map(|user| user.id);
    if draft.owner.get_untracked() != me {
        draft.reset();
        draft.owner.set(me);
    }
    let picker = LocalResource::new(move || async move {
        let picker = api::picker().await;
        if let Err(error) = &picker {
            session.learn_from(error);
        }
        picker
    });
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let connect = Action::new_local(move |request: &ConnectMailbox| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            error.try_set(None);
            match api::connect_mailbox(&request).await {
                Ok(mailbox) => {
                    draft.reset();
                    let address = mailbox.address;
                    flash.set(td_string!(
                        i18n.get_locale_untracked(),
                        connect.connected,
                        address
                    ));
                    navigate(MY_MAILBOXES, NavigateOptions::default());
                }
                Err(refused) if refused.is_signed_out() => {
                    // Everything typed but the password stays for after signing in again.
                    draft.password.try_set(String::new());
                    session.learn_from_later(&refused);
                }
                Err(refused) => {
                    session.learn_from_later(&refused);
                    if REFUSED_BY_ADMINISTRATOR.contains(&refused.body.code.as_str()) {
                        picker.refetch();
                    }
                    error.try_set(Some(refused));
                }
            }
        }
    });
    let pending = connect.pending();
    let on_submit = Callback::new(move |request| {
        connect.dispatch(request);
    });
    view! {
        <section class="page connect" aria-labelledby="connect-heading">
            <h1 id="connect-heading" tabindex="-1">{tr!(i18n, connect.heading)}</h1>
            <p class="lead">{tr!(i18n, connect.lead)}</p>
            <Transition fallback=move || view! {
                <p class="loading" role="status">{tr!(i18n, connect.loading)}</p>
            }>
                {move || Suspend::new(async move {
                    match picker.await {
                        Ok(picker) => view! {
                            <ConnectForm picker draft pending error on_submit/>
                        }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice
                                title=tr!(i18n, common.services_load_failed)
                                error
                                retry=Callback::new(move |()| picker.refetch())
                            />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The picker and the fields of the chosen way to connect. Keeps what was typed in `draft`; shows
/// the server's answer in `error` where it belongs (and clears it from a field once edited).
#[component]
pub fn ConnectForm(
    picker: Picker,
    draft: ConnectDraft,
    /// A connection request is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// Why the server refused the last request.
    error: RwSignal<Option<ApiError>>,
    on_submit: Callback<ConnectMailbox>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Picker {
        services,
        other_allowed,
    } = picker;
    let offered: Vec<Choice> = services
        .iter()
        .map(|s| Choice::Service(s.id))
        .chain(other_allowed.then_some(Choice::Other))
        .collect();
    // A choice the refreshed picker no longer offers is no choice.
    let choice = Memo::new(move |_| draft.choice.get().filter(|c| offered.contains(c)));
    let attempted = RwSignal::new(false);
    // Edited since the server judged it: its message no longer applies.
    let edited = RwSignal::new(Vec::<&'static str>::new());
    let server_message = move |field: &'static str| {
        if edited.with(|e| e.contains(&field)) {
            return None;
        }
        error.with(|e| {
            let e = e.as_ref()?;
            if field == "address" && e.body.code == "already_connected" {
                return Some(e.body.message.clone());
            }
            let messages: Vec<String> = e
                .body
                .fields
                .iter()
                .filter(|f| f.field == field)
                .map(|f| f.message.clone())
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    };
    let edit = move |field: &'static str| {
        if !edited.with_untracked(|e| e.contains(&field)) {
            edited.update(|e| e.push(field));
        }
    };
    // The server's own rule for the address and password (core's `check_credentials`), shown
    // once Connect has been pressed; the server's answer about a field comes first.
    let credential_errors = Memo::new(move |_| {
        draft.address.with(|address| {
            draft
                .password
                .with(|password| check_credentials(address, password))
        })
    });
    let credential_error = move |field: &'static str| {
        server_message(field).or_else(|| {
            if !attempted.get() {
                return None;
            }
            credential_errors.with(|errors| {
                errors
                    .iter()
                    .find(|error| error.field() == field)
                    .map(|error| error.message(lang(i18n.get_locale())))
            })
        })
    };
    let address_error = move || credential_error("address");
    let password_error = move || credential_error("password");
    let servers_valid = move || {
        choice.get() != Some(Choice::Other)
            || (parse_server(
                Protocol::Smtp,
                draft.smtp_security.get(),
                &draft.smtp_address.get(),
            )
            .is_valid()
                && parse_server(
                    Protocol::Imap,
                    draft.imap_security.get(),
                    &draft.imap_address.get(),
                )
                .is_valid())
    };
    let form = NodeRef::<leptos::html::Form>::new();
    let complete = move || credential_errors.with(Vec::is_empty);
    // The general refusal, where it belongs: a refusal by the administrator's settings beside the
    // picker; anything not about one field beside the Connect button.
    let refusal = move || {
        error
            .get()
            .filter(|e| REFUSED_BY_ADMINISTRATOR.contains(&e.body.code.as_str()))
    };
    let other_error = move || {
        error.get().filter(|e| {
            !REFUSED_BY_ADMINISTRATOR.contains(&e.body.code.as_str())
                && e.body.code != "already_connected"
                && !e.is_signed_out()
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        // Pressed with something missing or wrong: the focus goes to the first thing to correct,
        // whose messages a screen reader then reads.
        let Some(chosen) = choice.get_untracked() else {
            focus_within(form, "input[type=radio]".to_owned());
            return;
        };
        if !complete() || !servers_valid() {
            focus_within(form, "[aria-invalid=true]".to_owned());
            return;
        }
        edited.set(Vec::new());
        on_submit.run(draft.request(chosen));
    };
    let form_id = unique_id("connect");
    let address_id = format!("{form_id}-address");
    let address_messages = format!("{address_id}-messages");
    let password_id = format!("{form_id}-password");
    let password_messages = format!("{password_id}-messages");
    let picker_messages = format!("{form_id}-picker-messages");
    let status_id = format!("{form_id}-status");
    let other_id = format!("{form_id}-other");
    let choose = move |chosen: Choice| {
        draft.choice.set(Some(chosen));
    };
    let service_options = services
        .into_iter()
        .map(|service| {
            let id = format!("{form_id}-service-{}", service.id);
            let this = Choice::Service(service.id);
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        name="service"
                        id=id.clone()
                        value=service.id.to_string()
                        prop:checked=move || choice.get() == Some(this)
                        on:change=move |_| choose(this)
                    />
                    <label for=id>{service.name}</label>
                </div>
            }
        })
        .collect_view();
    let other_option = other_allowed.then(|| {
        view! {
            <div class="choice">
                <input
                    type="radio"
                    name="service"
                    id=other_id.clone()
                    value="other"
                    prop:checked=move || choice.get() == Some(Choice::Other)
                    on:change=move |_| choose(Choice::Other)
                />
                <label for=other_id>{tr!(i18n, connect.other)}</label>
                <span class="hint">" — " {tr!(i18n, connect.other_hint)}</span>
            </div>
        }
    });
    let no_choice_error = move || {
        (attempted.get() && choice.get().is_none())
            .then(|| td_string!(i18n.get_locale(), connect.choose_service))
    };
    let fields = move || {
        let chosen = choice.get()?;
        let (address_id, address_messages) = (address_id.clone(), address_messages.clone());
        let (password_id, password_messages) = (password_id.clone(), password_messages.clone());
        Some(view! {
            <p class="hint required-note">{tr!(i18n, common.required_note)}</p>
            <div class="field">
                <label for=address_id.clone() class="required">{tr!(i18n, connect.address)}</label>
                <input
                    id=address_id
                    type="text"
                    inputmode="email"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    placeholder="name@example.com"
                    prop:value=move || draft.address.get()
                    aria-invalid=move || address_error().is_some().to_string()
                    aria-describedby=address_messages.clone()
                    on:input=move |event| {
                        edit("address");
                        draft.address.set(event_target_value(&event));
                    }
                />
                <div class="field-messages" id=address_messages>
                    {move || address_error().map(|message| view! { <FieldMessage message/> })}
                </div>
            </div>
            <div class="field">
                <label for=password_id.clone() class="required">{tr!(i18n, connect.password)}</label>
                <input
                    id=password_id
                    type="password"
                    autocomplete="new-password"
                    required
                    prop:value=move || draft.password.get()
                    aria-invalid=move || password_error().is_some().to_string()
                    aria-describedby=password_messages.clone()
                    on:input=move |event| {
                        edit("password");
                        draft.password.set(event_target_value(&event));
                    }
                />
                <div class="field-messages" id=password_messages>
                    <p class="hint">{tr!(i18n, connect.password_hint)}</p>
                    {move || password_error().map(|message| view! { <FieldMessage message/> })}
                </div>
            </div>
            {(chosen == Choice::Other).then(|| view! {
                <fieldset class="plain servers">
                    <legend>{tr!(i18n, connect.servers)}</legend>
                    <p class="hint">{tr!(i18n, connect.servers_hint)}</p>
                    <div on:input=move |_| edit("smtp")>
                        <ServerField
                            protocol=Protocol::Smtp
                            address=draft.smtp_address
                            security=draft.smtp_security
                            reveal=attempted
                        />
                        {move || server_message("smtp").map(|message| view! { <FieldMessage message/> })}
                    </div>
                    <div on:input=move |_| edit("imap")>
                        <ServerField
                            protocol=Protocol::Imap
                            address=draft.imap_address
                            security=draft.imap_security
                            reveal=attempted
                        />
                        {move || server_message("imap").map(|message| view! { <FieldMessage message/> })}
                    </div>
                </fieldset>
            })}
        })
    };
    view! {
        <form class="connect-form" node_ref=form on:submit=submit novalidate aria-busy=move || pending.get().to_string()>
            <fieldset class="plain picker" aria-describedby=picker_messages.clone()>
                <legend>{tr!(i18n, connect.service)}</legend>
                {service_options}
                {other_option}
            </fieldset>
            <div class="picker-messages" id=picker_messages role="alert">
                {move || no_choice_error().map(|message| view! { <FieldMessage message/> })}
                {move || refusal().map(|error| view! {
                    <div class="notice notice-error">
                        <p class="notice-title">{tr!(i18n, connect.refused_title)}</p>
                        <p>{error.body.message}</p>
                        <p>{tr!(i18n, connect.refused_explained)}</p>
                    </div>
                })}
            </div>
            {fields}
            <div class="form-error" role="alert">
                {move || other_error().map(|error| view! {
                    <div class="notice notice-error">
                        <p class="notice-title">{tr!(i18n, connect.failed_title)}</p>
                        <p>{error.body.message}</p>
                    </div>
                })}
            </div>
            <div class="dialog-actions">
                <button
                    type="submit"
                    class="primary"
                    disabled=move || pending.get()
                    aria-describedby=status_id.clone()
                >
                    {tr!(i18n, if (pending.get()) connect.connecting else connect.submit)}
                </button>
                <p class="muted dialog-status" id=status_id role="status">
                    {move || {
                        if pending.get() {
                            Some(td_string!(i18n.get_locale(), connect.connecting_status))
                        } else if attempted.get()
                            && choice.get().is_some()
                            && !(complete() && servers_valid())
                        {
                            Some(td_string!(i18n.get_locale(), common.fix_errors))
                        } else {
                            None
                        }
                    }}
                </p>
            </div>
        </form>
    }
}
