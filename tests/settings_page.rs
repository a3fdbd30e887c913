//! Browser tests of the settings page's staged changes (SPEC A4, A5, A6, A7, A8): marks on the
//! rows, the unsaved-changes bar, discarding, and a failed save that loses nothing.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_core::{MailService, Security, ServerEndpoint, ServiceKind, SettingsDocument};
use mail_services_web::pages::admin_services::SettingsEditor;
use support::{
    button_named, find, focused, labelled, mount, sleep, table_rows, texts, type_into, wait_for,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn service(id: i64, name: &str, kind: ServiceKind, mailbox_count: u64) -> MailService {
    let host = name.to_lowercase().replace(' ', "");
    MailService {
        id,
        name: name.to_owned(),
        kind,
        smtp: ServerEndpoint::new(format!("smtp.{host}.com"), 465, Security::Tls),
        imap: ServerEndpoint::new(format!("imap.{host}.com"), 993, Security::Tls),
        hidden: false,
        position: id,
        mailbox_count,
    }
}

fn document() -> SettingsDocument {
    SettingsDocument {
        version: 7,
        allow_manual_entry: true,
        business_process_sending: false,
        services: vec![
            service(1, "Gmail", ServiceKind::Standard, 1),
            service(2, "Contoso Mail", ServiceKind::Corporate, 2),
        ],
    }
}

fn page() -> HtmlElement {
    mount(|| view! { <SettingsEditor document=document()/> })
}

/// Adds the corporate service Fabrikam through "+ Add" and its dialog.
async fn add_fabrikam(root: &HtmlElement) {
    button_named(root, "+ Add").click();
    sleep(50).await;
    type_into(&labelled(root, "Name"), "Fabrikam");
    type_into(&labelled(root, "SMTP server"), "smtp.fabrikam.com:465");
    type_into(&labelled(root, "IMAP server"), "imap.fabrikam.com:993");
    sleep(0).await;
    button_named(root, "Add").click();
    sleep(50).await;
}

fn bar(root: &HtmlElement) -> Vec<String> {
    texts(root, ".settings-bar .settings-bar-count")
}

fn marks(root: &HtmlElement) -> Vec<String> {
    texts(root, "tbody .change-tag")
}

#[wasm_bindgen_test]
async fn a_fresh_page_lists_every_service_and_has_nothing_to_save() {
    let root = page();
    let rows = table_rows(&root);
    assert_eq!(rows[0][0], "Gmail Standard");
    assert_eq!(
        rows[1][..5],
        [
            "Contoso Mail Corporate",
            "smtp.contosomail.com:465 TLS",
            "imap.contosomail.com:993 TLS",
            "Shown",
            "2"
        ]
    );
    assert!(bar(&root).is_empty());
    // Standard services are only hidden or shown.
    button_named(&root, "Hide Gmail");
    assert!(
        root.query_selector("[aria-label='Edit Gmail']")
            .unwrap()
            .is_none()
    );
    assert!(
        root.query_selector("[aria-label='Delete Gmail']")
            .unwrap()
            .is_none()
    );
    button_named(&root, "Edit Contoso Mail");
    button_named(&root, "Delete Contoso Mail");
}

/// SPEC A5, A8: hiding is staged, marked in words, counted in the bar, and undone by Undo.
#[wasm_bindgen_test]
async fn hiding_a_service_is_staged_marked_and_undone() {
    let root = page();
    let hide = button_named(&root, "Hide Gmail");
    hide.focus().unwrap();
    hide.click();
    sleep(0).await;
    assert_eq!(marks(&root), ["Will be hidden"]);
    assert_eq!(bar(&root), ["Unsaved changes (1)"]);
    assert_eq!(table_rows(&root)[0][3], "Hidden");
    assert_eq!(
        hide.get_attribute("aria-label").as_deref(),
        Some("Show Gmail")
    );
    assert_eq!(
        focused(),
        Some(hide.unchecked_into()),
        "the button keeps the focus"
    );
    button_named(&root, "Undo changes to Gmail").click();
    sleep(0).await;
    assert!(marks(&root).is_empty());
    assert!(bar(&root).is_empty());
}

/// SPEC A6, A7: the two company switches are staged like the rows.
#[wasm_bindgen_test]
async fn the_company_switches_are_staged() {
    let root = page();
    let manual: HtmlInputElement =
        labelled(&root, "Allow entering details of the mail server manually");
    assert!(manual.checked());
    manual.click();
    let sending: HtmlInputElement = labelled(
        &root,
        "Allow business processes to send mail from users' personal addresses (Send personal email block)",
    );
    assert!(!sending.checked());
    sending.click();
    sleep(0).await;
    assert_eq!(bar(&root), ["Unsaved changes (2)"]);
    assert_eq!(
        texts(&root, ".policies .change-tag"),
        ["Changed", "Changed"]
    );
}

/// SPEC A2, A8: a service added through the dialog is listed as New until the save.
#[wasm_bindgen_test]
async fn an_added_service_is_listed_as_new() {
    let root = page();
    button_named(&root, "+ Add").click();
    sleep(50).await;
    type_into(&labelled(&root, "Name"), "GMAIL");
    sleep(0).await;
    button_named(&root, "Add").click();
    sleep(0).await;
    assert_eq!(
        labelled::<HtmlInputElement>(&root, "Name")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true"),
        "Gmail is taken"
    );
    assert!(
        root.query_selector("[role=dialog]").unwrap().is_some(),
        "not added: the dialog stays open"
    );
    assert_eq!(table_rows(&root).len(), 2);
    type_into(&labelled(&root, "Name"), "Fabrikam");
    type_into(&labelled(&root, "SMTP server"), "smtp.fabrikam.com:465");
    type_into(&labelled(&root, "IMAP server"), "imap.fabrikam.com:993");
    sleep(0).await;
    button_named(&root, "Add").click();
    sleep(50).await;
    assert!(root.query_selector("[role=dialog]").unwrap().is_none());
    let rows = table_rows(&root);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2][0], "Fabrikam Corporate New");
    assert_eq!(bar(&root), ["Unsaved changes (1)"]);
}

/// Undo on an added row takes the row away with its reactive values; the focus move that follows
/// Undo must not touch them (it did, and the app stopped with "value already disposed").
#[wasm_bindgen_test]
async fn undoing_an_added_service_removes_it_and_the_page_goes_on() {
    let errors = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let record = {
        let errors = errors.clone();
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(
            move |event: web_sys::ErrorEvent| errors.borrow_mut().push(event.message()),
        )
    };
    window()
        .add_event_listener_with_callback("error", record.as_ref().unchecked_ref())
        .unwrap();
    let root = page();
    add_fabrikam(&root).await;
    assert_eq!(table_rows(&root).len(), 3);

    button_named(&root, "Undo changes to Fabrikam").click();
    sleep(100).await;
    window()
        .remove_event_listener_with_callback("error", record.as_ref().unchecked_ref())
        .unwrap();
    assert_eq!(
        errors.borrow().as_slice(),
        [] as [String; 0],
        "the app failed"
    );
    assert_eq!(table_rows(&root).len(), 2);
    assert!(bar(&root).is_empty(), "nothing left to save");
    button_named(&root, "Hide Gmail").click();
    sleep(0).await;
    assert_eq!(bar(&root), ["Unsaved changes (1)"], "the page still works");
}

/// SPEC A3: an edit is staged and marked; the dialog starts from the row.
#[wasm_bindgen_test]
async fn an_edited_service_is_marked_edited() {
    let root = page();
    button_named(&root, "Edit Contoso Mail").click();
    sleep(50).await;
    let imap: HtmlInputElement = labelled(&root, "IMAP server");
    assert_eq!(imap.value(), "imap.contosomail.com:993");
    type_into(&imap, "mail.contoso.com:993");
    sleep(0).await;
    button_named(&root, "Apply").click();
    sleep(50).await;
    assert_eq!(marks(&root), ["Edited"]);
    assert_eq!(table_rows(&root)[1][2], "mail.contoso.com:993 TLS");
}

/// SPEC A4, A8: a deleted service stays in the list, struck through and marked, with Undo. The
/// test server has no API, so the dialog shows why it could not list the mailboxes.
#[wasm_bindgen_test]
async fn a_deleted_service_stays_listed_until_the_save_and_can_be_undone() {
    let root = page();
    button_named(&root, "Delete Contoso Mail").click();
    let dialog = wait_for(&root, "[role=dialog]").await;
    assert_eq!(texts(&dialog, "h2"), ["Delete Contoso Mail?"]);
    wait_for(&dialog, "[role=alert]").await;
    let text = dialog.text_content().unwrap();
    assert!(
        text.contains("Could not find out whose mailboxes use this service"),
        "{text}"
    );
    button_named(&dialog, "Delete").click();
    sleep(50).await;
    assert!(root.query_selector("[role=dialog]").unwrap().is_none());
    assert_eq!(marks(&root), ["Will be deleted"]);
    find(&root, "tr.row-deleted");
    assert_eq!(bar(&root), ["Unsaved changes (1)"]);
    let undo = button_named(&root, "Undo changes to Contoso Mail");
    assert_eq!(
        focused(),
        Some(undo.clone().unchecked_into()),
        "the focus goes to Undo"
    );
    undo.click();
    sleep(0).await;
    assert!(marks(&root).is_empty());
}

#[wasm_bindgen_test]
async fn deleting_a_service_not_saved_yet_asks_no_server() {
    let root = page();
    add_fabrikam(&root).await;
    button_named(&root, "Delete Fabrikam").click();
    let dialog = wait_for(&root, "[role=dialog]").await;
    let text = dialog.text_content().unwrap();
    assert!(
        text.contains("Fabrikam is not saved yet, so no mailbox uses it."),
        "{text}"
    );
    button_named(&dialog, "Delete").click();
    sleep(50).await;
    assert_eq!(table_rows(&root).len(), 2);
    assert!(bar(&root).is_empty());
}

/// SPEC A8: Discard asks once more, then drops every change.
#[wasm_bindgen_test]
async fn discard_asks_then_drops_every_change() {
    let root = page();
    button_named(&root, "Hide Gmail").click();
    button_named(&root, "Hide Contoso Mail").click();
    sleep(0).await;
    assert_eq!(bar(&root), ["Unsaved changes (2)"]);
    button_named(&root, "Discard").click();
    sleep(50).await;
    assert_eq!(
        texts(&root, ".settings-bar-question"),
        ["Discard all 2 unsaved changes?"]
    );
    button_named(&root, "Keep them").click();
    sleep(0).await;
    assert_eq!(marks(&root).len(), 2, "keeping them keeps them");
    button_named(&root, "Discard").click();
    sleep(0).await;
    button_named(&root, "Yes, discard").click();
    sleep(0).await;
    assert!(marks(&root).is_empty());
    assert!(bar(&root).is_empty());
}

/// The test server has no API: the save fails, says why, and every change stays.
#[wasm_bindgen_test]
async fn a_failed_save_says_why_and_keeps_the_changes() {
    let root = page();
    button_named(&root, "Hide Gmail").click();
    sleep(0).await;
    button_named(&root, "Save").click();
    let alert = wait_for(&root, ".notice-error[role=alert]").await;
    let text = alert.text_content().unwrap();
    assert!(text.contains("Not saved"), "{text}");
    assert!(
        text.contains("Your changes are still on this page"),
        "{text}"
    );
    assert_eq!(marks(&root), ["Will be hidden"]);
    assert_eq!(bar(&root), ["Unsaved changes (1)"]);
    assert!(!button_named(&root, "Save").disabled());
}

#[wasm_bindgen_test]
async fn the_search_box_filters_by_name_or_server() {
    let root = page();
    let search: HtmlInputElement = labelled(&root, "Search services");
    type_into(&search, "CONTOSO");
    sleep(0).await;
    assert_eq!(table_rows(&root).len(), 1);
    type_into(&search, "smtp.gmail");
    sleep(0).await;
    assert_eq!(table_rows(&root)[0][0], "Gmail Standard");
    type_into(&search, "nothing like it");
    sleep(0).await;
    assert_eq!(
        texts(&root, ".empty"),
        ["No service matches “nothing like it”."]
    );
}
