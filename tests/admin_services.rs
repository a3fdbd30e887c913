//! Browser tests of the email service list (SPEC A1), its error state and the router.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_core::{MailService, Security, ServerEndpoint, ServiceKind};
use mail_services_web::api::ApiError;
use mail_services_web::app::App;
use mail_services_web::components::notice::ErrorNotice;
use mail_services_web::components::service_table::ServiceTable;
use support::{mount, table_rows, texts, wait_for};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn service(id: i64, name: &str, kind: ServiceKind, hidden: bool) -> MailService {
    MailService {
        id,
        name: name.to_owned(),
        kind,
        smtp: ServerEndpoint::new(
            format!("smtp.{}.com", name.to_lowercase()),
            465,
            Security::Tls,
        ),
        imap: ServerEndpoint::new(
            format!("imap.{}.com", name.to_lowercase()),
            143,
            Security::StartTls,
        ),
        hidden,
        position: id,
    }
}

#[wasm_bindgen_test]
fn service_list_shows_each_service_with_both_servers_and_their_security() {
    let services = vec![
        service(1, "Gmail", ServiceKind::Standard, false),
        service(2, "Contoso", ServiceKind::Corporate, false),
    ];
    let root = mount(move || view! { <ServiceTable services/> });
    assert_eq!(
        table_rows(&root),
        [
            [
                "Gmail Standard",
                "smtp.gmail.com:465 TLS",
                "imap.gmail.com:143 STARTTLS",
                "Shown"
            ],
            [
                "Contoso Corporate",
                "smtp.contoso.com:465 TLS",
                "imap.contoso.com:143 STARTTLS",
                "Shown"
            ],
        ]
    );
    assert_eq!(
        texts(&root, "thead th"),
        ["Name", "SMTP server", "IMAP server", "Visibility"]
    );
}

#[wasm_bindgen_test]
fn hidden_service_is_marked_hidden_in_words_not_only_by_colour() {
    let services = vec![service(1, "Rambler", ServiceKind::Standard, true)];
    let root = mount(move || view! { <ServiceTable services/> });
    assert_eq!(
        texts(&root, "tbody tr.hidden-service td:last-child"),
        ["Hidden"]
    );
}

#[wasm_bindgen_test]
fn an_empty_service_list_says_so() {
    let root = mount(|| view! { <ServiceTable services=vec![]/> });
    assert_eq!(texts(&root, ".empty"), ["No email services yet."]);
    assert!(root.query_selector("table").unwrap().is_none());
}

#[wasm_bindgen_test]
fn error_notice_is_announced_and_its_button_retries() {
    let retried = RwSignal::new(0);
    let error = ApiError {
        status: Some(500),
        body: mail_core::ApiErrorBody::new("internal_error", "Try again later."),
    };
    let root = mount(move || {
        view! { <ErrorNotice title="Could not load" error retry=Callback::new(move |()| retried.update(|n| *n += 1))/> }
    });
    assert_eq!(
        texts(&root, "[role=alert] p"),
        ["Could not load", "Try again later."]
    );
    let button: web_sys::HtmlButtonElement = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Try again");
    button.click();
    button.click();
    assert_eq!(retried.get_untracked(), 2);
}

/// The test runner's page server has no `/api`, so the page meets a real failed request.
#[wasm_bindgen_test]
async fn services_page_shows_why_loading_failed_and_offers_to_retry() {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some("/admin/email/services"),
        )
        .unwrap();
    let root = mount(App);
    assert_eq!(
        wait_for(&root, "h1").await.text_content().unwrap(),
        "Email service settings"
    );
    let alert = wait_for(&root, "[role=alert]").await;
    let text = alert.text_content().unwrap();
    assert!(
        text.contains("The email services could not be loaded"),
        "{text}"
    );
    assert!(
        text.contains("404"),
        "the message says what the server answered: {text}"
    );
    assert!(alert.query_selector("button").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn unknown_address_shows_the_not_found_page() {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/no/such/page"))
        .unwrap();
    let root = mount(App);
    let heading = wait_for(&root, "h1").await;
    assert_eq!(heading.text_content().unwrap(), "Page not found");
    assert!(texts(&root, "main a").contains(&"Email service settings".to_owned()));
}
