//! Browser tests of what the session shows: the top bar and the start page for each role (SPEC section 1).
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_services_web::app::Pages;
use mail_services_web::session::{Session, SessionState};
use support::{administrator, go_to, mount, texts, user, wait_for, wait_for_path};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_at(path: &str, state: SessionState) -> web_sys::HtmlElement {
    go_to(path);
    mount(move || {
        provide_context(Session::new(state));
        view! { <Pages/> }
    })
}

#[wasm_bindgen_test]
async fn administrators_see_the_settings_link_their_name_and_sign_out() {
    let root = mount_at("/", SessionState::SignedIn(administrator()));
    wait_for(&root, "main h1").await;
    assert_eq!(
        texts(&root, "header nav a"),
        [
            "My mailboxes",
            "Connect a mailbox",
            "Email service settings"
        ]
    );
    assert_eq!(texts(&root, "header .account-name"), ["Alex Admin"]);
    assert_eq!(texts(&root, "header .account button"), ["Sign out"]);
}

#[wasm_bindgen_test]
async fn users_see_their_mailbox_links_name_and_sign_out_but_no_settings_link() {
    let root = mount_at("/", SessionState::SignedIn(user()));
    wait_for(&root, "main h1").await;
    assert_eq!(
        texts(&root, "header nav a"),
        ["My mailboxes", "Connect a mailbox"]
    );
    assert!(!texts(&root, "a").contains(&"Email service settings".to_owned()));
    assert_eq!(texts(&root, "header .account-name"), ["Anna Petrova"]);
    assert_eq!(texts(&root, "header .account button"), ["Sign out"]);
}

#[wasm_bindgen_test]
async fn the_start_page_says_who_is_signed_in_and_links_what_their_role_can_open() {
    let root = mount_at("/", SessionState::SignedIn(administrator()));
    assert_eq!(
        wait_for(&root, "main h1").await.text_content().unwrap(),
        "Mail services"
    );
    assert_eq!(texts(&root, "main .lead"), ["Signed in as Alex Admin"]);
    assert_eq!(
        texts(&root, "main a"),
        [
            "My mailboxes",
            "Connect a mailbox",
            "Email service settings"
        ]
    );

    let root = mount_at("/", SessionState::SignedIn(user()));
    wait_for(&root, "main h1").await;
    assert_eq!(texts(&root, "main .lead"), ["Signed in as Anna Petrova"]);
    assert_eq!(
        texts(&root, "main a"),
        ["My mailboxes", "Connect a mailbox"]
    );
}

#[wasm_bindgen_test]
async fn a_signed_out_visitor_of_the_start_page_is_asked_to_sign_in() {
    let root = mount_at("/", SessionState::SignedOut);
    wait_for_path("/sign-in").await;
    assert_eq!(
        wait_for(&root, "main h1").await.text_content().unwrap(),
        "Sign in"
    );
    assert!(
        root.query_selector("header .account button")
            .unwrap()
            .is_none()
    );
    assert!(root.query_selector("header nav").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn while_the_session_is_checked_the_settings_page_says_so() {
    let root = mount_at("/admin/email/services", SessionState::Checking);
    assert_eq!(
        wait_for(&root, "main [role=status]")
            .await
            .text_content()
            .unwrap(),
        "Checking who is signed in…"
    );
    assert_eq!(support::current_path(), "/admin/email/services");
}

/// The page server has no `/api`, so `DELETE /api/session` fails as when the server is down: the
/// session cookie may still be valid, so the person must not be shown as signed out.
#[wasm_bindgen_test]
async fn a_sign_out_the_server_did_not_confirm_is_reported_and_changes_nothing() {
    let root = mount_at("/", SessionState::SignedIn(user()));
    wait_for(&root, "main h1").await;
    let button: web_sys::HtmlButtonElement =
        wasm_bindgen::JsCast::unchecked_into(wait_for(&root, "header .account button").await);
    button.click();
    let alert = wait_for(&root, ".top-bar-error").await;
    for _ in 0..100 {
        if !alert.text_content().unwrap().is_empty() {
            break;
        }
        support::sleep(50).await;
    }
    let text = alert.text_content().unwrap();
    assert!(text.starts_with("Could not sign out:"), "{text}");
    assert!(text.contains("404"), "{text}");
    assert_eq!(alert.get_attribute("role").unwrap(), "alert");
    assert_eq!(support::current_path(), "/");
    assert_eq!(texts(&root, "header .account-name"), ["Anna Petrova"]);
}
