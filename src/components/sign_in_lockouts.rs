//! Sign-in lock-outs on the administrator's settings page (issue 13, item 6): the logins and
//! addresses refused for a while after failed sign-ins, each with a button that clears it.

use leptos::prelude::*;
use mail_core::SignInLockout;

use crate::api;
use crate::components::focus_within;
use crate::components::notice::ErrorNotice;
use crate::i18n::*;

/// The section: loads the lock-outs, clears one on request and lists them again.
#[component]
pub fn SignInLockouts() -> impl IntoView {
    let i18n = use_i18n();
    let section = NodeRef::<leptos::html::Section>::new();
    let lockouts = LocalResource::new(api::sign_in_lockouts);
    let clear = Action::new_local(move |lockout: &SignInLockout| {
        let lockout = lockout.clone();
        async move {
            let cleared = api::clear_sign_in_lockout(&lockout).await;
            if cleared.is_ok() {
                lockouts.refetch();
                // The button that had the focus goes with its row: keep the keyboard user here.
                focus_within(section, "h2".to_owned());
            }
            cleared
        }
    });
    let on_clear = Callback::new(move |lockout| {
        clear.dispatch(lockout);
    });
    let clear_failed = move || {
        clear.value().get().and_then(Result::err).map(|error| {
            view! { <ErrorNotice title=tr!(i18n, lockouts.clear_failed) error/> }
        })
    };
    view! {
        <section class="lockouts" aria-labelledby="lockouts-heading" node_ref=section>
            <h2 id="lockouts-heading" tabindex="-1">{tr!(i18n, lockouts.heading)}</h2>
            <p>{tr!(i18n, lockouts.lead)}</p>
            {clear_failed}
            <Transition fallback=move || view! {
                <p class="loading" role="status">{tr!(i18n, lockouts.loading)}</p>
            }>
                {move || Suspend::new(async move {
                    match lockouts.await {
                        Ok(list) => view! { <LockoutList lockouts=list on_clear/> }.into_any(),
                        Err(error) => view! {
                            <ErrorNotice
                                title=tr!(i18n, lockouts.load_failed)
                                error
                                retry=Callback::new(move |()| lockouts.refetch())
                            />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The lock-outs as a table, or a sentence saying there are none.
#[component]
pub fn LockoutList(
    lockouts: Vec<SignInLockout>,
    on_clear: Callback<SignInLockout>,
) -> impl IntoView {
    let i18n = use_i18n();
    if lockouts.is_empty() {
        return view! { <p class="empty">{tr!(i18n, lockouts.none)}</p> }.into_any();
    }
    view! {
        <table class="lockouts-table">
            <thead>
                <tr>
                    <th scope="col">{tr!(i18n, lockouts.login)}</th>
                    <th scope="col">{tr!(i18n, lockouts.client)}</th>
                    <th scope="col">{tr!(i18n, lockouts.failures)}</th>
                    <th scope="col">{tr!(i18n, lockouts.until)}</th>
                    <th scope="col">{tr!(i18n, common.actions)}</th>
                </tr>
            </thead>
            <tbody>
                {lockouts
                    .into_iter()
                    .map(|lockout| view! { <LockoutRow lockout on_clear/> })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Who is locked out: the person's login, or what kind of lock-out it is when there is none.
fn who(locale: Locale, lockout: &SignInLockout) -> String {
    match (&lockout.login, &lockout.login_hash) {
        (Some(login), _) => login.clone(),
        (None, None) => td_string!(locale, lockouts.any_login).to_owned(),
        (None, Some(_)) => td_string!(locale, lockouts.unknown_login).to_owned(),
    }
}

#[component]
fn LockoutRow(lockout: SignInLockout, on_clear: Callback<SignInLockout>) -> impl IntoView {
    let i18n = use_i18n();
    let shown = lockout.clone();
    let name = text_with(i18n, move |locale| who(locale, &shown));
    let labelled = lockout.clone();
    let label = text_with(i18n, move |locale| {
        let who = who(locale, &labelled);
        let client = labelled.client.as_str();
        td_string!(locale, lockouts.clear_label, who, client)
    });
    let until = lockout.locked_until as f64 * 1000.0;
    let failures = lockout.failures;
    let client = lockout.client.clone();
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td class="client">{client}</td>
            <td class="failures">{move || number(i18n.get_locale(), failures as u64)}</td>
            <td class="until">{move || time_of_day(i18n.get_locale(), until)}</td>
            <td>
                <button type="button" aria-label=label on:click=move |_| on_clear.run(lockout.clone())>
                    {tr!(i18n, lockouts.clear)}
                </button>
            </td>
        </tr>
    }
}
