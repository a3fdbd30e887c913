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

/// The first element matching `selector` inside `root`, now.
pub fn find(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| {
            panic!(
                "nothing matched {selector:?}; the page shows: {}",
                root.inner_html()
            )
        })
        .unchecked_into()
}

/// The button whose accessible name (its `aria-label`, else its text) is `name`.
pub fn button_named(root: &HtmlElement, name: &str) -> web_sys::HtmlButtonElement {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.unchecked_into::<web_sys::HtmlButtonElement>())
        .find(|button| {
            let label = button.get_attribute("aria-label").unwrap_or_else(|| {
                button
                    .text_content()
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            label == name
        })
        .unwrap_or_else(|| {
            panic!(
                "no button named {name:?}; the page shows: {}",
                root.inner_html()
            )
        })
}

/// The input or select that the label with this exact text names.
pub fn labelled<T: JsCast>(root: &HtmlElement, label: &str) -> T {
    let labels = root.query_selector_all("label").unwrap();
    let id = (0..labels.length())
        .filter_map(|i| labels.item(i))
        .map(|node| node.unchecked_into::<web_sys::HtmlLabelElement>())
        .find(|l| {
            l.text_content()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                == label
        })
        .map(|l| l.html_for())
        .unwrap_or_else(|| panic!("no label {label:?}; the page shows: {}", root.inner_html()));
    document()
        .get_element_by_id(&id)
        .unwrap_or_else(|| panic!("the label {label:?} names no element"))
        .unchecked_into()
}

/// The ids of the fields marked as in error (`aria-invalid="true"`), in the page's order.
pub fn marked_invalid(root: &HtmlElement) -> Vec<String> {
    let list = root.query_selector_all("[aria-invalid=true]").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|node| node.unchecked_into::<web_sys::Element>().id())
        .collect()
}

/// The ids of the fields these labels name, in this order.
pub fn ids_labelled(root: &HtmlElement, labels: &[&str]) -> Vec<String> {
    labels
        .iter()
        .map(|label| labelled::<web_sys::Element>(root, label).id())
        .collect()
}

/// Types `text` into an input as a person would: its value changes and `input` fires.
pub fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Chooses the option with this value, as a person would: `change` fires.
pub fn choose(select: &web_sys::HtmlSelectElement, value: &str) {
    select.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// Presses a key on the focused element: a `keydown` that bubbles, as the browser sends it.
pub fn press(key: &str, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    let target = document()
        .active_element()
        .unwrap_or_else(|| document().body().unwrap().unchecked_into());
    target.dispatch_event(&event).unwrap();
}

/// The element that has the keyboard focus.
pub fn focused() -> Option<web_sys::Element> {
    document().active_element()
}
