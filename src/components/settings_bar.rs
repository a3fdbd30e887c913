//! The bar that says the settings page has unsaved changes (SPEC A8), with Save and Discard.

use leptos::prelude::*;

use crate::i18n::*;

/// Shown while there is something to save. Discard asks once more, in the bar itself, so that
/// nothing is lost by a stray click.
#[component]
pub fn SettingsBar(
    /// How many rows and switches carry a change.
    #[prop(into)]
    count: Signal<usize>,
    #[prop(into)] saving: Signal<bool>,
    on_save: Callback<()>,
    on_discard: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(false);
    let dirty = move || count.get() > 0;
    view! {
        <Show when=dirty>
            <div
                class="settings-bar"
                role="region"
                aria-label=tr!(i18n, settings_bar.region)
                aria-busy=move || saving.get().to_string()
            >
                <p class="settings-bar-count">
                    {text_with(i18n, move |locale| {
                        let number = number(locale, count.get() as u64);
                        td_string!(locale, settings_bar.count, number)
                    })}
                </p>
                <Show
                    when=move || confirming.get()
                    fallback=move || view! {
                        <button
                            type="button"
                            class="primary"
                            disabled=move || saving.get()
                            on:click=move |_| on_save.run(())
                        >
                            {tr!(i18n, if (saving.get()) common.saving else settings_bar.save)}
                        </button>
                        <button
                            type="button"
                            disabled=move || saving.get()
                            on:click=move |_| confirming.set(true)
                        >
                            {tr!(i18n, settings_bar.discard)}
                        </button>
                    }
                >
                    <DiscardQuestion count confirming on_discard/>
                </Show>
            </div>
        </Show>
    }
}

/// "Discard all 3 unsaved changes?" with its two answers.
#[component]
fn DiscardQuestion(
    count: Signal<usize>,
    confirming: RwSignal<bool>,
    on_discard: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The Discard button went when it was clicked: the focus goes to the safe answer.
    let keep = NodeRef::<leptos::html::Button>::new();
    keep.on_load(|button| {
        button.focus().ok();
    });
    view! {
        <p class="settings-bar-question">
            {text_with(i18n, move |locale| match count.get() {
                1 => td_string!(locale, settings_bar.discard_the_change).to_owned(),
                n => {
                    let number = number(locale, n as u64);
                    td_string!(locale, settings_bar.discard_all, count = n, number)
                }
            })}
        </p>
        <button
            type="button"
            class="danger"
            on:click=move |_| {
                confirming.set(false);
                on_discard.run(());
            }
        >
            {tr!(i18n, settings_bar.yes_discard)}
        </button>
        <button type="button" node_ref=keep on:click=move |_| confirming.set(false)>
            {tr!(i18n, settings_bar.keep)}
        </button>
    }
}
