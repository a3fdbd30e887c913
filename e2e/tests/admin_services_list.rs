//! End to end: people sign in through the real sign-in page, against the real server with its demo
//! content; the administrator sees every service of SPEC A1 with its mailbox count, a user is
//! refused the settings page (SPEC section 1).

use e2e::{
    DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER, Server, button, end_session_on_the_server,
    fill_in_sign_in, in_browser, input_labelled, main_heading, screenshot, table_rows, wait_for,
    wait_for_path,
};
use fantoccini::key::Key;
use fantoccini::{Client, Locator, error::CmdError};
use mail_core::catalog::STANDARD_SERVICES;

const SERVICES_TABLE: &str = "//table[caption[normalize-space()='Email services']]";

async fn row_texts(client: &Client) -> Result<Vec<String>, CmdError> {
    table_rows(client, SERVICES_TABLE).await
}

/// The rows `serve --demo` makes: the standard services in the catalogue's order, Rambler hidden
/// (after Boris connected through it), Anna's Gmail and Boris's Rambler mailboxes, then the two
/// corporate services with their mailboxes.
fn demo_rows() -> Vec<String> {
    let mut rows: Vec<String> = STANDARD_SERVICES
        .iter()
        .map(|standard| {
            let (smtp, imap) = (standard.smtp(), standard.imap());
            let (visibility, mailboxes) = match standard.name {
                "Gmail" => ("Shown", 1),
                "Rambler" => ("Hidden", 1),
                _ => ("Shown", 0),
            };
            format!(
                "{} Standard {smtp} {} {imap} {} {visibility} {mailboxes}",
                standard.name,
                smtp.security.label(),
                imap.security.label()
            )
        })
        .collect();
    rows.push(
        "Contoso Mail Corporate mail.contoso.com:465 TLS mail.contoso.com:993 TLS Shown 2".into(),
    );
    rows.push(
        "Contoso Branch Office Corporate smtp.branch.contoso.com:587 STARTTLS \
         imap.branch.contoso.com:143 STARTTLS Shown 1"
            .into(),
    );
    rows
}

async fn administrator_signs_in_on_the_way_to_the_settings(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    // A deep link: the server answers it with the app, which asks a signed-out visitor to sign in.
    client.goto(&format!("{url}admin/email/services")).await?;
    wait_for_path(client, url, "/sign-in?next=/admin/email/services").await?;
    assert_eq!(main_heading(client).await?, "Sign in");
    screenshot(client, "sign-in").await;
    fill_in_sign_in(client, DEMO_ADMIN.0, DEMO_PASSWORD).await?;
    wait_for_path(client, url, "/admin/email/services").await?;
    assert_eq!(main_heading(client).await?, "Email service settings");
    Ok(())
}

async fn every_service_is_listed_with_its_mailbox_count(client: &Client) -> Result<(), CmdError> {
    wait_for(client, SERVICES_TABLE).await?;
    let headers: Vec<String> = {
        let mut headers = Vec::new();
        for cell in client
            .find_all(Locator::XPath(&format!("{SERVICES_TABLE}/thead//th")))
            .await?
        {
            headers.push(cell.text().await?);
        }
        headers
    };
    assert_eq!(
        headers,
        [
            "Name",
            "SMTP server",
            "IMAP server",
            "Visibility",
            "Mailboxes",
            "Actions"
        ]
    );
    assert_eq!(row_texts(client).await?, demo_rows());
    let header = wait_for(client, "//header").await?.text().await?;
    assert!(header.contains(DEMO_ADMIN.1), "{header}");
    wait_for(
        client,
        "//header//nav//a[normalize-space()='Email service settings']",
    )
    .await?;
    screenshot(client, "admin-services").await;
    client.set_window_size(390, 844).await?;
    screenshot(client, "admin-services-narrow").await;
    client.set_window_size(1280, 900).await?;
    Ok(())
}

async fn the_start_page_greets_the_administrator(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    // A fresh load: the session cookie keeps the administrator signed in.
    client.goto(url).await?;
    assert_eq!(main_heading(client).await?, "Mail services");
    let lead = wait_for(client, "//main//p[@class='lead']")
        .await?
        .text()
        .await?;
    assert_eq!(lead, format!("Signed in as {}", DEMO_ADMIN.1));
    wait_for(
        client,
        "//main//a[normalize-space()='Email service settings']",
    )
    .await?;
    screenshot(client, "home-admin").await;
    Ok(())
}

/// The session ends on the server while the app still shows the administrator as signed in: the
/// next request is refused with 401, and the app asks to sign in again and comes back.
async fn an_ended_session_asks_to_sign_in_again(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    end_session_on_the_server(client).await?;
    wait_for(
        client,
        "//header//nav//a[normalize-space()='Email service settings']",
    )
    .await?
    .click()
    .await?;
    wait_for_path(client, url, "/sign-in?next=/admin/email/services").await?;
    fill_in_sign_in(client, DEMO_ADMIN.0, DEMO_PASSWORD).await?;
    wait_for_path(client, url, "/admin/email/services").await?;
    wait_for(client, SERVICES_TABLE).await?;
    Ok(())
}

async fn unknown_pages_say_not_found(client: &Client, url: &str) -> Result<(), CmdError> {
    client.goto(&format!("{url}no/such/page")).await?;
    assert_eq!(main_heading(client).await?, "Page not found");
    Ok(())
}

async fn signing_out_leads_to_the_sign_in_page(client: &Client, url: &str) -> Result<(), CmdError> {
    client.goto(&format!("{url}admin/email/services")).await?;
    wait_for(client, SERVICES_TABLE).await?;
    button(client, "Sign out").await?.click().await?;
    wait_for_path(client, url, "/sign-in").await?;
    assert_eq!(main_heading(client).await?, "Sign in");
    // The server ended the session: the settings are out of reach again.
    client.goto(&format!("{url}admin/email/services")).await?;
    wait_for_path(client, url, "/sign-in?next=/admin/email/services").await?;
    Ok(())
}

#[tokio::test]
async fn administrator_signs_in_and_sees_every_service_with_its_mailbox_count() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        administrator_signs_in_on_the_way_to_the_settings(&client, &url).await?;
        every_service_is_listed_with_its_mailbox_count(&client).await?;
        the_start_page_greets_the_administrator(&client, &url).await?;
        an_ended_session_asks_to_sign_in_again(&client, &url).await?;
        unknown_pages_say_not_found(&client, &url).await?;
        signing_out_leads_to_the_sign_in_page(&client, &url).await
    })
    .await;
}

async fn a_wrong_password_is_refused_and_the_login_kept(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    client.goto(&format!("{url}sign-in")).await?;
    fill_in_sign_in(client, DEMO_USER.0, "not-her-password").await?;
    let alert = wait_for(client, "//*[@role='alert'][.//p]")
        .await?
        .text()
        .await?;
    assert!(alert.contains("Could not sign in"), "{alert}");
    assert!(
        alert.contains("The login or the password is wrong"),
        "{alert}"
    );
    let login = input_labelled(client, "Login").await?;
    assert_eq!(login.prop("value").await?.as_deref(), Some(DEMO_USER.0));
    assert_eq!(
        client.current_url().await?.path(),
        "/sign-in",
        "still on the sign-in page"
    );
    screenshot(client, "sign-in-error").await;
    Ok(())
}

async fn a_user_signs_in_with_enter_and_lands_on_my_mailboxes(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    // The login typed before the error is still there; only the password is typed again.
    let password = input_labelled(client, "Password").await?;
    password.clear().await?;
    password.send_keys(DEMO_PASSWORD).await?;
    password.send_keys(&Key::Enter.to_string()).await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    assert_eq!(main_heading(client).await?, "My mailboxes");
    let header = wait_for(client, "//header").await?.text().await?;
    assert!(header.contains(DEMO_USER.1), "{header}");
    assert!(
        client
            .find_all(Locator::XPath(
                "//a[normalize-space()='Email service settings']"
            ))
            .await?
            .is_empty(),
        "a user is not offered the settings"
    );
    screenshot(client, "home-user").await;
    Ok(())
}

async fn a_user_is_not_allowed_to_open_the_settings(
    client: &Client,
    url: &str,
) -> Result<(), CmdError> {
    client.goto(&format!("{url}admin/email/services")).await?;
    assert_eq!(main_heading(client).await?, "Not allowed");
    let text = wait_for(client, "//main").await?.text().await?;
    assert!(
        text.contains("Only administrators can change email service settings."),
        "{text}"
    );
    assert_eq!(client.current_url().await?.path(), "/admin/email/services");
    assert!(
        client.find_all(Locator::XPath("//table")).await?.is_empty(),
        "a user never sees the services"
    );
    screenshot(client, "not-allowed").await;
    button(client, "Sign out").await?.click().await?;
    wait_for_path(client, url, "/sign-in").await?;
    Ok(())
}

#[tokio::test]
async fn user_is_refused_the_settings_page() {
    let server = Server::start_with_demo().await;
    in_browser(&server, |client, url| async move {
        a_wrong_password_is_refused_and_the_login_kept(&client, &url).await?;
        a_user_signs_in_with_enter_and_lands_on_my_mailboxes(&client, &url).await?;
        a_user_is_not_allowed_to_open_the_settings(&client, &url).await
    })
    .await;
}
