//! Helpers for the browser tests: mount a view into the page and wait for what it renders.
// Each test file uses some of them.
#![allow(dead_code)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Mounts `view` into a fresh container at the end of `<body>` and returns the container.
pub fn mount<F, N>(view: F) -> HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone(), view).forget();
    container
}

/// Lets the browser run timers, fetches and reactive effects for `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits up to five seconds for `selector` to match inside `root`, then returns the element.
pub async fn wait_for(root: &HtmlElement, selector: &str) -> HtmlElement {
    for _ in 0..100 {
        if let Some(element) = root.query_selector(selector).unwrap() {
            return element.unchecked_into();
        }
        sleep(50).await;
    }
    panic!(
        "nothing matched {selector:?}; the page shows: {}",
        root.inner_html()
    );
}

/// The text of every element matching `selector`, trimmed and with white space folded.
pub fn texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| {
            node.text_content()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The cells of each body row of the first table in `root`, as text.
pub fn table_rows(root: &HtmlElement) -> Vec<Vec<String>> {
    let rows = root.query_selector_all("table tbody tr").unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|row| {
            let row: HtmlElement = row.unchecked_into();
            texts(&row, "th, td")
        })
        .collect()
}

/// Puts `path` in the address bar without loading anything, for a router mounted next.
pub fn go_to(path: &str) {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

/// The path and query in the address bar.
pub fn current_path() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    )
}

/// Waits up to five seconds for the address bar to show `path` (with its query).
pub async fn wait_for_path(path: &str) {
    for _ in 0..100 {
        if current_path() == path {
            return;
        }
        sleep(50).await;
    }
    assert_eq!(current_path(), path);
}

pub fn administrator() -> mail_core::User {
    mail_core::User {
        id: 1,
        login: "admin".into(),
        display_name: "Alex Admin".into(),
        role: mail_core::Role::Admin,
    }
}

pub fn user() -> mail_core::User {
    mail_core::User {
        id: 2,
        login: "anna".into(),
        display_name: "Anna Petrova".into(),
        role: mail_core::Role::User,
    }
}
