//! Browser tests of the sign-in lock-outs on the administrator's settings page (issue 13, item 6).
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use mail_core::SignInLockout;
use mail_services_web::components::sign_in_lockouts::{LockoutList, SignInLockouts};
use mail_services_web::i18n::{Locale, time_of_day};
use support::{mount, table_rows, texts, wait_for};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlButtonElement;

wasm_bindgen_test_configure!(run_in_browser);

const UNTIL: i64 = 1_800_000_000;

fn lockouts() -> Vec<SignInLockout> {
    vec![
        SignInLockout {
            login: Some("anna".into()),
            login_hash: Some("ab".repeat(32)),
            client: "192.0.2.1".into(),
            failures: 5,
            locked_until: UNTIL,
        },
        SignInLockout {
            login: None,
            login_hash: None,
            client: "2001:db8:1:2::/64".into(),
            failures: 20,
            locked_until: UNTIL,
        },
    ]
}

fn buttons(root: &web_sys::HtmlElement) -> Vec<HtmlButtonElement> {
    let list = root.query_selector_all("tbody button").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

#[wasm_bindgen_test]
fn lockouts_are_listed_with_who_where_how_many_and_until_when() {
    let root =
        mount(|| view! { <LockoutList lockouts=lockouts() on_clear=Callback::new(|_| {})/> });
    let until = time_of_day(Locale::en, UNTIL as f64 * 1000.0);
    assert_eq!(
        table_rows(&root),
        [
            ["anna", "192.0.2.1", "5", until.as_str(), "Clear"],
            [
                "Every login",
                "2001:db8:1:2::/64",
                "20",
                until.as_str(),
                "Clear"
            ],
        ]
    );
    assert_eq!(
        texts(&root, "thead th"),
        [
            "Login",
            "Address",
            "Failed attempts",
            "Locked until",
            "Actions"
        ]
    );
}

/// Each row's button is a real button in the tab order, named after its row, and clears that row.
#[wasm_bindgen_test]
fn each_clear_button_is_keyboard_reachable_named_after_its_row_and_clears_it() {
    let cleared = RwSignal::new(Vec::<SignInLockout>::new());
    let root = mount(move || {
        view! { <LockoutList lockouts=lockouts() on_clear=Callback::new(move |l| cleared.update(|c| c.push(l)))/> }
    });
    let buttons = buttons(&root);
    let labels: Vec<_> = buttons
        .iter()
        .map(|b| b.get_attribute("aria-label").unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Clear the lock-out: anna, address 192.0.2.1",
            "Clear the lock-out: Every login, address 2001:db8:1:2::/64"
        ]
    );
    for button in &buttons {
        assert_eq!(button.type_(), "button");
        assert!(button.tab_index() >= 0, "in the tab order");
    }
    buttons[1].focus().unwrap();
    assert_eq!(
        document().active_element().map(|e| e.outer_html()),
        Some(buttons[1].outer_html())
    );
    // What Enter or Space on a focused button does.
    buttons[1].click();
    assert_eq!(cleared.get_untracked(), [lockouts()[1].clone()]);
}

#[wasm_bindgen_test]
fn no_lockouts_say_so() {
    let root = mount(|| view! { <LockoutList lockouts=vec![] on_clear=Callback::new(|_| {})/> });
    assert_eq!(texts(&root, ".empty"), ["No sign-in is locked out."]);
    assert!(root.query_selector("table").unwrap().is_none());
}

/// The test runner's page server has no `/api`, so the section meets a real failed request.
#[wasm_bindgen_test]
async fn the_section_says_why_the_lockouts_could_not_be_loaded_and_offers_to_retry() {
    let root = mount(SignInLockouts);
    assert_eq!(texts(&root, "h2"), ["Sign-in lock-outs"]);
    let alert = wait_for(&root, "[role=alert]").await;
    let text = alert.text_content().unwrap();
    assert!(
        text.contains("The sign-in lock-outs could not be loaded"),
        "{text}"
    );
    assert!(alert.query_selector("button").unwrap().is_some());
}
