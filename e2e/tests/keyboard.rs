//! End to end with the keyboard alone (issue 8): an administrator signs in, adds a corporate
//! service through the Add dialog and saves the settings; then a user signs in and connects a
//! mailbox through that service. Every step is a key pressed on whatever has the focus (Tab,
//! Shift+Tab, Enter, Space, arrows, Escape, typing): nothing is clicked, no element is sent keys
//! and no script moves the focus. Between the steps the test checks where the focus is (so the tab
//! order is the reading order), that it can be seen and is not hidden under anything, that the
//! dialog keeps it inside and gives it back to the button that opened it (or, when that button is
//! gone with its row, keeps it in the page), and that the outcomes
//! are announced to screen readers. The run is made at a desktop size and again at 200 % zoom.

use e2e::announcements::{assert_announced, watch};
use e2e::audit::{DESKTOP, Viewport, ZOOMED, set_viewport};
use e2e::keyboard::{
    assert_focus, assert_focus_in_main, press, press_shifted, shift_tab_expect, shift_tab_to,
    tab_expect, tab_to, type_text,
};
use e2e::{
    DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER, PATIENCE, Server, in_browser, table_rows, wait_for,
    wait_for_path,
};
use fantoccini::key::Key;
use fantoccini::{Client, Locator, error::CmdError};
use serde_json::json;

/// The input the label with this text names.
fn labelled(label: &str) -> String {
    format!("//*[@id=(//label[normalize-space()=\"{label}\"]/@for)]")
}

fn button(text: &str) -> String {
    format!("//button[normalize-space()='{text}']")
}

fn dialog(path: &str) -> String {
    format!("//*[@role='dialog']{path}")
}

/// The top bar's button that chooses `language` (named in itself).
fn language_button(language: &str) -> String {
    format!("//header//*[@role='group']//button[normalize-space()='{language}']")
}

const ADD: &str = "//button[normalize-space()='+ Add']";
const SERVICES_TABLE: &str = "//table[caption[normalize-space()='Email services']]";
const MAILBOXES_TABLE: &str = "//table[caption[normalize-space()='Your mailboxes']]";

/// The value of the form control the focus is on.
async fn focused_value(client: &Client) -> Result<String, CmdError> {
    let value = client
        .execute("return document.activeElement.value", vec![])
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

async fn dialog_is_open(client: &Client) -> Result<bool, CmdError> {
    Ok(!client
        .find_all(Locator::XPath("//*[@role='dialog']"))
        .await?
        .is_empty())
}

/// Signs in on the sign-in page that is showing, whose login field has the focus.
async fn sign_in(client: &Client, login: &str) -> Result<(), CmdError> {
    wait_for(client, &labelled("Login")).await?;
    assert_focus(
        client,
        "opening the sign-in page",
        "the login field",
        &labelled("Login"),
    )
    .await?;
    type_text(client, login).await?;
    tab_expect(client, "the password field", &labelled("Password")).await?;
    type_text(client, DEMO_PASSWORD).await?;
    press(client, Key::Enter).await
}

/// After signing in, the focus is on the page's heading `heading` (so a screen reader says where
/// the person now is). Shift+Tab goes up through the top bar: "Sign out", the language buttons,
/// the navigation `nav`, the product's link, the skip link; and Tab comes back down in the order
/// the bar shows them, on past the heading (only a target for the focus) into the page.
async fn through_the_top_bar(client: &Client, heading: &str, nav: &[&str]) -> Result<(), CmdError> {
    assert_focus(
        client,
        "signing in",
        &format!("the page's heading “{heading}”"),
        &format!("//main//h1[normalize-space()='{heading}']"),
    )
    .await?;
    let mut stops = vec![
        (
            "the skip link".to_owned(),
            "//a[normalize-space()='Skip to content']".to_owned(),
        ),
        (
            "the product's link".to_owned(),
            "//header//a[normalize-space()='Mail services']".to_owned(),
        ),
    ];
    stops.extend(nav.iter().map(|link| {
        (
            format!("the navigation's “{link}”"),
            format!("//header//nav//a[normalize-space()='{link}']"),
        )
    }));
    stops.extend(["English", "Русский"].map(|language| {
        (
            format!("the language button “{language}”"),
            language_button(language),
        )
    }));
    stops.push(("“Sign out”".to_owned(), button("Sign out")));
    for (what, xpath) in stops.iter().rev() {
        shift_tab_expect(client, what, xpath).await?;
    }
    for (what, xpath) in &stops[1..] {
        tab_expect(client, what, xpath).await?;
    }
    Ok(())
}

async fn administrator_signs_in(client: &Client, url: &str) -> Result<(), CmdError> {
    client.goto(url).await?;
    wait_for_path(client, url, "/sign-in").await?;
    // The app moves from page to page without loading anew: this lasts the whole run.
    watch(client).await?;
    sign_in(client, DEMO_ADMIN.0).await?;
    wait_for_path(client, url, "/admin/email/services").await?;
    wait_for(client, SERVICES_TABLE).await?;
    through_the_top_bar(
        client,
        "Email service settings",
        &[
            "My mailboxes",
            "Connect a mailbox",
            "Email service settings",
        ],
    )
    .await?;
    // Then the page itself: the two policies, the search and "+ Add".
    tab_expect(
        client,
        "the first company policy",
        &labelled("Allow entering details of the mail server manually"),
    )
    .await?;
    tab_expect(
        client,
        "the second company policy",
        &labelled("Allow business processes to send mail from users' personal addresses (Send personal email block)"),
    )
    .await?;
    tab_expect(client, "the search field", &labelled("Search services")).await?;
    tab_expect(client, "“+ Add”", ADD).await
}

/// The Add dialog opens with the focus on Name, and Escape closes it and gives the focus back.
async fn escape_closes_the_add_dialog(client: &Client) -> Result<(), CmdError> {
    press(client, Key::Enter).await?;
    wait_for(client, &dialog("")).await?;
    assert_focus(
        client,
        "Enter on “+ Add”",
        "the dialog's Name field",
        &dialog(&labelled("Name")),
    )
    .await?;
    press(client, Key::Escape).await?;
    assert!(!dialog_is_open(client).await?, "Escape closes the dialog");
    assert_focus(
        client,
        "Escape in the dialog",
        "“+ Add”, which opened it",
        ADD,
    )
    .await
}

/// SPEC A2 by keyboard: name, both servers, the IMAP security picked with the arrow keys; Tab
/// wraps inside the dialog both ways; Enter on "Add" applies it.
async fn adds_fabrikam_in_the_dialog(client: &Client) -> Result<(), CmdError> {
    press(client, Key::Space).await?;
    wait_for(client, &dialog("")).await?;
    assert_focus(
        client,
        "Space on “+ Add”",
        "the dialog's Name field",
        &dialog(&labelled("Name")),
    )
    .await?;
    type_text(client, "Fabrikam").await?;
    tab_expect(
        client,
        "the SMTP server field",
        &dialog(&labelled("SMTP server")),
    )
    .await?;
    type_text(client, "smtp.fabrikam.com:465").await?;
    tab_expect(
        client,
        "the SMTP connection security",
        &dialog(&labelled("Connection security for SMTP")),
    )
    .await?;
    assert_eq!(focused_value(client).await?, "tls", "TLS goes with 465");
    tab_expect(
        client,
        "the IMAP server field",
        &dialog(&labelled("IMAP server")),
    )
    .await?;
    type_text(client, "imap.fabrikam.com:143").await?;
    // Port 143 with TLS: a warning whose fix buttons come after the security choice.
    wait_for(client, &dialog("//*[contains(@class,'message-warning')]")).await?;
    tab_expect(
        client,
        "the IMAP connection security",
        &dialog(&labelled("Connection security for IMAP")),
    )
    .await?;
    // The choices are None, STARTTLS, TLS: one up from TLS is STARTTLS, which fits port 143.
    press(client, Key::Up).await?;
    assert_eq!(focused_value(client).await?, "starttls");
    assert_focus(
        client,
        "choosing STARTTLS with the arrow key",
        "the IMAP connection security",
        &dialog(&labelled("Connection security for IMAP")),
    )
    .await?;
    assert!(
        client
            .find_all(Locator::XPath(&dialog(
                "//*[contains(@class,'message-warning')]"
            )))
            .await?
            .is_empty(),
        "STARTTLS on 143 leaves nothing to warn about"
    );
    tab_expect(client, "“Add”", &dialog(&button("Add"))).await?;
    tab_expect(client, "“Cancel”", &dialog(&button("Cancel"))).await?;
    // The dialog keeps the focus: past the last control it goes round to the first, and back.
    tab_expect(
        client,
        "Name, the dialog's first control: the focus goes round inside the dialog",
        &dialog(&labelled("Name")),
    )
    .await?;
    shift_tab_expect(
        client,
        "“Cancel”, the dialog's last control: the focus goes round inside the dialog",
        &dialog(&button("Cancel")),
    )
    .await?;
    shift_tab_expect(client, "“Add”", &dialog(&button("Add"))).await?;
    press(client, Key::Enter).await?;
    assert!(!dialog_is_open(client).await?, "Add closes the dialog");
    assert_focus(
        client,
        "Enter on “Add”",
        "“+ Add”, which opened the dialog",
        ADD,
    )
    .await?;
    let rows = table_rows(client, SERVICES_TABLE).await?;
    assert!(
        rows.iter()
            .any(|row| row.starts_with("Fabrikam Corporate New")),
        "{rows:?}"
    );
    Ok(())
}

/// SPEC A8 by keyboard: past every row of the list, the unsaved-changes bar's Save comes next.
async fn saves_the_settings(client: &Client) -> Result<(), CmdError> {
    wait_for(
        client,
        "//*[contains(@class,'settings-bar')]//p[normalize-space()='Unsaved changes (1)']",
    )
    .await?;
    let passed = tab_to(
        client,
        "“Save” in the unsaved-changes bar",
        "//*[contains(@class,'settings-bar')]//button[normalize-space()='Save']",
        80,
    )
    .await?;
    // The list comes between "+ Add" and the bar; its last button is the new row's Undo.
    assert!(
        passed
            .last()
            .is_some_and(|last| last.contains("aria-label=\"Undo changes to Fabrikam\"")),
        "the focus reached Save from {:?}",
        passed.last()
    );
    press(client, Key::Enter).await?;
    assert_announced(client, "Settings saved.").await?;
    wait_for(client, "//*[contains(@class,'notice-success')]").await?;
    // The Save button went with the bar: the focus is on what the save came to.
    assert_focus(
        client,
        "Enter on “Save”",
        "the “Settings saved.” notice",
        "//*[contains(@class,'notice-success')]",
    )
    .await?;
    let rows = table_rows(client, SERVICES_TABLE).await?;
    assert!(
        rows.contains(
            &"Fabrikam Corporate smtp.fabrikam.com:465 TLS imap.fabrikam.com:143 STARTTLS Shown 0"
                .to_owned()
        ),
        "{rows:?}"
    );
    Ok(())
}

/// From wherever the focus is, Shift+Tab back up to "Sign out" and press it.
async fn signs_out(client: &Client, url: &str) -> Result<(), CmdError> {
    for _ in 0..80 {
        let on_sign_out = client
            .execute(
                "return document.activeElement.textContent.trim() === 'Sign out'",
                vec![],
            )
            .await?;
        if on_sign_out == json!(true) {
            break;
        }
        press_shifted(client, Key::Tab).await?;
    }
    assert_focus(
        client,
        "Shift+Tab up the page",
        "“Sign out”",
        &button("Sign out"),
    )
    .await?;
    press(client, Key::Enter).await?;
    wait_for_path(client, url, "/sign-in").await
}

/// SPEC U2 by keyboard: the picker's radio buttons with the arrow keys, then the address, the
/// password and Connect.
async fn user_connects_through_fabrikam(client: &Client, url: &str) -> Result<(), CmdError> {
    sign_in(client, DEMO_USER.0).await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    wait_for(client, MAILBOXES_TABLE).await?;
    through_the_top_bar(
        client,
        "My mailboxes",
        &["My mailboxes", "Connect a mailbox"],
    )
    .await?;
    // Back past the language buttons to "Connect a mailbox", and follow it.
    for language in ["Русский", "English"] {
        shift_tab_expect(
            client,
            &format!("the language button “{language}”"),
            &language_button(language),
        )
        .await?;
    }
    shift_tab_expect(
        client,
        "the navigation's “Connect a mailbox”",
        "//header//nav//a[normalize-space()='Connect a mailbox']",
    )
    .await?;
    press(client, Key::Enter).await?;
    wait_for_path(client, url, "/mail/connect").await?;
    wait_for(client, "//fieldset[legend='Email service']//input").await?;
    let first_service = "(//fieldset[legend='Email service']//input[@type='radio'])[1]";
    let passed = tab_to(client, "the picker's first service", first_service, 10).await?;
    assert!(
        passed.iter().all(|element| !element.starts_with("<input")),
        "nothing to fill in comes before the picker: {passed:?}"
    );
    // Arrow keys move through the services, choosing each; Fabrikam comes before "Other".
    for _ in 0..20 {
        if focused_value(client).await? == "other" {
            break;
        }
        let label = client
            .execute(
                "return document.querySelector(`label[for='${document.activeElement.id}']`).textContent",
                vec![],
            )
            .await?;
        if label == json!("Fabrikam") {
            break;
        }
        press(client, Key::Down).await?;
    }
    assert_focus(
        client,
        "the arrow keys in the picker",
        "the Fabrikam choice",
        &labelled("Fabrikam"),
    )
    .await?;
    let chosen = client
        .execute("return document.activeElement.checked", vec![])
        .await?;
    assert_eq!(chosen, json!(true), "the arrow keys choose Fabrikam");
    tab_expect(
        client,
        "the mailbox address",
        &labelled("Mailbox address or login"),
    )
    .await?;
    type_text(client, "anna@fabrikam.com").await?;
    tab_expect(
        client,
        "the mailbox password",
        &labelled("Mailbox password"),
    )
    .await?;
    type_text(client, "fabrikam-password").await?;
    tab_expect(client, "“Connect”", &button("Connect")).await?;
    press(client, Key::Enter).await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    assert_announced(client, "Connected anna@fabrikam.com.").await?;
    wait_for(client, MAILBOXES_TABLE).await?;
    let rows = table_rows(client, MAILBOXES_TABLE).await?;
    assert!(
        rows.contains(&"anna@fabrikam.com Fabrikam Active Disconnect anna@fabrikam.com".to_owned()),
        "{rows:?}"
    );
    // And the server has it.
    let mailboxes = client
        .execute(
            "return fetch('/api/mail/mailboxes').then(response => response.json())",
            vec![],
        )
        .await?;
    let fabrikam = mailboxes
        .as_array()
        .and_then(|list| list.iter().find(|m| m["address"] == "anna@fabrikam.com"))
        .unwrap_or_else(|| panic!("anna@fabrikam.com is not among {mailboxes}"));
    assert_eq!(fabrikam["status"], "active", "{fabrikam}");
    assert_eq!(fabrikam["server"]["name"], "Fabrikam", "{fabrikam}");
    Ok(())
}

/// The disconnect question keeps the focus inside, and Escape gives it back to the button.
async fn the_disconnect_question_keeps_and_returns_the_focus(
    client: &Client,
) -> Result<(), CmdError> {
    let opener = button("Disconnect anna@fabrikam.com");
    tab_to(client, "“Disconnect anna@fabrikam.com”", &opener, 30).await?;
    press(client, Key::Enter).await?;
    wait_for(client, &dialog("")).await?;
    assert_focus(
        client,
        "Enter on “Disconnect”",
        "the dialog's “Disconnect”",
        &dialog(&button("Disconnect")),
    )
    .await?;
    tab_expect(client, "the dialog's “Cancel”", &dialog(&button("Cancel"))).await?;
    tab_expect(
        client,
        "“Disconnect”, the dialog's first control: the focus goes round inside the dialog",
        &dialog(&button("Disconnect")),
    )
    .await?;
    press(client, Key::Escape).await?;
    assert!(!dialog_is_open(client).await?, "Escape closes the question");
    assert_focus(
        client,
        "Escape",
        "the button that opened the question",
        &opener,
    )
    .await?;
    let rows = table_rows(client, MAILBOXES_TABLE).await?;
    assert!(
        rows.iter().any(|row| row.starts_with("anna@fabrikam.com ")),
        "Escape disconnects nothing: {rows:?}"
    );
    Ok(())
}

/// SPEC U4 by keyboard: the row and its button go, the focus stays in the page, and the outcome is
/// announced.
async fn disconnecting_keeps_the_focus_in_the_page(client: &Client) -> Result<(), CmdError> {
    shift_tab_to(
        client,
        "“Disconnect anna.petrova@gmail.com”",
        &button("Disconnect anna.petrova@gmail.com"),
        10,
    )
    .await?;
    press(client, Key::Enter).await?;
    wait_for(client, &dialog("")).await?;
    press(client, Key::Enter).await?;
    assert_announced(client, "Disconnected anna.petrova@gmail.com.").await?;
    // Once the list has caught up, without the row.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while table_rows(client, MAILBOXES_TABLE)
        .await?
        .iter()
        .any(|row| row.starts_with("anna.petrova@gmail.com "))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the disconnected mailbox is still listed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_focus_in_main(client, "disconnecting a mailbox").await
}

async fn by_keyboard_alone(viewport: Viewport) {
    let server = Server::start_with_demo().await;
    in_browser(&server, move |client, url| async move {
        set_viewport(&client, viewport).await?;
        administrator_signs_in(&client, &url).await?;
        escape_closes_the_add_dialog(&client).await?;
        adds_fabrikam_in_the_dialog(&client).await?;
        saves_the_settings(&client).await?;
        signs_out(&client, &url).await?;
        user_connects_through_fabrikam(&client, &url).await?;
        the_disconnect_question_keeps_and_returns_the_focus(&client).await?;
        disconnecting_keeps_the_focus_in_the_page(&client).await
    })
    .await;
}

#[tokio::test]
async fn administrator_adds_a_service_and_a_user_connects_through_it_by_keyboard_alone() {
    by_keyboard_alone(DESKTOP).await;
}

/// The same at 200 % zoom, where the bars wrap and the sticky unsaved-changes bar takes more room.
#[tokio::test]
async fn the_same_by_keyboard_alone_at_200_percent_zoom() {
    by_keyboard_alone(ZOOMED).await;
}
