//! End to end: a user (Anna, of `serve --demo`) signs in and lands on My mailboxes, connects a
//! listed service and an "Other" one (SPEC U1–U3), is told when the administrator deleted the
//! server of one of her mailboxes (SPEC A4, U4), disconnects it, and sets her business-process
//! sending preference (SPEC U5); all through the real app against the real server.

use std::time::Duration;

use e2e::{
    Browser, DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER, PATIENCE, Server, button,
    end_session_on_the_server, fill_in_sign_in, input_labelled, main_heading, screenshot,
    sign_in_on_the_way_to, table_rows, wait_for, wait_for_path,
};
use fantoccini::{Client, Locator, error::CmdError};

const MAILBOXES_TABLE: &str = "//table[caption[normalize-space()='Your mailboxes']]";

/// The rows of the mailbox table, as text with white space folded.
async fn mailbox_rows(client: &Client) -> Result<Vec<String>, CmdError> {
    wait_for(client, MAILBOXES_TABLE).await?;
    table_rows(client, MAILBOXES_TABLE).await
}

/// Waits until the mailbox table has exactly `expected` rows.
async fn wait_for_rows(client: &Client, expected: &[&str]) -> Result<(), CmdError> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let rows = mailbox_rows(client).await?;
        if rows == expected {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            assert_eq!(rows, expected);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The radio button or checkbox that the label with this text names.
async fn choice(client: &Client, label: &str) -> Result<fantoccini::elements::Element, CmdError> {
    input_labelled(client, label).await
}

async fn type_into(client: &Client, label: &str, text: &str) -> Result<(), CmdError> {
    let input = input_labelled(client, label).await?;
    input.clear().await?;
    input.send_keys(text).await
}

async fn anna_signs_in_and_sees_her_mailboxes(client: &Client, url: &str) -> Result<(), CmdError> {
    client.goto(url).await?;
    wait_for_path(client, url, "/sign-in").await?;
    fill_in_sign_in(client, DEMO_USER.0, DEMO_PASSWORD).await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    assert_eq!(main_heading(client).await?, "My mailboxes");
    wait_for_rows(
        client,
        &[
            "anna.petrova@gmail.com Gmail Active Disconnect anna.petrova@gmail.com",
            "anna@contoso.com Contoso Mail Active Disconnect anna@contoso.com",
        ],
    )
    .await?;
    assert!(
        client
            .find_all(Locator::Css(".server-deleted"))
            .await?
            .is_empty(),
        "nothing was deleted yet"
    );
    wait_for(client, "//header//nav//a[normalize-space()='My mailboxes']").await?;
    screenshot(client, "my-mailboxes").await;
    Ok(())
}

async fn connects_yahoo(client: &Client, url: &str) -> Result<(), CmdError> {
    wait_for(
        client,
        "//header//nav//a[normalize-space()='Connect a mailbox']",
    )
    .await?
    .click()
    .await?;
    wait_for_path(client, url, "/mail/connect").await?;
    assert_eq!(main_heading(client).await?, "Connect a mailbox");
    // SPEC U1: Rambler is hidden by the demo's administrator.
    let mut offered = Vec::new();
    for label in client
        .find_all(Locator::XPath("//fieldset[legend='Email service']//label"))
        .await?
    {
        offered.push(label.text().await?);
    }
    assert!(offered.contains(&"Yahoo".to_owned()), "{offered:?}");
    assert!(!offered.contains(&"Rambler".to_owned()), "{offered:?}");
    assert_eq!(offered.last().map(String::as_str), Some("Other"));
    choice(client, "Yahoo").await?.click().await?;
    type_into(client, "Mailbox address or login", "anna@yahoo.com").await?;
    let password = input_labelled(client, "Mailbox password").await?;
    assert_eq!(password.attr("type").await?.as_deref(), Some("password"));
    assert_eq!(
        password.attr("autocomplete").await?.as_deref(),
        Some("new-password")
    );
    password.send_keys("yahoo-app-password").await?;
    screenshot(client, "connect-service").await;
    button(client, "Connect").await?.click().await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    let announced = wait_for(client, "//*[@role='status'][.//p]")
        .await?
        .text()
        .await?;
    assert_eq!(announced, "Connected anna@yahoo.com.");
    wait_for_rows(
        client,
        &[
            "anna.petrova@gmail.com Gmail Active Disconnect anna.petrova@gmail.com",
            "anna@contoso.com Contoso Mail Active Disconnect anna@contoso.com",
            "anna@yahoo.com Yahoo Active Disconnect anna@yahoo.com",
        ],
    )
    .await
}

/// SPEC U3: "Other" with an IMAP server without a port, fixed with the offered button.
async fn connects_other_fixing_the_imap_port(client: &Client, url: &str) -> Result<(), CmdError> {
    client.goto(&format!("{url}mail/connect")).await?;
    choice(client, "Other").await?.click().await?;
    type_into(client, "Mailbox address or login", "anna@petrova.example").await?;
    // The password sent before is not kept anywhere in the page.
    let password = input_labelled(client, "Mailbox password").await?;
    assert_eq!(password.prop("value").await?.as_deref(), Some(""));
    password.send_keys("home-password").await?;
    type_into(client, "SMTP server", "mail.petrova.example:465").await?;
    type_into(client, "IMAP server", "mail.petrova.example").await?;
    let imap = input_labelled(client, "IMAP server").await?;
    assert_eq!(imap.attr("aria-invalid").await?.as_deref(), Some("true"));
    let fix = button(client, "Use mail.petrova.example:993").await?;
    screenshot(client, "connect-other-error").await;
    client.set_window_size(360, 800).await?;
    screenshot(client, "connect-other-narrow").await;
    client.set_window_size(1280, 900).await?;
    fix.click().await?;
    let imap = input_labelled(client, "IMAP server").await?;
    assert_eq!(
        imap.prop("value").await?.as_deref(),
        Some("mail.petrova.example:993")
    );
    button(client, "Connect").await?.click().await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    wait_for_rows(
        client,
        &[
            "anna.petrova@gmail.com Gmail Active Disconnect anna.petrova@gmail.com",
            "anna@contoso.com Contoso Mail Active Disconnect anna@contoso.com",
            "anna@yahoo.com Yahoo Active Disconnect anna@yahoo.com",
            "anna@petrova.example Other: SMTP mail.petrova.example:465 / IMAP mail.petrova.example:993 Active Disconnect anna@petrova.example",
        ],
    )
    .await
}

/// The administrator deletes "Contoso Mail" through the settings page (SPEC A4).
async fn administrator_deletes_contoso_mail(admin: &Client, url: &str) -> Result<(), CmdError> {
    sign_in_on_the_way_to(admin, url, "/admin/email/services", DEMO_ADMIN.0).await?;
    wait_for(admin, "//button[@aria-label='Delete Contoso Mail']")
        .await?
        .click()
        .await?;
    wait_for(admin, "//*[@role='dialog']").await?;
    button(admin, "Delete").await?.click().await?;
    button(admin, "Save").await?.click().await?;
    wait_for(admin, "//*[contains(@class,'notice-success')]").await?;
    Ok(())
}

async fn anna_is_told_her_contoso_mailbox_was_disconnected(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    // Signing in again lands on My mailboxes, which shows the notification.
    button(client, "Sign out").await?.click().await?;
    wait_for_path(client, url, "/sign-in").await?;
    fill_in_sign_in(client, DEMO_USER.0, DEMO_PASSWORD).await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    let alert = wait_for(
        client,
        "//*[@role='alert'][contains(@class,'server-deleted')]",
    )
    .await?
    .text()
    .await?;
    assert!(alert.contains("anna@contoso.com (Contoso Mail)"), "{alert}");
    assert!(
        alert.contains(
            "The connection was interrupted because your administrator removed the mail server"
        ),
        "{alert}"
    );
    assert!(
        alert.contains("Mail received earlier is still there."),
        "{alert}"
    );
    let rows = mailbox_rows(client).await?;
    assert_eq!(
        rows[1],
        "anna@contoso.com Contoso Mail Server deleted by your administrator Disconnect anna@contoso.com"
    );
    screenshot(client, "my-mailboxes-server-deleted").await;
    client.set_window_size(360, 800).await?;
    screenshot(client, "my-mailboxes-narrow").await;
    client.set_window_size(1280, 900).await?;
    // And on opening the page again.
    client.refresh().await?;
    wait_for(
        client,
        "//*[@role='alert'][contains(@class,'server-deleted')]",
    )
    .await?;
    Ok(())
}

async fn disconnects_the_contoso_mailbox(client: &Client) -> Result<(), CmdError> {
    button(client, "Disconnect anna@contoso.com")
        .await?
        .click()
        .await?;
    let dialog = wait_for(client, "//*[@role='dialog']").await?;
    assert!(
        dialog
            .text()
            .await?
            .contains("Disconnect anna@contoso.com?"),
        "{}",
        dialog.text().await?
    );
    screenshot(client, "disconnect-dialog").await;
    wait_for(
        client,
        "//*[@role='dialog']//button[normalize-space()='Disconnect']",
    )
    .await?
    .click()
    .await?;
    wait_for_rows(
        client,
        &[
            "anna.petrova@gmail.com Gmail Active Disconnect anna.petrova@gmail.com",
            "anna@yahoo.com Yahoo Active Disconnect anna@yahoo.com",
            "anna@petrova.example Other: SMTP mail.petrova.example:465 / IMAP mail.petrova.example:993 Active Disconnect anna@petrova.example",
        ],
    )
    .await?;
    let announced = wait_for(client, "//*[@role='status'][.//p]")
        .await?
        .text()
        .await?;
    assert_eq!(announced, "Disconnected anna@contoso.com.");
    assert!(
        client
            .find_all(Locator::Css(".server-deleted"))
            .await?
            .is_empty(),
        "no mailbox on a deleted server is left"
    );
    Ok(())
}

/// SPEC U5: the choice is saved at once and stays after a reload.
async fn denies_business_process_sending(client: &Client) -> Result<(), CmdError> {
    let inherit = wait_for(
        client,
        "//input[@id=(//label[starts-with(normalize-space(),'Use the company setting (currently: ')]/@for)]",
    )
    .await?;
    assert_eq!(inherit.prop("checked").await?.as_deref(), Some("true"));
    choice(client, "Deny").await?.click().await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let effect = wait_for(client, "//p[contains(@class,'effect')]")
            .await?
            .text()
            .await?;
        let saving = client
            .find_all(Locator::XPath(
                "//p[@role='status'][normalize-space()='Saving…']",
            ))
            .await?;
        if effect.contains("may not send") && saving.is_empty() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{effect}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.refresh().await?;
    let deny = choice(client, "Deny").await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while deny.prop("checked").await?.as_deref() != Some("true") {
        assert!(tokio::time::Instant::now() < deadline, "Deny was not saved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(client, "business-process").await;
    Ok(())
}

/// The session ends while connecting: the app asks to sign in again and comes back to the form
/// with what was typed, except the password.
async fn an_ended_session_keeps_the_connect_form(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    client.goto(&format!("{url}mail/connect")).await?;
    choice(client, "Gmail").await?.click().await?;
    type_into(client, "Mailbox address or login", "anna.work@gmail.com").await?;
    input_labelled(client, "Mailbox password")
        .await?
        .send_keys("gmail-app-password")
        .await?;
    end_session_on_the_server(client).await?;
    button(client, "Connect").await?.click().await?;
    wait_for_path(client, url, "/sign-in?next=/mail/connect").await?;
    fill_in_sign_in(client, DEMO_USER.0, DEMO_PASSWORD).await?;
    wait_for_path(client, url, "/mail/connect").await?;
    let address = input_labelled(client, "Mailbox address or login").await?;
    assert_eq!(
        address.prop("value").await?.as_deref(),
        Some("anna.work@gmail.com")
    );
    let gmail = choice(client, "Gmail").await?;
    assert_eq!(gmail.prop("checked").await?.as_deref(), Some("true"));
    let password = input_labelled(client, "Mailbox password").await?;
    assert_eq!(password.prop("value").await?.as_deref(), Some(""));
    Ok(())
}

#[tokio::test]
async fn user_connects_mailboxes_is_told_of_a_deleted_server_and_disconnects() {
    let server = Server::start_with_demo().await;
    let anna = Browser::start().await;
    let admin = Browser::start().await;
    let outcome = tokio::spawn({
        let (anna, admin, url) = (
            anna.client.clone(),
            admin.client.clone(),
            server.url.clone(),
        );
        async move {
            anna_signs_in_and_sees_her_mailboxes(&anna, &url).await?;
            connects_yahoo(&anna, &url).await?;
            connects_other_fixing_the_imap_port(&anna, &url).await?;
            administrator_deletes_contoso_mail(&admin, &url).await?;
            anna_is_told_her_contoso_mailbox_was_disconnected(&anna, &url).await?;
            disconnects_the_contoso_mailbox(&anna).await?;
            denies_business_process_sending(&anna).await?;
            an_ended_session_keeps_the_connect_form(&anna, &url).await
        }
    })
    .await;
    anna.close().await;
    admin.close().await;
    match outcome {
        Ok(result) => result.expect("a browser command failed"),
        Err(panic) => std::panic::resume_unwind(panic.into_panic()),
    }
}
