//! Browser tests of the Add/Edit service dialog (SPEC A2, A3, 4) and the modal dialog under it.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_core::Protocol;
use mail_core::{Security, ServerEndpoint, ServerInput, ServiceDraft, ValidService};
use mail_services_web::components::server_field::address_for_security;
use mail_services_web::components::service_dialog::ServiceDialog;
use support::{
    button_named, choose, find, focused, ids_labelled, labelled, marked_invalid, mount, press,
    sleep, texts, type_into,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the Add dialog; returns the page, what it applied, and how often it was cancelled.
fn add_dialog(
    other_names: Vec<String>,
) -> (HtmlElement, RwSignal<Option<ValidService>>, RwSignal<u32>) {
    let applied = RwSignal::new(None);
    let cancelled = RwSignal::new(0);
    let root = mount(move || {
        view! {
            <ServiceDialog
                other_names
                on_apply=Callback::new(move |service| applied.set(Some(service)))
                on_cancel=Callback::new(move |()| cancelled.update(|n| *n += 1))
            />
        }
    });
    (root, applied, cancelled)
}

fn field(root: &HtmlElement, label: &str) -> HtmlInputElement {
    labelled(root, label)
}

fn security(root: &HtmlElement, protocol: &str) -> HtmlSelectElement {
    labelled(root, &format!("Connection security for {protocol}"))
}

fn apply_button(root: &HtmlElement) -> HtmlButtonElement {
    button_named(root, "Add")
}

fn fill_valid(root: &HtmlElement) {
    type_into(&field(root, "Name"), "Fabrikam");
    type_into(&field(root, "SMTP server"), "smtp.fabrikam.com:465");
    type_into(&field(root, "IMAP server"), "imap.fabrikam.com:993");
}

#[wasm_bindgen_test]
async fn the_dialog_is_a_labelled_modal_and_focus_starts_in_the_name() {
    let (root, _, _) = add_dialog(vec![]);
    let dialog = find(&root, "[role=dialog]");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    let title = document().get_element_by_id(&title_id).unwrap();
    assert_eq!(title.text_content().unwrap(), "Add email service");
    sleep(50).await;
    assert_eq!(focused(), Some(field(&root, "Name").unchecked_into()));
}

/// SPEC 4: a missing port is an error beside the field, whose fix is one click.
#[wasm_bindgen_test]
async fn a_missing_port_is_reported_as_you_type_and_fixed_in_one_click() {
    let (root, applied, _) = add_dialog(vec![]);
    type_into(&field(&root, "Name"), "Fabrikam");
    type_into(&field(&root, "SMTP server"), "smtp.fabrikam.com:465");
    let imap = field(&root, "IMAP server");
    type_into(&imap, "imap.fabrikam.com");
    sleep(0).await;
    assert_eq!(imap.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = imap.get_attribute("aria-describedby").unwrap();
    let messages = document()
        .get_element_by_id(&described)
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        messages.contains("Error: IMAP server: the port is missing"),
        "{messages}"
    );
    // Add stays in the Tab order; pressed now, it applies nothing and points at the error.
    field(&root, "Name").focus().unwrap();
    apply_button(&root).click();
    sleep(50).await;
    assert!(applied.get_untracked().is_none(), "an error blocks Add");
    assert_eq!(focused(), Some(imap.clone().unchecked_into()));
    assert_eq!(
        texts(&root, ".dialog-status"),
        ["Correct the fields marked “Error” to continue."]
    );

    button_named(&root, "Use imap.fabrikam.com:993").click();
    sleep(0).await;
    assert_eq!(imap.value(), "imap.fabrikam.com:993");
    assert_eq!(imap.get_attribute("aria-invalid").as_deref(), Some("false"));
    assert!(texts(&root, ".dialog-status").iter().all(String::is_empty));
    apply_button(&root).click();
    let service = applied
        .get_untracked()
        .expect("the valid service was applied");
    assert_eq!(service.name, "Fabrikam");
    assert_eq!(
        service.imap,
        ServerEndpoint::new("imap.fabrikam.com", 993, Security::Tls)
    );
}

/// SPEC 4: a warning does not block, reads "Warning:" in words, and offers both fixes.
#[wasm_bindgen_test]
async fn a_port_that_does_not_fit_the_security_is_a_warning_with_two_fixes() {
    let (root, _, _) = add_dialog(vec![]);
    fill_valid(&root);
    let imap = field(&root, "IMAP server");
    type_into(&imap, "imap.fabrikam.com:143");
    sleep(0).await;
    let warnings = texts(&root, ".message-warning p");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("Warning: IMAP server: port 143"),
        "{warnings:?}"
    );
    assert!(texts(&root, ".message-error").is_empty());
    assert!(!apply_button(&root).disabled(), "warnings do not block");
    button_named(&root, "Use imap.fabrikam.com:993").click();
    sleep(0).await;
    assert_eq!(imap.value(), "imap.fabrikam.com:993");
    assert_eq!(security(&root, "IMAP").value(), "tls");
    assert!(texts(&root, ".message-warning").is_empty());

    type_into(&imap, "imap.fabrikam.com:143");
    sleep(0).await;
    button_named(&root, "Use imap.fabrikam.com:143 with STARTTLS").click();
    sleep(0).await;
    assert_eq!(security(&root, "IMAP").value(), "starttls");
    assert_eq!(imap.value(), "imap.fabrikam.com:143");
    assert!(texts(&root, ".message-warning").is_empty());
}

/// Choosing TLS for IMAP on 143 moves the port to 993, the way mail clients do.
#[wasm_bindgen_test]
async fn choosing_a_security_moves_a_usual_port_to_that_securitys_port() {
    let (root, _, _) = add_dialog(vec![]);
    let imap = field(&root, "IMAP server");
    choose(&security(&root, "IMAP"), "starttls");
    type_into(&imap, "imap.fabrikam.com:143");
    choose(&security(&root, "IMAP"), "tls");
    sleep(0).await;
    assert_eq!(imap.value(), "imap.fabrikam.com:993");
    let smtp = field(&root, "SMTP server");
    type_into(&smtp, "smtp.fabrikam.com:465");
    choose(&security(&root, "SMTP"), "starttls");
    sleep(0).await;
    assert_eq!(smtp.value(), "smtp.fabrikam.com:587");
    type_into(&smtp, "smtp.fabrikam.com:2525");
    choose(&security(&root, "SMTP"), "tls");
    sleep(0).await;
    assert_eq!(
        smtp.value(),
        "smtp.fabrikam.com:2525",
        "an unusual port is the admin's choice"
    );
}

#[wasm_bindgen_test]
fn the_port_follows_the_security_only_from_a_usual_port() {
    let smtp = Protocol::Smtp;
    assert_eq!(
        address_for_security(smtp, "mail.x.com:25", Security::None, Security::Tls).as_deref(),
        Some("mail.x.com:465")
    );
    assert_eq!(
        address_for_security(smtp, "mail.x.com:25", Security::None, Security::StartTls),
        None
    );
    assert_eq!(
        address_for_security(smtp, "mail.x.com", Security::None, Security::Tls),
        None
    );
}

#[wasm_bindgen_test]
async fn a_pasted_imaps_url_chooses_tls_and_a_unicode_host_shows_its_ascii_form() {
    let (root, _, _) = add_dialog(vec![]);
    choose(&security(&root, "IMAP"), "none");
    let imap = field(&root, "IMAP server");
    type_into(&imap, "imaps://почта.рф");
    sleep(0).await;
    assert_eq!(security(&root, "IMAP").value(), "tls");
    let hint = texts(&root, ".hint").join(" ");
    assert!(hint.contains("xn--80a1acny.xn--p1ai:993"), "{hint}");
    assert!(hint.contains("почта.рф:993"), "{hint}");
}

/// SPEC A2: names are unique ignoring case, among the services there will be after the save.
#[wasm_bindgen_test]
async fn a_name_already_used_is_caught_before_saving() {
    let (root, applied, _) = add_dialog(vec!["Gmail".into(), "Contoso Mail".into()]);
    fill_valid(&root);
    let name = field(&root, "Name");
    type_into(&name, " contoso mail ");
    sleep(0).await;
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let text = texts(&root, ".message-error").join(" ");
    assert!(
        text.contains("already a service named “Contoso Mail”"),
        "{text}"
    );
    let form: web_sys::HtmlFormElement = find(&root, "form").unchecked_into();
    form.request_submit().unwrap();
    assert!(
        applied.get_untracked().is_none(),
        "Enter does not get past the check"
    );
}

/// Issue 13, item 8: a name that only looks like another (a Cyrillic letter, full-width letters)
/// or holds an invisible character is caught as the administrator types, saying which service it
/// resembles or which character to remove.
#[wasm_bindgen_test]
async fn a_look_alike_or_invisible_name_is_caught_as_one_types() {
    let (root, applied, _) = add_dialog(vec!["Gmail".into(), "Contoso Mail".into()]);
    fill_valid(&root);
    let name = field(&root, "Name");
    for look_alike in ["Gmаil", "Ｇｍａｉｌ", "GMAİL", "Cоntoso Mail"] {
        type_into(&name, look_alike);
        sleep(0).await;
        assert_eq!(
            name.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{look_alike}"
        );
        let text = texts(&root, ".message-error").join(" ");
        assert!(
            text.contains("looks like the existing service “"),
            "{look_alike}: {text}"
        );
    }
    type_into(&name, "Gm\u{200B}ail");
    sleep(0).await;
    let text = texts(&root, ".message-error").join(" ");
    assert!(text.contains("invisible character U+200B"), "{text}");
    let form: web_sys::HtmlFormElement = find(&root, "form").unchecked_into();
    form.request_submit().unwrap();
    assert!(applied.get_untracked().is_none());
    type_into(&name, "Fabrikam");
    sleep(0).await;
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("false"));
}

/// An empty Add dialog does not say "correct the fields marked Error" with none marked: Add stays
/// enabled, and pressing it marks every empty field and takes the focus to the first (issue 8).
#[wasm_bindgen_test]
async fn pressing_add_on_an_empty_dialog_marks_every_missing_field() {
    let (root, applied, _) = add_dialog(vec![]);
    sleep(50).await;
    assert!(!apply_button(&root).disabled());
    assert!(texts(&root, ".dialog-status").iter().all(String::is_empty));
    assert_eq!(
        texts(&root, ".required-note"),
        ["Fields marked * are required."]
    );
    assert!(marked_invalid(&root).is_empty());

    apply_button(&root).click();
    sleep(50).await;
    assert!(applied.get_untracked().is_none());
    assert_eq!(
        marked_invalid(&root),
        ids_labelled(&root, &["Name", "SMTP server", "IMAP server"])
    );
    assert_eq!(focused(), Some(field(&root, "Name").unchecked_into()));
    assert_eq!(
        texts(&root, ".dialog-status"),
        ["Correct the fields marked “Error” to continue."]
    );
    assert_eq!(
        texts(&root, ".message-error").len(),
        3,
        "{}",
        root.inner_html()
    );
}

/// Issue 13, item 13: leaving an empty field says nothing yet (a message appearing then would move
/// the buttons from under the pointer of the click that took the focus away); Add judges it.
#[wasm_bindgen_test]
async fn leaving_an_empty_field_shows_no_message_until_add_is_pressed() {
    let (root, _, _) = add_dialog(vec![]);
    sleep(50).await;
    for label in ["Name", "SMTP server", "IMAP server"] {
        let input = field(&root, label);
        input.focus().unwrap();
        input.blur().unwrap();
    }
    sleep(50).await;
    assert!(marked_invalid(&root).is_empty(), "{}", root.inner_html());
    assert!(texts(&root, ".message").is_empty(), "{}", root.inner_html());
    apply_button(&root).click();
    sleep(50).await;
    assert_eq!(texts(&root, ".message-error").len(), 3);
}

#[wasm_bindgen_test]
async fn the_edit_dialog_starts_from_the_service_and_says_which() {
    let initial = ServiceDraft {
        name: "Contoso Mail".into(),
        smtp: ServerInput {
            address: "mail.contoso.com:465".into(),
            security: Security::Tls,
        },
        imap: ServerInput {
            address: "mail.contoso.com:993".into(),
            security: Security::Tls,
        },
    };
    let root = mount(move || {
        view! {
            <ServiceDialog
                initial
                other_names=vec!["Gmail".into()]
                on_apply=Callback::new(|_| {})
                on_cancel=Callback::new(|()| {})
            />
        }
    });
    sleep(0).await;
    assert_eq!(texts(&root, "[role=dialog] h2"), ["Edit Contoso Mail"]);
    assert_eq!(field(&root, "Name").value(), "Contoso Mail");
    assert_eq!(field(&root, "IMAP server").value(), "mail.contoso.com:993");
    assert!(!button_named(&root, "Apply").disabled());
}

/// The opener, the dialog it opens, and whether it is open.
fn opener_and_dialog() -> (HtmlElement, RwSignal<bool>) {
    let open = RwSignal::new(false);
    let root = mount(move || {
        let close = Callback::new(move |()| open.set(false));
        view! {
            <button type="button" on:click=move |_| open.set(true)>"+ Add"</button>
            <Show when=move || open.get()>
                <ServiceDialog other_names=vec![] on_apply=Callback::new(|_| {}) on_cancel=close/>
            </Show>
        }
    });
    (root, open)
}

#[wasm_bindgen_test]
async fn esc_closes_the_dialog_and_the_focus_returns_to_the_opener() {
    let (root, open) = opener_and_dialog();
    let opener = button_named(&root, "+ Add");
    opener.focus().unwrap();
    opener.click();
    sleep(50).await;
    assert_eq!(focused(), Some(field(&root, "Name").unchecked_into()));
    press("Escape", false);
    sleep(50).await;
    assert!(!open.get_untracked());
    assert!(root.query_selector("[role=dialog]").unwrap().is_none());
    assert_eq!(focused(), Some(opener.unchecked_into()));
}

#[wasm_bindgen_test]
async fn cancel_closes_the_dialog_and_the_focus_returns_to_the_opener() {
    let (root, open) = opener_and_dialog();
    let opener = button_named(&root, "+ Add");
    opener.focus().unwrap();
    opener.click();
    sleep(50).await;
    button_named(&root, "Cancel").click();
    sleep(50).await;
    assert!(!open.get_untracked());
    assert_eq!(focused(), Some(opener.unchecked_into()));
}

#[wasm_bindgen_test]
async fn tab_and_shift_tab_wrap_around_inside_the_dialog() {
    let (root, _, _) = add_dialog(vec![]);
    sleep(50).await;
    let name = field(&root, "Name");
    let cancel = button_named(&root, "Cancel");
    cancel.focus().unwrap();
    press("Tab", false);
    assert_eq!(
        focused(),
        Some(name.clone().unchecked_into()),
        "Tab from the last goes to the first"
    );
    press("Tab", true);
    assert_eq!(
        focused(),
        Some(cancel.unchecked_into()),
        "Shift+Tab from the first goes to the last"
    );
}
