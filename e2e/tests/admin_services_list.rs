//! End to end: the administrator opens "Email service settings" in a real browser and sees the
//! standard services of SPEC A1 that the real server seeded into a fresh database.

use std::time::Duration;

use e2e::{Browser, Server};
use fantoccini::{Client, Locator, error::CmdError};
use mail_core::catalog::STANDARD_SERVICES;

const SERVICES_TABLE: &str = "//table[caption[normalize-space()='Email services']]";

async fn row_texts(client: &Client) -> Result<Vec<String>, CmdError> {
    let mut texts = Vec::new();
    for row in client
        .find_all(Locator::XPath(&format!("{SERVICES_TABLE}/tbody/tr")))
        .await?
    {
        texts.push(
            row.text()
                .await?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    Ok(texts)
}

async fn seeded_services_are_listed(client: &Client, url: &str) -> Result<(), CmdError> {
    // A deep link: the server answers it with the app, which routes it.
    client.goto(&format!("{url}admin/email/services")).await?;
    let heading = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath("//main//h1"))
        .await?;
    assert_eq!(heading.text().await?, "Email service settings");
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(SERVICES_TABLE))
        .await?;
    let rows = row_texts(client).await?;
    assert_eq!(rows.len(), STANDARD_SERVICES.len(), "rows: {rows:#?}");
    for (row, standard) in rows.iter().zip(STANDARD_SERVICES) {
        let smtp = standard.smtp();
        let imap = standard.imap();
        let expected = format!(
            "{} Standard {smtp} {} {imap} {} Shown",
            standard.name,
            smtp.security.label(),
            imap.security.label()
        );
        assert_eq!(row, &expected);
    }
    if let Ok(png) = client.screenshot().await {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join("admin-services.png"), png).ok();
    }
    Ok(())
}

async fn root_leads_to_the_settings_page(client: &Client, url: &str) -> Result<(), CmdError> {
    client.goto(url).await?;
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_url(&format!("{url}admin/email/services").parse().unwrap())
        .await?;
    Ok(())
}

async fn unknown_pages_say_not_found(client: &Client, url: &str) -> Result<(), CmdError> {
    client.goto(&format!("{url}no/such/page")).await?;
    let heading = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath("//main//h1"))
        .await?;
    assert_eq!(heading.text().await?, "Page not found");
    Ok(())
}

#[tokio::test]
async fn administrator_sees_the_seeded_standard_services() {
    let server = Server::start().await;
    let browser = Browser::start().await;
    let client = browser.client.clone();
    let url = server.url.clone();
    // The checks run as their own task so that a failed assertion still lets us close the browser.
    let outcome = tokio::spawn(async move {
        seeded_services_are_listed(&client, &url).await?;
        root_leads_to_the_settings_page(&client, &url).await?;
        unknown_pages_say_not_found(&client, &url).await
    })
    .await;
    browser.close().await;
    match outcome {
        Ok(result) => result.expect("a browser command failed"),
        Err(panic) => std::panic::resume_unwind(panic.into_panic()),
    }
}
