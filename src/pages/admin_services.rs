//! Administration > Email > Email service settings (SPEC A1–A8); administrators only.

use std::collections::HashMap;

use leptos::prelude::*;
use mail_core::{ApiErrorBody, SettingsDocument, ValidService};

use crate::api::{self, ApiError};
use crate::components::access::AdminOnly;
use crate::components::delete_dialog::DeleteDialog;
use crate::components::leave_guard::guard_unsaved_changes;
use crate::components::notice::ErrorNotice;
use crate::components::service_dialog::ServiceDialog;
use crate::components::service_table::{RowAction, ServiceTable, undo_button_selector};
use crate::components::settings_bar::SettingsBar;
use crate::components::sign_in_lockouts::SignInLockouts;
use crate::components::{focus_within, regain_focus_within, unique_id};
use crate::i18n::*;
use crate::pages::set_title;
use crate::session::use_session;
use crate::staging::{Conflict, Policy, RowKey, Staged};

#[component]
pub fn AdminServicesPage() -> impl IntoView {
    set_title(|locale| td_string!(locale, titles.settings));
    let i18n = use_i18n();
    view! {
        <AdminOnly only_administrators=tr!(i18n, settings.only_administrators)>
            <ServiceSettings/>
        </AdminOnly>
    }
}

#[component]
fn ServiceSettings() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let settings = LocalResource::new(move || async move {
        let settings = api::admin_settings().await;
        if let Err(error) = &settings {
            // A 401 here means the session ended: the page then sends the admin to sign in again.
            session.learn_from(error);
        }
        settings
    });
    view! {
        <section class="page" aria-labelledby="services-heading">
            <p class="breadcrumbs">{tr!(i18n, settings.breadcrumbs)}</p>
            <h1 id="services-heading" tabindex="-1">{tr!(i18n, settings.heading)}</h1>
            <p class="lead">{tr!(i18n, settings.lead)}</p>
            <Transition fallback=move || view! {
                <p class="loading" role="status">{tr!(i18n, settings.loading)}</p>
            }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(document) => view! { <SettingsEditor document/> <SignInLockouts/> }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice
                                title=tr!(i18n, common.services_load_failed)
                                error
                                retry=Callback::new(move |()| settings.refetch())
                            />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Which dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Add,
    Edit(RowKey),
    Delete(RowKey),
}

/// What the last save (or reload) came to, shown above the list until the next one.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Saved,
    /// 412: another administrator saved first (SPEC A8).
    Stale(ApiError),
    /// After "Reload and re-apply": what could not be re-applied.
    Rebased(Vec<Conflict>),
    /// 422: the server's field errors, by row where the field names one.
    Invalid {
        body: ApiErrorBody,
        rows: Vec<(RowKey, String, String)>,
    },
    Failed(ApiError),
}

/// The editable settings: policies, the service list, the dialogs and the unsaved-changes bar.
/// Every change is staged (SPEC A8) until Save sends the whole document.
#[component]
pub fn SettingsEditor(document: SettingsDocument) -> impl IntoView {
    let i18n = use_i18n();
    let staged = RwSignal::new(Staged::new(document));
    let open = RwSignal::new(None::<Open>);
    let editor = NodeRef::<leptos::html::Div>::new();
    let outcome = RwSignal::new(None::<Outcome>);
    let announcement = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let count = Signal::derive(move || staged.with(Staged::change_count));
    guard_unsaved_changes(Signal::derive(move || count.get() > 0));

    let save = Action::new_local(move |_: &()| {
        let (version, update, keys) = staged.with_untracked(|staged| {
            let keys: Vec<RowKey> = staged
                .rows()
                .iter()
                .filter(|row| !row.deleted)
                .map(|row| row.key)
                .collect();
            (staged.base().version, staged.to_update(), keys)
        });
        announcement.set(td_string!(i18n.get_locale_untracked(), common.saving).to_owned());
        async move {
            let result = api::save_settings(version, &update).await;
            let (next, said) = match result {
                Ok(document) => {
                    staged.try_set(Staged::new(document));
                    (
                        Outcome::Saved,
                        td_string!(i18n.get_locale_untracked(), settings.saved).to_owned(),
                    )
                }
                Err(error) if error.is_stale_version() => (
                    Outcome::Stale(error),
                    td_string!(i18n.get_locale_untracked(), settings.said_stale).to_owned(),
                ),
                Err(error) if error.status == Some(422) => {
                    let names = staged.with_untracked(|staged| {
                        keys.iter()
                            .map(|key| {
                                staged
                                    .row(*key)
                                    .map(|row| row.name.clone())
                                    .unwrap_or_default()
                            })
                            .collect::<Vec<_>>()
                    });
                    let rows = error
                        .body
                        .fields
                        .iter()
                        .filter_map(|field| {
                            let index = service_index(&field.field)?;
                            Some((
                                *keys.get(index)?,
                                names.get(index)?.clone(),
                                field.message.clone(),
                            ))
                        })
                        .collect();
                    (
                        Outcome::Invalid {
                            body: error.body,
                            rows,
                        },
                        td_string!(i18n.get_locale_untracked(), settings.said_invalid).to_owned(),
                    )
                }
                Err(error) => {
                    let said = td_string!(
                        i18n.get_locale_untracked(),
                        settings.said_failed,
                        error = &error
                    );
                    (Outcome::Failed(error), said)
                }
            };
            // The Save button was disabled while saving, and is gone after a save: the focus
            // goes to what the save came to (or, if the settings are stale, to Reload).
            let focus = match next {
                Outcome::Stale(_) => OUTCOME_ACTION,
                _ => OUTCOME,
            };
            outcome.try_set(Some(next));
            announcement.try_set(said);
            regain_focus_within(editor, focus.to_owned());
        }
    });
    let saving = save.pending();

    let reload = Action::new_local(move |_: &()| async move {
        match api::admin_settings().await {
            Ok(newer) => {
                let conflicts = staged
                    .try_update(|staged| {
                        let (rebased, conflicts) = staged.rebase(newer);
                        *staged = rebased;
                        conflicts
                    })
                    .unwrap_or_default();
                let said = if conflicts.is_empty() {
                    td_string!(i18n.get_locale_untracked(), settings.said_reloaded)
                } else {
                    td_string!(
                        i18n.get_locale_untracked(),
                        settings.said_reloaded_with_conflicts
                    )
                };
                announcement.try_set(said.to_owned());
                outcome.try_set(Some(Outcome::Rebased(conflicts)));
                regain_focus_within(editor, OUTCOME.to_owned());
                Ok(())
            }
            Err(error) => {
                announcement.try_set(td_string!(
                    i18n.get_locale_untracked(),
                    settings.said_reload_failed,
                    error = &error
                ));
                regain_focus_within(editor, OUTCOME_ACTION.to_owned());
                Err(error)
            }
        }
    });
    let reloading = reload.pending();
    let take_mine = Callback::new(move |conflict: Conflict| {
        staged.update(|staged| staged.take_mine(&conflict));
        outcome.update(|outcome| {
            if let Some(Outcome::Rebased(conflicts)) = outcome {
                conflicts.retain(|listed| *listed != conflict);
            }
        });
        // The pressed button goes with its line: the focus goes to the notice.
        regain_focus_within(editor, OUTCOME.to_owned());
    });
    let busy = Signal::derive(move || saving.get() || reloading.get());

    let row_errors = Memo::new(move |_| {
        let mut errors: HashMap<RowKey, Vec<String>> = HashMap::new();
        if let Some(Outcome::Invalid { rows, .. }) = outcome.get() {
            for (key, _, message) in rows {
                errors.entry(key).or_default().push(message);
            }
        }
        errors
    });
    let on_action = Callback::new(move |action: RowAction| {
        open.set(Some(match action {
            RowAction::Edit(key) => Open::Edit(key),
            RowAction::Delete(key) => Open::Delete(key),
        }));
    });
    let close = Callback::new(move |()| open.set(None));
    let apply = Callback::new(move |service: ValidService| {
        match open.get_untracked() {
            Some(Open::Edit(key)) => staged.update(|staged| staged.edit(key, service)),
            Some(Open::Add) => {
                staged.update(|staged| {
                    staged.add(service);
                });
            }
            _ => {}
        }
        open.set(None);
    });
    let dialog = move || {
        let which = open.get()?;
        Some(match which {
            Open::Add => {
                let other_names = staged.with_untracked(|staged| staged.other_names(None));
                view! { <ServiceDialog other_names on_apply=apply on_cancel=close/> }.into_any()
            }
            Open::Edit(key) => {
                let (initial, other_names) = staged.with_untracked(|staged| {
                    (
                        staged.row(key).map(|row| row.draft()),
                        staged.other_names(Some(key)),
                    )
                });
                let initial = initial?;
                view! { <ServiceDialog initial other_names on_apply=apply on_cancel=close/> }
                    .into_any()
            }
            Open::Delete(key) => {
                let name =
                    staged.with_untracked(|staged| staged.row(key).map(|row| row.name.clone()))?;
                let service_id = match key {
                    RowKey::Saved(id) => Some(id),
                    RowKey::New(_) => None,
                };
                let confirm = Callback::new(move |()| {
                    staged.update(|staged| staged.delete(key));
                    open.set(None);
                    // The Delete button is gone with the deletion: the row's Undo takes the focus.
                    focus_within(editor, undo_button_selector(key));
                });
                view! { <DeleteDialog name service_id on_confirm=confirm on_cancel=close/> }
                    .into_any()
            }
        })
    };

    let search_id = unique_id("service-search");
    // Runs once, after the editor is in the page: the benchmarks time the list's first paint.
    Effect::new(|_| crate::perf::mark_after_paint(crate::perf::SETTINGS_READY));
    view! {
        <div class="settings-editor" node_ref=editor>
            <div class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</div>
            {move || outcome.get().map(|current| view! {
                <OutcomeNotice outcome=current busy reload=Callback::new(move |()| { reload.dispatch(()); }) take_mine/>
            })}
            {move || reload.value().get().and_then(Result::err).map(|error| view! {
                <ErrorNotice
                    title=tr!(i18n, settings.reload_failed)
                    error
                    retry=Callback::new(move |()| { reload.dispatch(()); })
                />
            })}
            <fieldset class="plain" disabled=move || busy.get()>
                <section class="policies" aria-labelledby="policies-heading">
                    <h2 id="policies-heading">{tr!(i18n, settings.policies)}</h2>
                    <PolicySwitch
                        staged
                        id_prefix="allow-manual-entry"
                        label=tr!(i18n, settings.manual_entry)
                        hint=tr!(i18n, settings.manual_entry_hint)
                        policy=Policy::AllowManualEntry
                    />
                    <PolicySwitch
                        staged
                        id_prefix="business-process-sending"
                        label=tr!(i18n, settings.business_process_sending)
                        hint=tr!(i18n, settings.business_process_sending_hint)
                        policy=Policy::BusinessProcessSending
                    />
                </section>
                <section class="service-list" aria-labelledby="service-list-heading">
                    <div class="list-toolbar">
                        <h2 id="service-list-heading" tabindex="-1">{tr!(i18n, settings.services)}</h2>
                        <div class="search">
                            <label for=search_id.clone()>{tr!(i18n, settings.search)}</label>
                            <input
                                id=search_id
                                type="search"
                                placeholder=tr!(i18n, settings.search_placeholder)
                                prop:value=move || search.get()
                                on:input=move |event| search.set(event_target_value(&event))
                            />
                        </div>
                        <button type="button" class="primary add-button" on:click=move |_| open.set(Some(Open::Add))>
                            {tr!(i18n, settings.add)}
                        </button>
                    </div>
                    <ServiceTable staged search row_errors on_action/>
                </section>
            </fieldset>
            <SettingsBar
                count
                saving=busy
                on_save=Callback::new(move |()| {
                    if !save.pending().get_untracked() {
                        save.dispatch(());
                    }
                })
                on_discard=Callback::new(move |()| {
                    staged.update(|staged| *staged = Staged::new(staged.base().clone()));
                    outcome.set(None);
                    announcement.set(td_string!(i18n.get_locale_untracked(), settings.said_discarded).to_owned());
                    // The bar goes with its buttons: the focus goes to the top of the list.
                    focus_within(editor, "#service-list-heading".to_owned());
                })
            />
            {dialog}
        </div>
    }
}

/// The notice of the last save or reload, which takes the focus when the button that had it goes.
const OUTCOME: &str = ".outcome";
/// Its button (Reload, when another administrator saved first).
const OUTCOME_ACTION: &str = ".outcome button";

/// `services[3].smtp` → 3.
fn service_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("services[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

#[component]
fn OutcomeNotice(
    outcome: Outcome,
    busy: Signal<bool>,
    reload: Callback<()>,
    take_mine: Callback<Conflict>,
) -> impl IntoView {
    let i18n = use_i18n();
    match outcome {
        Outcome::Saved => view! {
            <div class="notice notice-success outcome" tabindex="-1">
                <p class="notice-title">{tr!(i18n, settings.saved)}</p>
            </div>
        }
        .into_any(),
        Outcome::Stale(error) => view! {
            <div class="notice notice-error outcome" tabindex="-1" role="alert">
                <p class="notice-title">{tr!(i18n, settings.stale_title)}</p>
                <p>{error.body.message}</p>
                <p>{tr!(i18n, settings.stale_explained)}</p>
                <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| reload.run(())>
                    {tr!(i18n, settings.reload)}
                </button>
            </div>
        }
        .into_any(),
        Outcome::Rebased(conflicts) => {
            let empty = conflicts.is_empty();
            let conflicts = conflicts
                .into_iter()
                .map(|conflict| view! { <ConflictItem conflict take_mine/> })
                .collect_view();
            view! {
                <div
                    class="notice outcome"
                    class:notice-warning=!empty
                    class:notice-info=empty
                    tabindex="-1"
                    role="status"
                >
                    <p class="notice-title">{tr!(i18n, settings.rebased_title)}</p>
                    <ul>{conflicts}</ul>
                    <p>{tr!(i18n, settings.review)}</p>
                </div>
            }
            .into_any()
        }
        Outcome::Invalid { body, rows } => {
            let named: Vec<String> = rows.iter().map(|(_, name, message)| format!("{name}: {message}")).collect();
            let rest: Vec<String> = body
                .fields
                .iter()
                .filter(|field| service_index(&field.field).is_none())
                .map(|field| field.message.clone())
                .collect();
            view! {
                <div class="notice notice-error outcome" tabindex="-1" role="alert">
                    <p class="notice-title">{tr!(i18n, settings.invalid_title)}</p>
                    <p>{body.message}</p>
                    <ul>{named.into_iter().chain(rest).map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any()
        }
        Outcome::Failed(error) => {
            let signed_out = error.is_signed_out();
            view! {
                <div class="notice notice-error outcome" tabindex="-1" role="alert">
                    <p class="notice-title">{tr!(i18n, settings.failed_title)}</p>
                    <p>{error.body.message.clone()}</p>
                    {signed_out.then(|| view! { <p>{tr!(i18n, settings.session_ended)}</p> })}
                    {(!signed_out).then(|| view! { <p>{tr!(i18n, settings.still_here)}</p> })}
                </div>
            }
            .into_any()
        }
    }
}

/// What "Reload and re-apply" could not re-apply: a service gone, or a field both administrators
/// changed, whose value the other one saved is kept until "Use mine" is pressed.
#[component]
fn ConflictItem(conflict: Conflict, take_mine: Callback<Conflict>) -> impl IntoView {
    let i18n = use_i18n();
    let (service, theirs, mine) = match &conflict {
        Conflict::ServiceGone { name } => {
            let name = name.clone();
            return view! { <li>{tr!(i18n, settings.service_gone, name = &name)}</li> }.into_any();
        }
        Conflict::Field {
            service,
            theirs,
            mine,
            ..
        } => (service.clone(), theirs.clone(), mine.clone()),
    };
    let id = unique_id("conflict");
    let said = text_with(i18n, move |locale| {
        let field = theirs.field().label(lang(locale));
        let (theirs, mine) = (theirs.to_string(), mine.to_string());
        td_string!(
            locale,
            settings.field_conflict,
            service = &service,
            field,
            theirs = &theirs,
            mine = &mine
        )
    });
    view! {
        <li>
            <span id=id.clone()>{said}</span>
            " "
            <button type="button" aria-describedby=id on:click=move |_| take_mine.run(conflict.clone())>
                {tr!(i18n, settings.use_mine)}
            </button>
        </li>
    }
    .into_any()
}

/// One company policy (SPEC A6, A7): a checkbox whose change is staged and marked until saved.
#[component]
fn PolicySwitch(
    staged: RwSignal<Staged>,
    id_prefix: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(into)] hint: TextProp,
    policy: Policy,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = unique_id(id_prefix);
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=move || staged.with(|staged| staged.policy(policy))
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    staged.update(|staged| staged.set_policy(policy, on));
                }
            />
            <label for=id>{move || label.get()}</label>
            {move || {
                staged
                    .with(|staged| staged.policy_changed(policy))
                    .then(|| view! { " " <span class="tag change-tag">{tr!(i18n, settings.changed)}</span> })
            }}
            <p class="hint">{move || hint.get()}</p>
        </div>
    }
}
