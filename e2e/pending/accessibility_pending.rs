//! Accessibility that needs changes in `src/` (issue 8, item 2): where the keyboard focus goes when
//! what had it disappears or the page changes, what a disabled button leaves a person to guess, and
//! what a phone hides with the column headers. Driven by key presses alone like `keyboard.rs`.
//! Each test FAILS until the change its comment names is made in the app; then they belong with
//! `keyboard.rs` and `accessibility.rs`.

use e2e::audit::{PHONE, set_viewport};
use e2e::keyboard::{assert_focus, assert_focus_in_main, press, press_shifted, tab_to};
use e2e::{DEMO_ADMIN, DEMO_USER, Server, in_browser, sign_in_on_the_way_to, wait_for};
use fantoccini::key::Key;
use fantoccini::{Client, error::CmdError};
use serde_json::{Value, json};

const SETTINGS: &str = "/admin/email/services";
const HIDE_GMAIL: &str = "//button[@aria-label='Hide Gmail']";

async fn administrator_on_the_settings(client: &Client, url: &str) -> Result<(), CmdError> {
    sign_in_on_the_way_to(client, url, SETTINGS, DEMO_ADMIN.0).await?;
    wait_for(client, "//table").await?;
    Ok(())
}

/// On the settings page: hides Gmail (a staged change), then tabs on to the unsaved-changes bar's
/// button `text` and presses it.
async fn hide_gmail_and_press_in_the_bar(
    client: &Client,
    url: &str,
    text: &str,
) -> Result<(), CmdError> {
    administrator_on_the_settings(client, url).await?;
    tab_to(client, "“Hide Gmail”", HIDE_GMAIL, 20).await?;
    press(client, Key::Enter).await?;
    tab_to(
        client,
        &format!("“{text}” in the unsaved-changes bar"),
        &format!("//*[contains(@class,'settings-bar')]//button[normalize-space()='{text}']"),
        80,
    )
    .await?;
    press(client, Key::Enter).await
}

/// Fix: src/components/settings_bar.rs (`SettingsBar`, `DiscardQuestion`) or
/// src/pages/admin_services.rs (`SettingsEditor`'s `on_discard`): the bar disappears with its
/// buttons when the changes are discarded; the focus must go to something in the page, e.g. the
/// "+ Add" button or the list's heading (`tabindex="-1"`). Now it drops to the document and the
/// next Tab starts again at the top of the page.
#[tokio::test]
async fn discarding_keeps_the_focus_in_the_page() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        hide_gmail_and_press_in_the_bar(&client, &url, "Discard").await?;
        press_shifted(&client, Key::Tab).await?;
        assert_focus(
            &client,
            "Shift+Tab from “Keep them”",
            "“Yes, discard”",
            "//button[normalize-space()='Yes, discard']",
        )
        .await?;
        press(&client, Key::Enter).await?;
        assert_focus_in_main(&client, "Enter on “Yes, discard”").await
    })
    .await;
}

/// Fix: src/pages/admin_services.rs, `SettingsEditor`: after a successful save the bar, and the
/// Save button that had the focus, are gone; the focus must go to something in the page, e.g. the
/// "Settings saved." notice made focusable (`tabindex="-1"`) or the list's heading. Now it drops to
/// the document and the next Tab starts again at the top of the page.
#[tokio::test]
async fn saving_keeps_the_focus_in_the_page() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        hide_gmail_and_press_in_the_bar(&client, &url, "Save").await?;
        wait_for(&client, "//*[contains(@class,'notice-success')]").await?;
        assert_focus_in_main(&client, "Enter on “Save”").await
    })
    .await;
}

/// Fix: src/app.rs (`Pages`) or each page's `set_title` call in src/pages/: after the app moves to
/// another page the focus must go to the new page's content, e.g. its `<h1>` made focusable
/// (`tabindex="-1"`) or `<main id="main">`, so that a screen reader says where the person now is
/// and the next Tab goes on in the new content. Now the focus stays on the navigation link and
/// nothing says that the page changed (its title changes silently).
#[tokio::test]
async fn following_a_navigation_link_takes_the_focus_to_the_new_page() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, "/mail/mailboxes", DEMO_USER.0).await?;
        wait_for(&client, "//table").await?;
        tab_to(
            &client,
            "the navigation's “Connect a mailbox”",
            "//header//nav//a[normalize-space()='Connect a mailbox']",
            5,
        )
        .await?;
        press(&client, Key::Enter).await?;
        e2e::wait_for_path(&client, &url, "/mail/connect").await?;
        wait_for(&client, "//main//input[@type='radio']").await?;
        assert_focus_in_main(&client, "Enter on “Connect a mailbox”").await
    })
    .await;
}

/// Asserts that when the form or dialog `scope` (an XPath) has its submit button disabled and a
/// status asking to correct the fields marked “Error”, some field in it is so marked.
async fn assert_a_disabled_submit_says_what_to_correct(
    client: &Client,
    scope: &str,
    step: &str,
) -> Result<(), CmdError> {
    let state = client
        .execute(
            "const scope = document.evaluate(arguments[0], document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
             const submit = scope.querySelector('button[type=submit]');
             return {
               disabled: submit.disabled,
               status: (scope.querySelector('.dialog-status') || {}).textContent || '',
               marked: scope.querySelectorAll('[aria-invalid=true]').length,
             };",
            vec![json!(scope)],
        )
        .await?;
    let status = state["status"].as_str().unwrap_or_default();
    assert!(
        !(state["disabled"] == Value::Bool(true) && state["marked"] == json!(0)),
        "after {step}, the submit button is disabled (so it is skipped by Tab and cannot reveal what \
         is missing) and the page says “{status}”, but no field is marked as an error"
    );
    Ok(())
}

/// Fix: src/components/service_dialog.rs, `ServiceDialog` (and the same in
/// src/pages/connect_mailbox.rs, `ConnectForm`, for "Other"): either keep the submit button
/// enabled and on submit reveal every field's error (as the sign-in form and "Connect" through a
/// listed service do), or, while no error is shown, say what to fill in ("Fill in the fields
/// marked *") instead of “Correct the fields marked “Error” to continue.”. Now an empty Add dialog
/// has “Add” disabled and that message, while no field is marked.
#[tokio::test]
async fn an_empty_add_dialog_says_what_to_fill_in() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        administrator_on_the_settings(&client, &url).await?;
        tab_to(
            &client,
            "“+ Add”",
            "//button[normalize-space()='+ Add']",
            20,
        )
        .await?;
        press(&client, Key::Enter).await?;
        wait_for(&client, "//*[@role='dialog']").await?;
        assert_a_disabled_submit_says_what_to_correct(
            &client,
            "//*[@role='dialog']",
            "opening the Add dialog",
        )
        .await
    })
    .await;
}

/// Fix: as for the Add dialog, in src/pages/connect_mailbox.rs, `ConnectForm`: choosing "Other"
/// disables "Connect" (the empty servers are not valid) and says “Correct the fields marked
/// “Error” to continue.” while no field is marked.
#[tokio::test]
async fn choosing_other_says_what_to_fill_in() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, "/mail/connect", DEMO_USER.0).await?;
        tab_to(
            &client,
            "the picker's first service",
            "(//main//input[@type='radio'])[1]",
            10,
        )
        .await?;
        // The arrow keys go round the choices: one up from the first is the last, "Other".
        press(&client, Key::Up).await?;
        assert_focus(
            &client,
            "the up arrow on the first service",
            "“Other”",
            "//input[@type='radio'][@value='other']",
        )
        .await?;
        wait_for(&client, "//fieldset[legend='Mail servers']").await?;
        assert_a_disabled_submit_says_what_to_correct(
            &client,
            "//form[contains(@class,'connect-form')]",
            "choosing “Other”",
        )
        .await
    })
    .await;
}

/// Fix: src/components/service_table.rs, `ServiceRow` (and `MailboxList` in
/// src/pages/my_mailboxes.rs for its columns): on a phone the column headers are hidden, so each
/// data cell needs a `data-label` attribute with its column's name in the interface's language
/// ("SMTP server", "IMAP server", "Visibility", "Mailboxes"); style/main.css already shows it
/// before the cell's text. Now the two servers of a row stand one under the other with nothing
/// to say which is SMTP and which IMAP (e.g. Outlook.com's outlook.office365.com:993), and the
/// count's "Mailboxes: " comes from the stylesheet, in English whatever the language.
#[tokio::test]
async fn on_a_phone_each_server_says_whether_it_is_smtp_or_imap() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        administrator_on_the_settings(&client, &url).await?;
        set_viewport(&client, PHONE).await?;
        let unlabelled = client
            .execute(
                "return [...document.querySelectorAll('table.services tbody td:not(.actions)')]
                   .filter(cell => !cell.hasAttribute('data-label'))
                   .map(cell => `<td class=\"${cell.className}\">${cell.textContent.trim()}`);",
                vec![],
            )
            .await?;
        let unlabelled: Vec<&str> = unlabelled
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            unlabelled.is_empty(),
            "{} cells have no data-label to show on a phone, where the column headers are hidden, \
             e.g. {:?}",
            unlabelled.len(),
            &unlabelled[..unlabelled.len().min(4)]
        );
        Ok(())
    })
    .await;
}
