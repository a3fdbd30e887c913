//! Where the keyboard focus goes when what had it leaves or the page moves on, and what a form
//! leaves a person to guess, driven by key presses alone (see `keyboard.rs`): "Skip to content"
//! (WCAG 2.4.1); Undo, Discard and Save, which go away with what they act on, and a page change
//! (WCAG 2.4.3); a submit button that stays in the Tab order and says what to correct (3.3.1).

use e2e::keyboard::{assert_focus, assert_focus_in_main, press, press_shifted, tab_to};
use e2e::{DEMO_ADMIN, DEMO_USER, Server, in_browser, sign_in_on_the_way_to, wait_for};
use fantoccini::key::Key;
use fantoccini::{Client, error::CmdError};
use serde_json::json;

const SETTINGS: &str = "/admin/email/services";
const HIDE_GMAIL: &str = "//button[@aria-label='Hide Gmail']";

#[tokio::test]
async fn the_skip_link_moves_the_focus_to_the_main_content() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, SETTINGS, DEMO_ADMIN.0).await?;
        // Loaded afresh, so that Tab starts at the top of the page (after signing in, the focus
        // is on the page's heading, past the skip link).
        client.refresh().await?;
        wait_for(&client, "//table").await?;
        tab_to(
            &client,
            "the skip link",
            "//a[normalize-space()='Skip to content']",
            3,
        )
        .await?;
        press(&client, Key::Enter).await?;
        assert_focus(
            &client,
            "Enter on “Skip to content”",
            "the main content",
            "//main[@id='main']",
        )
        .await?;
        press(&client, Key::Tab).await?;
        assert_focus(
            &client,
            "Tab from the main content",
            "the first control of the page, the first company policy",
            "(//main//input)[1]",
        )
        .await
    })
    .await;
}

#[tokio::test]
async fn undoing_a_row_keeps_the_focus_in_the_row() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        administrator_on_the_settings(&client, &url).await?;
        tab_to(&client, "“Hide Gmail”", HIDE_GMAIL, 20).await?;
        press(&client, Key::Enter).await?;
        tab_to(
            &client,
            "Gmail's Undo",
            "//button[@aria-label='Undo changes to Gmail']",
            1,
        )
        .await?;
        press(&client, Key::Enter).await?;
        assert_focus(&client, "Enter on Gmail's Undo", "“Hide Gmail”", HIDE_GMAIL).await
    })
    .await;
}

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

/// The unsaved-changes bar goes with its buttons when the changes are discarded: the focus goes to
/// the list's heading (`SettingsEditor`), not to the document, where the next Tab would start again
/// at the top of the page (WCAG 2.4.3).
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

/// After a successful save the bar, and the Save button that had the focus, are gone: the focus
/// goes to the "Settings saved." notice (`SettingsEditor`).
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

/// After the app moves to another page the focus goes to the new page's heading (`FocusOnNewPage`
/// in src/app.rs), so that a screen reader says where the person now is and the next Tab goes on
/// in the new content, not on the navigation link with nothing to say that the page changed.
#[tokio::test]
async fn following_a_navigation_link_takes_the_focus_to_the_new_page() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, "/mail/mailboxes", DEMO_USER.0).await?;
        // Loaded afresh, so that Tab starts at the top of the page (after signing in, the focus
        // is on the page's heading, past the navigation).
        client.refresh().await?;
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
        assert_focus(
            &client,
            "Enter on “Connect a mailbox”",
            "the new page's heading",
            "//main//h1[normalize-space()='Connect a mailbox']",
        )
        .await
    })
    .await;
}

/// In the form or dialog `scope` (an XPath), just filled in with nothing: its submit button is
/// enabled (in the Tab order) and nothing asks to correct fields while none is marked. Then Tab
/// to the button and Enter: every empty required field is marked, the focus is on the first of
/// them, and the status says to correct the fields marked “Error”.
async fn pressing_submit_marks_what_to_fill_in(
    client: &Client,
    scope: &str,
    step: &str,
) -> Result<(), CmdError> {
    let state = |client: &Client| {
        let client = client.clone();
        async move {
            client
                .execute(
                    "const scope = document.evaluate(arguments[0], document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
                     return {
                       disabled: scope.querySelector('button[type=submit]').disabled,
                       status: [...scope.querySelectorAll('.dialog-status')].map(status => status.textContent.trim()).join(''),
                       marked: scope.querySelectorAll('[aria-invalid=true]').length,
                     };",
                    vec![json!(scope)],
                )
                .await
        }
    };
    let before = state(client).await?;
    assert_eq!(
        before["disabled"],
        json!(false),
        "after {step}, the submit button is disabled: Tab skips it and it cannot say what is missing"
    );
    assert_eq!(
        (before["status"].clone(), before["marked"].clone()),
        (json!(""), json!(0)),
        "after {step}, nothing is marked yet and nothing should ask to correct anything"
    );
    let submit = format!("{scope}//button[@type='submit']");
    tab_to(client, "the submit button", &submit, 15).await?;
    press(client, Key::Enter).await?;
    assert_focus(
        client,
        "Enter on the submit button",
        "the first field marked as an error",
        &format!("({scope}//input[@aria-invalid='true'])[1]"),
    )
    .await?;
    let after = state(client).await?;
    assert!(
        after["marked"].as_u64().is_some_and(|marked| marked >= 2),
        "every empty required field is marked: {after}"
    );
    assert_eq!(
        after["status"],
        json!("Correct the fields marked “Error” to continue.")
    );
    Ok(())
}

/// An empty Add dialog neither disables “Add” (a disabled button is skipped by Tab and cannot say
/// why) nor asks to correct fields marked “Error” while none is: pressing “Add” marks them and
/// takes the focus to the first (`ServiceDialog`).
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
        pressing_submit_marks_what_to_fill_in(
            &client,
            "//*[@role='dialog']",
            "opening the Add dialog",
        )
        .await
    })
    .await;
}

/// The same for “Connect” when "Other" is chosen, with its empty servers (`ConnectForm`).
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
        pressing_submit_marks_what_to_fill_in(
            &client,
            "//form[contains(@class,'connect-form')]",
            "choosing “Other”",
        )
        .await
    })
    .await;
}
