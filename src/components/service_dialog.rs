//! The "+ Add" / Edit dialog of a corporate service (SPEC A2, A3): name and both servers, judged
//! as typed by the core crate; only a valid service can be applied to the list. The button stays
//! enabled (a disabled one is skipped by Tab and cannot say why): pressing it with something wrong
//! marks every field in error and takes the focus to the first.

use leptos::prelude::*;
use mail_core::{
    Field, NameIndex, Protocol, Security, ServerInput, ServiceDraft, ValidService, check_service_in,
};

use crate::components::dialog::Dialog;
use crate::components::notice::FieldMessage;
use crate::components::server_field::ServerField;
use crate::components::{focus_within, unique_id};
use crate::i18n::*;

/// Adds a service (`initial` is `None`) or edits one.
#[component]
pub fn ServiceDialog(
    /// The service as it is now, for Edit; `None` for Add.
    #[prop(optional)]
    initial: Option<ServiceDraft>,
    /// The names of the services that will exist after the save, this one left out
    /// (`Staged::other_names`): a name may not repeat one of them.
    other_names: Vec<String>,
    /// The valid service, when the administrator applies it.
    on_apply: Callback<ValidService>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = initial.is_some();
    let editing_name = initial.as_ref().map(|draft| draft.name.clone());
    let title = Signal::derive(text_with(i18n, move |locale| match &editing_name {
        Some(name) => td_string!(locale, service_dialog.title_edit, name),
        None => td_string!(locale, service_dialog.title_add).to_owned(),
    }));
    let draft = initial.unwrap_or_else(|| ServiceDraft {
        name: String::new(),
        smtp: ServerInput {
            address: String::new(),
            security: Security::Tls,
        },
        imap: ServerInput {
            address: String::new(),
            security: Security::Tls,
        },
    });
    let name = RwSignal::new(draft.name);
    let smtp_address = RwSignal::new(draft.smtp.address);
    let smtp_security = RwSignal::new(draft.smtp.security);
    let imap_address = RwSignal::new(draft.imap.address);
    let imap_security = RwSignal::new(draft.imap.security);
    // Keyed once: each keystroke is then one look-up, however long the list.
    let other_names = StoredValue::new(NameIndex::new(other_names));
    let current = move || ServiceDraft {
        name: name.get(),
        smtp: ServerInput {
            address: smtp_address.get(),
            security: smtp_security.get(),
        },
        imap: ServerInput {
            address: imap_address.get(),
            security: imap_security.get(),
        },
    };
    let check = Memo::new(move |_| {
        let draft = current();
        other_names.with_value(|names| check_service_in(&draft, names, None))
    });
    let valid = move || check.with(|c| c.is_valid());
    // Pressed with something wrong: every field shows its errors, empty or not. An empty field is
    // judged only then, not when it loses the focus: a message appearing on blur would push the
    // buttons down between the press and the release of the click that took the focus away, and
    // the click would be lost (issue 13, item 13).
    let attempted = RwSignal::new(false);
    let name_error = move || {
        let shown = attempted.get() || name.with(|n| !n.is_empty());
        if shown {
            check.with(|c| c.name.clone().err())
        } else {
            None
        }
    };
    let name_id = unique_id("service-name");
    let name_messages = format!("{name_id}-messages");
    let status_id = unique_id("service-dialog-status");
    let form = NodeRef::<leptos::html::Form>::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match check
            .get_untracked()
            .into_result(lang(i18n.get_locale_untracked()))
        {
            Ok(service) => on_apply.run(service),
            Err(_) => {
                attempted.set(true);
                focus_within(form, "[aria-invalid=true]".to_owned());
            }
        }
    };
    view! {
        <Dialog title on_close=on_cancel>
            <form class="service-form" node_ref=form on:submit=submit novalidate>
                <p class="dialog-intro">{tr!(i18n, service_dialog.intro)}</p>
                <p class="hint required-note">{tr!(i18n, common.required_note)}</p>
                <div class="field">
                    <label for=name_id.clone() class="required">
                        {text(i18n, |locale| Field::Name.label(lang(locale)))}
                    </label>
                    <input
                        id=name_id
                        type="text"
                        autocomplete="off"
                        required
                        data-autofocus
                        prop:value=move || name.get()
                        aria-invalid=move || name_error().is_some().to_string()
                        aria-describedby=name_messages.clone()
                        on:input=move |event| name.set(event_target_value(&event))
                    />
                    <div class="field-messages" id=name_messages>
                        {move || {
                            name_error().map(|error| {
                                let message = error.message(lang(i18n.get_locale()));
                                view! { <FieldMessage message/> }
                            })
                        }}
                    </div>
                </div>
                <ServerField
                    protocol=Protocol::Smtp
                    address=smtp_address
                    security=smtp_security
                    reveal=attempted
                />
                <ServerField
                    protocol=Protocol::Imap
                    address=imap_address
                    security=imap_security
                    reveal=attempted
                />
                <div class="dialog-actions">
                    <button type="submit" class="primary" aria-describedby=status_id.clone()>
                        {tr!(i18n, if (editing) service_dialog.apply else service_dialog.add)}
                    </button>
                    <button type="button" on:click=move |_| on_cancel.run(())>
                        {tr!(i18n, common.cancel)}
                    </button>
                    <p class="muted dialog-status" id=status_id>
                        {move || (attempted.get() && !valid()).then(|| tr!(i18n, common.fix_errors))}
                    </p>
                </div>
            </form>
        </Dialog>
    }
}
