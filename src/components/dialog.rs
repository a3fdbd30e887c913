//! A modal dialog: labelled by its title, keeps the keyboard inside, closes on Esc, and gives the
//! focus back to what opened it.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

use crate::components::unique_id;

/// What can take the focus inside the dialog, in document order.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), \
     textarea:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/// A modal dialog over the page. On opening, the focus moves to the first element marked
/// `data-autofocus`, else the first focusable one; Tab and Shift+Tab wrap around inside; Esc runs
/// `on_close`; when the dialog goes, the focus returns to the element that had it before.
#[component]
pub fn Dialog(
    /// The heading, which names the dialog for screen readers.
    #[prop(into)]
    title: Signal<String>,
    /// Esc (the caller's Cancel button should run it too).
    on_close: Callback<()>,
    /// Extra class on the panel, e.g. `dialog-danger`.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let title_id = unique_id("dialog-title");
    let labelled_by = title_id.clone();
    let panel = NodeRef::<html::Div>::new();
    // The opener: usually the button just clicked, which the browser focused.
    let opener = StoredValue::new_local(
        document()
            .active_element()
            .and_then(|element| element.dyn_into::<HtmlElement>().ok()),
    );
    on_cleanup(move || {
        if let Some(opener) = opener.try_get_value().flatten()
            && opener.is_connected()
        {
            opener.focus().ok();
        }
    });
    panel.on_load(|panel| {
        let target = panel
            .query_selector("[data-autofocus]")
            .ok()
            .flatten()
            .or_else(|| focusable(&panel).into_iter().next().map(Into::into));
        match target.and_then(|element| element.dyn_into::<HtmlElement>().ok()) {
            Some(element) => element.focus().ok(),
            None => panel.focus().ok(),
        };
    });
    let keydown = move |event: KeyboardEvent| match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            event.stop_propagation();
            on_close.run(());
        }
        "Tab" => {
            let Some(panel) = panel.get_untracked() else {
                return;
            };
            let elements = focusable(&panel);
            let (Some(first), Some(last)) = (elements.first(), elements.last()) else {
                event.prevent_default();
                return;
            };
            let active = document().active_element();
            let at = |element: &HtmlElement| {
                active
                    .as_ref()
                    .is_some_and(|active| active == element.unchecked_ref::<web_sys::Element>())
            };
            let inside = active
                .as_ref()
                .is_some_and(|active| panel.contains(Some(active)) && !at(&panel));
            if event.shift_key() && (at(first) || !inside) {
                event.prevent_default();
                last.focus().ok();
            } else if !event.shift_key() && (at(last) || !inside) {
                event.prevent_default();
                first.focus().ok();
            }
        }
        _ => {}
    };
    view! {
        <div class="dialog-backdrop">
            <div
                class=format!("dialog {class}")
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                tabindex="-1"
                node_ref=panel
                on:keydown=keydown
            >
                <h2 class="dialog-title" id=title_id>{move || title.get()}</h2>
                {children()}
            </div>
        </div>
    }
}

fn focusable(panel: &HtmlElement) -> Vec<HtmlElement> {
    let Ok(list) = panel.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}
