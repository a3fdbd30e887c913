//! Clicks made with a real mouse press and release (WebDriver pointer actions, not a script's
//! `click()`): the button pressed must still be under the pointer when it is released, so nothing
//! the press sets off (the focused field's blur) may move it (issue 13, item 13).

use std::time::Duration;

use e2e::{
    DEMO_ADMIN, DEMO_USER, PATIENCE, Server, button, in_browser, input_labelled,
    sign_in_on_the_way_to, wait_for,
};
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator, error::CmdError};
use serde_json::json;

/// Presses the left button on the middle of `element`, holds it as a person does for a moment,
/// and releases it where the pointer is.
async fn press_and_release(client: &Client, element: Element) -> Result<(), CmdError> {
    client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' })",
            vec![json!(element)],
        )
        .await?;
    let mouse = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveToElement {
            element,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Pause {
            duration: Duration::from_millis(150),
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client.perform_actions(mouse).await?;
    client.release_actions().await
}

/// Whether the focused element is an empty input (the case of the issue).
async fn focus_is_on_an_empty_field(client: &Client) -> Result<bool, CmdError> {
    let answer = client
        .execute(
            "const a = document.activeElement; return a.tagName === 'INPUT' && a.value === '';",
            vec![],
        )
        .await?;
    Ok(answer == json!(true))
}

/// Polls until `condition` holds, or fails with `what` after [`PATIENCE`].
async fn eventually<F, Fut>(what: &str, mut condition: F) -> Result<(), CmdError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool, CmdError>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !condition().await? {
        assert!(tokio::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn open_the_add_dialog(client: &Client, url: &str) -> Result<(), CmdError> {
    sign_in_on_the_way_to(client, url, "/admin/email/services", DEMO_ADMIN.0).await?;
    wait_for(client, "//table").await?;
    button(client, "+ Add").await?.click().await?;
    wait_for(client, "//*[@role='dialog']").await?;
    eventually("the empty Name field takes the focus", || {
        focus_is_on_an_empty_field(client)
    })
    .await
}

async fn is_invalid(client: &Client, label: &str) -> Result<bool, CmdError> {
    let input = input_labelled(client, label).await?;
    Ok(input.attr("aria-invalid").await?.as_deref() == Some("true"))
}

/// The "Correct the fields marked “Error”" line that only a press of the submit button shows.
async fn submit_was_pressed(client: &Client) -> Result<bool, CmdError> {
    let status = client
        .find_all(Locator::XPath(
            "//*[contains(@class,'dialog-status')][contains(., 'Correct the fields')]",
        ))
        .await?;
    Ok(!status.is_empty())
}

#[tokio::test]
async fn cancel_pressed_while_the_empty_name_has_the_focus_closes_the_dialog() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        open_the_add_dialog(&client, &url).await?;
        let cancel = wait_for(
            &client,
            "//*[@role='dialog']//button[normalize-space()='Cancel']",
        )
        .await?;
        press_and_release(&client, cancel).await?;
        eventually("the first press of Cancel closes the dialog", || async {
            Ok(client
                .find_all(Locator::XPath("//*[@role='dialog']"))
                .await?
                .is_empty())
        })
        .await
    })
    .await;
}

#[tokio::test]
async fn add_pressed_while_the_empty_name_has_the_focus_judges_the_whole_form() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        open_the_add_dialog(&client, &url).await?;
        let add = wait_for(&client, "//*[@role='dialog']//button[@type='submit']").await?;
        press_and_release(&client, add).await?;
        eventually("the first press of Add judges the form", || {
            submit_was_pressed(&client)
        })
        .await?;
        for label in ["Name", "SMTP server", "IMAP server"] {
            assert!(
                is_invalid(&client, label).await?,
                "Add marks {label} as missing"
            );
        }
        Ok(())
    })
    .await;
}

/// The same on the user's "Other" form: its server fields are the admin dialog's.
#[tokio::test]
async fn connect_pressed_while_an_empty_server_has_the_focus_judges_the_form() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, "/mail/connect", DEMO_USER.0).await?;
        input_labelled(&client, "Other").await?.click().await?;
        for (label, text) in [
            ("Mailbox address or login", "anna@petrova.example"),
            ("Mailbox password", "home-password"),
            ("IMAP server", "mail.petrova.example:993"),
        ] {
            input_labelled(&client, label)
                .await?
                .send_keys(text)
                .await?;
        }
        input_labelled(&client, "SMTP server")
            .await?
            .click()
            .await?;
        assert!(focus_is_on_an_empty_field(&client).await?);
        let connect = button(&client, "Connect").await?;
        press_and_release(&client, connect).await?;
        eventually("the first press of Connect judges the form", || {
            submit_was_pressed(&client)
        })
        .await?;
        assert!(is_invalid(&client, "SMTP server").await?);
        Ok(())
    })
    .await;
}
