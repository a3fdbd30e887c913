//! Asks before leaving a page with unsaved changes (SPEC A8): closing or reloading the tab
//! (`beforeunload`), and the app's own links and the top bar's "Sign out".

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{BeforeUnloadEvent, Element, MouseEvent};

use crate::i18n::*;

/// The question asked before in-app navigation drops the changes, in the language of the moment.
fn leave_question(i18n: I18n) -> &'static str {
    td_string!(i18n.get_locale_untracked(), leave_guard.question)
}

struct Listeners {
    before_unload: Closure<dyn FnMut(BeforeUnloadEvent)>,
    click: Closure<dyn FnMut(MouseEvent)>,
}

impl Listeners {
    fn add(i18n: I18n) -> Option<Listeners> {
        let before_unload =
            Closure::<dyn FnMut(BeforeUnloadEvent)>::new(move |event: BeforeUnloadEvent| {
                event.prevent_default();
                // Older browsers ask only when a return value is set.
                event.set_return_value(leave_question(i18n));
            });
        let click = Closure::<dyn FnMut(MouseEvent)>::new(move |event: MouseEvent| {
            if leaves_page(&event)
                && !window()
                    .confirm_with_message(leave_question(i18n))
                    .unwrap_or(false)
            {
                // The router ignores clicks whose default is prevented.
                event.prevent_default();
                event.stop_immediate_propagation();
            }
        });
        let window = window();
        window
            .add_event_listener_with_callback(
                "beforeunload",
                before_unload.as_ref().unchecked_ref(),
            )
            .ok()?;
        // Capturing, so that this runs before the router's own click handler.
        window
            .add_event_listener_with_callback_and_bool(
                "click",
                click.as_ref().unchecked_ref(),
                true,
            )
            .ok()?;
        Some(Listeners {
            before_unload,
            click,
        })
    }

    fn remove(self) {
        let window = window();
        window
            .remove_event_listener_with_callback(
                "beforeunload",
                self.before_unload.as_ref().unchecked_ref(),
            )
            .ok();
        window
            .remove_event_listener_with_callback_and_bool(
                "click",
                self.click.as_ref().unchecked_ref(),
                true,
            )
            .ok();
    }
}

/// A primary click on a link to another page of this app, or on a button of the top bar.
fn leaves_page(event: &MouseEvent) -> bool {
    if event.button() != 0 || event.meta_key() || event.ctrl_key() || event.shift_key() {
        return false;
    }
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return false;
    };
    if let Ok(Some(link)) = target.closest("a[href]") {
        let href = link.get_attribute("href").unwrap_or_default();
        let opens_elsewhere = link.get_attribute("target").is_some_and(|t| t != "_self");
        return !href.starts_with('#') && !opens_elsewhere;
    }
    // "Sign out"; the language buttons change the words, not the page.
    matches!(target.closest(".top-bar .account button"), Ok(Some(_)))
}

/// While `dirty`, leaving the page asks first; the listeners go when it is clean or unmounted.
pub fn guard_unsaved_changes(dirty: Signal<bool>) {
    let i18n = use_i18n();
    let listeners = StoredValue::new_local(None::<Listeners>);
    let set = move |on: bool| {
        listeners.update_value(|listeners| match (on, listeners.take()) {
            (true, None) => *listeners = Listeners::add(i18n),
            (false, Some(old)) => old.remove(),
            (_, kept) => *listeners = kept,
        });
    };
    // Syncing with the browser outside Leptos: what effects are for.
    Effect::new(move |_| set(dirty.get()));
    on_cleanup(move || {
        if let Some(Some(old)) = listeners.try_update_value(Option::take) {
            old.remove();
        }
    });
}
