//! Browser tests of the email service list (SPEC A1), its error state, and who reaches the page.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_core::{MailService, Security, ServerEndpoint, ServiceKind, SettingsDocument};
use mail_services_web::api::ApiError;
use mail_services_web::app::{App, Pages};
use mail_services_web::components::notice::ErrorNotice;
use mail_services_web::components::service_table::ServiceTable;
use mail_services_web::session::{Session, SessionState};
use mail_services_web::staging::Staged;
use support::{administrator, go_to, mount, table_rows, texts, user, wait_for, wait_for_path};
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
        mailbox_count: 0,
    }
}

/// The list as the page shows it, with nothing staged.
fn table(services: Vec<MailService>) -> impl IntoView {
    let staged = RwSignal::new(Staged::new(SettingsDocument {
        version: 1,
        allow_manual_entry: true,
        business_process_sending: true,
        services,
    }));
    view! { <ServiceTable staged on_action=Callback::new(|_| {})/> }
}

#[wasm_bindgen_test]
fn service_list_shows_each_service_with_both_servers_their_security_and_mailbox_count() {
    let services = vec![
        service(1, "Gmail", ServiceKind::Standard, false),
        MailService {
            mailbox_count: 2,
            ..service(2, "Contoso", ServiceKind::Corporate, false)
        },
    ];
    let root = mount(move || table(services));
    assert_eq!(
        table_rows(&root),
        [
            [
                "Gmail Standard",
                "smtp.gmail.com:465 TLS",
                "imap.gmail.com:143 STARTTLS",
                "Shown",
                "0",
                ""
            ],
            [
                "Contoso Corporate",
                "smtp.contoso.com:465 TLS",
                "imap.contoso.com:143 STARTTLS",
                "Shown",
                "2",
                ""
            ],
        ]
    );
    assert_eq!(
        texts(&root, "thead th"),
        [
            "Name",
            "SMTP server",
            "IMAP server",
            "Visibility",
            "Mailboxes",
            "Actions"
        ]
    );
}

#[wasm_bindgen_test]
fn hidden_service_is_marked_hidden_in_words_not_only_by_colour() {
    let services = vec![service(1, "Rambler", ServiceKind::Standard, true)];
    let root = mount(move || table(services));
    assert_eq!(
        texts(&root, "tbody tr.hidden-service td.visibility"),
        ["Hidden"]
    );
}

#[wasm_bindgen_test]
fn an_empty_service_list_says_so() {
    let root = mount(|| table(vec![]));
    assert_eq!(texts(&root, ".empty"), ["No email services yet."]);
    assert!(root.query_selector("table").unwrap().is_none());
}

#[wasm_bindgen_test]
fn error_notice_is_announced_and_its_button_retries() {
    let retried = RwSignal::new(0);
    let error = ApiError::new(
        Some(500),
        mail_core::ApiErrorBody::new("internal_error", "Try again later."),
    );
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
async fn services_page_shows_an_administrator_why_loading_failed_and_offers_to_retry() {
    go_to("/admin/email/services");
    let root = mount(|| {
        provide_context(Session::new(SessionState::SignedIn(administrator())));
        view! { <Pages/> }
    });
    assert_eq!(
        wait_for(&root, "main h1").await.text_content().unwrap(),
        "Email service settings"
    );
    let alert = wait_for(&root, "main [role=alert]").await;
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

/// SPEC section 1: nobody reaches the admin page without the admin role.
#[wasm_bindgen_test]
async fn a_user_who_opens_the_services_page_is_told_only_administrators_may() {
    go_to("/admin/email/services");
    let root = mount(|| {
        provide_context(Session::new(SessionState::SignedIn(user())));
        view! { <Pages/> }
    });
    assert_eq!(
        wait_for(&root, "main h1").await.text_content().unwrap(),
        "Not allowed"
    );
    let text = texts(&root, "main p").join(" ");
    assert!(
        text.contains("Only administrators can change email service settings."),
        "{text}"
    );
    assert!(text.contains("Anna Petrova"), "{text}");
    assert_eq!(texts(&root, "main a"), ["Go to the start page"]);
    support::sleep(200).await;
    assert!(root.query_selector("table").unwrap().is_none());
    assert!(
        !root
            .text_content()
            .unwrap()
            .contains("Loading email services")
    );
}

/// The page server answers `GET /api/session` with 404, so the app meets a session it cannot
/// confirm and asks the visitor to sign in, to come back here afterwards.
#[wasm_bindgen_test]
async fn a_signed_out_visitor_of_the_services_page_is_asked_to_sign_in_and_brought_back() {
    go_to("/admin/email/services");
    let root = mount(App);
    wait_for_path("/sign-in?next=/admin/email/services").await;
    assert_eq!(
        wait_for(&root, "main h1").await.text_content().unwrap(),
        "Sign in"
    );
    assert!(root.query_selector("table").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn unknown_address_shows_the_not_found_page() {
    go_to("/no/such/page");
    let root = mount(App);
    let heading = wait_for(&root, "main h1").await;
    assert_eq!(heading.text_content().unwrap(), "Page not found");
    assert_eq!(texts(&root, "main a"), ["start page"]);
}
