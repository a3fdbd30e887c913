//! The list of email services on the settings page (SPEC A1), with each row's staged change
//! (SPEC A8) and its buttons: Edit, Hide/Show, Delete, Undo.

use std::collections::HashMap;

use leptos::prelude::*;
use mail_core::{ServerEndpoint, ServiceKind};

use crate::components::icons::{BinIcon, EyeIcon, EyeOffIcon, GearIcon, UndoIcon};
use crate::components::{column_label, focus_within};
use crate::i18n::*;
use crate::staging::{Row, RowChange, RowKey, Staged};

/// What the row's buttons ask of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    Edit(RowKey),
    Delete(RowKey),
}

/// The CSS selector of a row's Undo button, so the page can move the focus to it.
pub fn undo_button_selector(key: RowKey) -> String {
    format!("[data-undo-for='{}']", row_slug(key))
}

fn row_slug(key: RowKey) -> String {
    match key {
        RowKey::Saved(id) => format!("service-{id}"),
        RowKey::New(n) => format!("new-service-{n}"),
    }
}

/// Whether a row matches the search box: its name or one of its hosts contains `search`, which is
/// trimmed and lower-cased already.
fn row_matches(row: &Row, search: &str) -> bool {
    search.is_empty()
        || row.name.to_lowercase().contains(search)
        || row.smtp.to_string().contains(search)
        || row.imap.to_string().contains(search)
}

/// The table of services as staged. Hiding, showing and undoing change `staged` directly;
/// Edit and Delete open the page's dialogs through `on_action`.
#[component]
pub fn ServiceTable(
    staged: RwSignal<Staged>,
    /// The search box's text.
    #[prop(optional, into)]
    search: Signal<String>,
    /// Errors the server found in a row at the last save (SPEC 4: 422).
    #[prop(optional, into)]
    row_errors: Signal<HashMap<RowKey, Vec<String>>>,
    on_action: Callback<RowAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = StoredValue::new(RowSignals::default());
    let keys = Memo::new(move |_| {
        staged.with(|staged| {
            // Here, before `<For>` reads the keys, so that a new row's signal exists when its view
            // is built.
            rows.update_value(|rows| rows.sync(staged));
            let search = search.with(|search| search.trim().to_lowercase());
            staged
                .rows()
                .iter()
                .filter(|row| row_matches(row, &search))
                .map(|row| row.key)
                .collect::<Vec<_>>()
        })
    });
    let empty = move || keys.with(Vec::is_empty);
    view! {
        <Show
            when=move || !empty()
            fallback=move || {
                let text = text_with(i18n, move |locale| {
                    search.with(|search| match search.trim() {
                        "" => td_string!(locale, service_table.empty).to_owned(),
                        search => td_string!(locale, service_table.no_match, search),
                    })
                });
                view! { <p class="empty">{text}</p> }
            }
        >
            // On a phone the column headers are hidden and each cell says its column's name
            // before its text (style/main.css), from these properties: four for the table rather
            // than a translated attribute on each of a thousand rows' cells.
            <table
                class="services"
                style:--label-smtp=column_label(i18n, |locale| td_string!(locale, service_table.smtp))
                style:--label-imap=column_label(i18n, |locale| td_string!(locale, service_table.imap))
                style:--label-visibility=column_label(i18n, |locale| {
                    td_string!(locale, service_table.visibility)
                })
                style:--label-count=column_label(i18n, |locale| {
                    td_string!(locale, service_table.mailboxes)
                })
            >
                <caption class="visually-hidden">{tr!(i18n, service_table.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!(i18n, service_table.name)}</th>
                        <th scope="col">{tr!(i18n, service_table.smtp)}</th>
                        <th scope="col">{tr!(i18n, service_table.imap)}</th>
                        <th scope="col">{tr!(i18n, service_table.visibility)}</th>
                        <th scope="col" class="count">{tr!(i18n, service_table.mailboxes)}</th>
                        <th scope="col" class="actions">{tr!(i18n, common.actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || keys.get() key=|key| *key let:key>
                        {rows
                            .with_value(|rows| rows.get(key))
                            .map(|data| view! { <ServiceRow key data staged row_errors on_action/> })}
                    </For>
                </tbody>
            </table>
        </Show>
    }
}

/// A row as shown, with its staged change.
type RowData = (Row, RowChange);

/// Each row's data in a signal of its own, so that a change to one row wakes that row's view only.
/// (With a thousand rows each watching the whole staged state, every change re-ran them all, and
/// the state's thousand subscriptions made each re-run cost more: quadratic.)
#[derive(Default)]
struct RowSignals(HashMap<RowKey, ArcRwSignal<RowData>>);

impl RowSignals {
    /// Brings every row's signal up to date with `staged`, setting only those whose row changed.
    fn sync(&mut self, staged: &Staged) {
        self.0.retain(|key, _| staged.row(*key).is_some());
        for row in staged.rows() {
            let change = staged.change_of(row);
            match self.0.get(&row.key) {
                Some(signal) => {
                    let same = signal.with_untracked(|(shown, shown_change)| {
                        shown == row && *shown_change == change
                    });
                    if !same {
                        signal.set((row.clone(), change));
                    }
                }
                None => {
                    self.0
                        .insert(row.key, ArcRwSignal::new((row.clone(), change)));
                }
            }
        }
    }

    fn get(&self, key: RowKey) -> Option<ArcRwSignal<RowData>> {
        self.0.get(&key).cloned()
    }
}

/// One row, built once: its texts, marks and buttons follow the staged state, so a button keeps
/// the keyboard focus when its row changes.
#[component]
fn ServiceRow(
    key: RowKey,
    data: ArcRwSignal<RowData>,
    staged: RwSignal<Staged>,
    row_errors: Signal<HashMap<RowKey, Vec<String>>>,
    on_action: Callback<RowAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = RwSignal::from(data).read_only();
    let name = move || data.with(|(row, _)| row.name.clone());
    let hidden = move || data.with(|(row, _)| row.hidden);
    let deleted = move || data.with(|(row, _)| row.deleted);
    let change = move || data.with(|(_, change)| *change);
    let corporate = data.with_untracked(|(row, _)| row.kind == ServiceKind::Corporate);
    let mark = move || match change() {
        RowChange::Unchanged => None,
        RowChange::Added => Some(tr!(i18n, service_table.added)),
        RowChange::Edited => Some(tr!(i18n, service_table.edited)),
        RowChange::Deleted => Some(tr!(i18n, service_table.will_be_deleted)),
        RowChange::Visibility if hidden() => Some(tr!(i18n, service_table.will_be_hidden)),
        RowChange::Visibility => Some(tr!(i18n, service_table.will_be_shown)),
    };
    let errors = move || row_errors.with(|errors| errors.get(&key).cloned().unwrap_or_default());
    let smtp = move || data.with(|(row, _)| row.smtp.clone());
    let imap = move || data.with(|(row, _)| row.imap.clone());
    let row = NodeRef::<leptos::html::Tr>::new();
    view! {
        <tr
            node_ref=row
            class:hidden-service=hidden
            class:row-deleted=deleted
            class:row-added=move || change() == RowChange::Added
            class:row-edited=move || change() == RowChange::Edited
            class:row-changed=move || change() != RowChange::Unchanged
        >
            <th scope="row">
                <span class="service-name">{name}</span>
                " "
                <span class="tag">
                    {tr!(i18n, if (corporate) service_table.corporate else service_table.standard)}
                </span>
                {move || mark().map(|mark| view! { " " <span class="tag change-tag">{mark}</span> })}
                {move || {
                    errors()
                        .into_iter()
                        .map(|error| view! {
                            <p class="row-error">
                                <span class="message-kind">{tr!(i18n, common.error)}</span>
                                " "
                                {error}
                            </p>
                        })
                        .collect_view()
                }}
            </th>
            <td class="server smtp">{move || view! { <Endpoint endpoint=smtp()/> }}</td>
            <td class="server imap">{move || view! { <Endpoint endpoint=imap()/> }}</td>
            <td class="visibility">
                {tr!(i18n, if (hidden()) service_table.hidden else service_table.shown)}
            </td>
            <td class="count">
                {text_with(i18n, move |locale| {
                    let count = data.with(|(row, _)| row.mailbox_count);
                    number(locale, count)
                })}
            </td>
            <td class="actions">
                <Show when=move || corporate && !deleted()>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=tr!(i18n, service_table.edit_service, name = name())
                        title=tr!(i18n, service_table.edit)
                        on:click=move |_| on_action.run(RowAction::Edit(key))
                    >
                        <GearIcon/>
                    </button>
                </Show>
                <Show when=move || !deleted()>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label=text_with(i18n, move |locale| {
                            if hidden() {
                                td_string!(locale, service_table.show_service, name = name())
                            } else {
                                td_string!(locale, service_table.hide_service, name = name())
                            }
                        })
                        title=tr!(i18n, if (hidden()) service_table.show else service_table.hide)
                        on:click=move |_| {
                            let hide = !hidden();
                            staged.update(|staged| staged.set_hidden(key, hide));
                        }
                    >
                        {move || {
                            if hidden() {
                                view! { <EyeOffIcon/> }.into_any()
                            } else {
                                view! { <EyeIcon/> }.into_any()
                            }
                        }}
                    </button>
                </Show>
                <Show when=move || corporate && !deleted()>
                    <button
                        type="button"
                        class="icon-button icon-danger"
                        aria-label=tr!(i18n, service_table.delete_service, name = name())
                        title=tr!(i18n, service_table.delete)
                        on:click=move |_| on_action.run(RowAction::Delete(key))
                    >
                        <BinIcon/>
                    </button>
                </Show>
                <Show when=move || change() != RowChange::Unchanged>
                    <button
                        type="button"
                        class="undo-button"
                        data-undo-for=row_slug(key)
                        aria-label=tr!(i18n, service_table.undo_service, name = name())
                        on:click=move |_| {
                            staged.update(|staged| staged.revert(key));
                            // Undo goes with the change it undoes: the row's first button (Edit,
                            // or Hide) takes the focus. An added row goes too; the focus stays.
                            focus_within(row, "button".to_owned());
                        }
                    >
                        <UndoIcon/>
                        {tr!(i18n, service_table.undo)}
                    </button>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn Endpoint(endpoint: ServerEndpoint) -> impl IntoView {
    let i18n = use_i18n();
    let security = endpoint.security;
    view! {
        <code class="endpoint">{endpoint.to_string()}</code>
        " "
        <span class="security">
            {text_with(i18n, move |locale| security.label_in(lang(locale)).to_owned())}
        </span>
    }
}
