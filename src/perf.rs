//! Performance marks for the benchmarks (`./dev bench`, see BENCHMARKS.md): they read these
//! through the browser's User Timing API, so the marks cost nothing when nobody reads them.

use std::time::Duration;

use leptos::prelude::{request_animation_frame, set_timeout};

/// The settings document's response arrived: the data is in hand, not yet decoded.
pub const SETTINGS_DATA: &str = "mail:settings-data";
/// The settings list is rendered, painted and answers clicks.
pub const SETTINGS_READY: &str = "mail:settings-ready";

/// Sets the mark `name` now.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        // A browser without User Timing only loses the figure.
        performance.mark(name).ok();
    }
}

/// Sets the mark `name` once the browser has painted what the DOM holds now: after the next
/// animation frame and the task that follows it.
pub fn mark_after_paint(name: &'static str) {
    request_animation_frame(move || set_timeout(move || mark(name), Duration::ZERO));
}
