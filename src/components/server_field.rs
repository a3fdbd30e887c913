//! One server of a service, `host:port` and its connection security (SPEC 4): judged by the core
//! crate as it is typed, with each problem beside the field and each proposed fix one click away.
//! The admin's service dialog and the user's "Other" form both use it.

use leptos::prelude::*;
use mail_core::messages::security_control_label;
use mail_core::ports::{is_usual_port, security_fits_port};
use mail_core::{
    Field, Fix, Protocol, Security, ServerCheck, ServerEndpoint, parse_server, usual_port,
};

use crate::components::unique_id;
use crate::i18n::*;

/// The address after choosing `new` security, the way mail clients do it: a usual port of the
/// protocol that does not go with the new security becomes that security's usual port (IMAP 143
/// becomes 993 when TLS is chosen). Any other address is left as typed (`None`).
pub fn address_for_security(
    protocol: Protocol,
    address: &str,
    old: Security,
    new: Security,
) -> Option<String> {
    let check = parse_server(protocol, old, address);
    let (host, port) = (check.host.as_ref()?, check.port?);
    if !check.is_valid()
        || !is_usual_port(protocol, port)
        || security_fits_port(protocol, port, new)
    {
        return None;
    }
    Some(ServerEndpoint::new(host.clone(), usual_port(protocol, new), new).to_string())
}

/// What a fix button says: "Use imap.x.com:993", or "… with TLS" when it changes the security.
pub fn fix_label(fix: &Fix, current: Security, locale: Locale) -> String {
    let address = &fix.address;
    if fix.security == current {
        td_string!(locale, server_field.fix, address)
    } else {
        let security = fix.security.label_in(lang(locale));
        td_string!(locale, server_field.fix_with_security, address, security)
    }
}

/// The SMTP or IMAP server field with its "Connection security" choice, and what the check says.
#[component]
pub fn ServerField(
    protocol: Protocol,
    /// `host:port` as typed.
    address: RwSignal<String>,
    security: RwSignal<Security>,
    /// Show the errors of an empty field too (after an attempt to save).
    #[prop(optional, into)]
    reveal: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_id = unique_id(protocol.code());
    let security_id = format!("{field_id}-security");
    let messages_id = format!("{field_id}-messages");
    let check = Memo::new(move |_| address.with(|a| parse_server(protocol, security.get(), a)));
    // An empty field is judged when the form is submitted, not when it loses the focus: a message
    // appearing on blur would move the buttons below from under the pointer mid-click (issue 13,
    // item 13). What was typed is judged as it is typed.
    let shown = move || reveal.get() || address.with(|a| !a.trim().is_empty());
    let invalid = move || shown() && check.with(|c| !c.is_valid());
    let apply = move |fix: Fix| {
        address.set(fix.address);
        security.set(fix.security);
    };
    let on_input = move |event: leptos::ev::Event| {
        let typed = event_target_value(&event);
        // A pasted imaps:// or smtps:// URL says TLS: the control follows it.
        let said = parse_server(protocol, security.get_untracked(), &typed).security;
        address.set(typed);
        if said != security.get_untracked() {
            security.set(said);
        }
    };
    let on_blur = move |_| {
        // The stored form: lower case, punycode, no URL scheme.
        if let Some(normal) = check.with_untracked(ServerCheck::address)
            && address.with_untracked(|a| *a != normal)
        {
            address.set(normal);
        }
    };
    let on_security = move |event: leptos::ev::Event| {
        let Some(new) = Security::from_code(&event_target_value(&event)) else {
            return;
        };
        let old = security.get_untracked();
        if let Some(adjusted) =
            address.with_untracked(|a| address_for_security(protocol, a, old, new))
        {
            address.set(adjusted);
        }
        security.set(new);
    };
    let label = text_with(i18n, move |locale| {
        Field::server(protocol).label(lang(locale)).to_owned()
    });
    let placeholder = match protocol {
        Protocol::Smtp => "smtp.example.com:465",
        Protocol::Imap => "imap.example.com:993",
    };
    let messages = move || {
        let lang = lang(i18n.get_locale());
        let check = check.get();
        let current = check.security;
        let errors = if shown() {
            check.errors.clone()
        } else {
            Vec::new()
        };
        let errors = errors
            .into_iter()
            .map(|error| {
                let fix = error.fix().cloned();
                view! {
                    <div class="message message-error">
                        <p>
                            <span class="message-kind">{tr!(i18n, common.error)}</span>
                            " "
                            {error.message(lang, protocol)}
                        </p>
                        {fix.map(|fix| view! { <FixButton fix current apply/> })}
                    </div>
                }
            })
            .collect_view();
        let warnings = check
            .warnings
            .iter()
            .map(|warning| {
                let fixes: Vec<Fix> = std::iter::once(warning.fix().clone())
                    .chain(warning.alternative().cloned())
                    .collect();
                view! {
                    <div class="message message-warning">
                        <p>
                            <span class="message-kind">{tr!(i18n, common.warning)}</span>
                            " "
                            {warning.message(lang, protocol)}
                        </p>
                        <div class="fixes">
                            {fixes
                                .into_iter()
                                .map(|fix| view! { <FixButton fix current apply/> })
                                .collect_view()}
                        </div>
                    </div>
                }
            })
            .collect_view();
        let unicode = check
            .unicode_address()
            .zip(check.address())
            .map(|(unicode, ascii)| {
                view! {
                    <p class="hint">
                        {move || td!(
                            i18n.get_locale(),
                            server_field.saved_as,
                            ascii = ascii.clone(),
                            unicode = unicode.clone(),
                            <code> = |children: ChildrenFn| view! { <code>{children()}</code> }
                        )}
                    </p>
                }
            });
        view! { {errors} {warnings} {unicode} }
    };
    view! {
        <div class="server-field">
            <div class="field server-address">
                <label for=field_id.clone() class="required">{label}</label>
                <input
                    id=field_id
                    type="text"
                    inputmode="url"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    placeholder=placeholder
                    prop:value=move || address.get()
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=messages_id.clone()
                    on:input=on_input
                    on:blur=on_blur
                />
            </div>
            <div class="field server-security">
                <label for=security_id.clone()>
                    {text(i18n, |locale| security_control_label(lang(locale)))}
                    <span class="visually-hidden">
                        " "
                        {tr!(i18n, server_field.for_protocol, protocol = protocol.label())}
                    </span>
                </label>
                <select id=security_id on:change=on_security>
                    {Security::ALL
                        .into_iter()
                        .map(|choice| {
                            view! {
                                <option
                                    value=choice.code()
                                    prop:selected=move || security.get() == choice
                                >
                                    {text_with(i18n, move |locale| {
                                        choice.label_in(lang(locale)).to_owned()
                                    })}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field-messages" id=messages_id>
                {messages}
            </div>
        </div>
    }
}

/// One click applies a proposed address and security.
#[component]
fn FixButton(fix: Fix, current: Security, apply: impl Fn(Fix) + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let label = {
        let fix = fix.clone();
        text_with(i18n, move |locale| fix_label(&fix, current, locale))
    };
    view! {
        <button type="button" class="fix" on:click=move |_| apply(fix.clone())>
            {label}
        </button>
    }
}
