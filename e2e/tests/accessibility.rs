//! Accessibility audits (issue 8): every page and every dialog state of the app, reached through the
//! real app against the real server, has no axe-core violation of WCAG 2.0/2.1 A and AA or of axe's
//! best practices, at a desktop and at a phone size, and passes what axe leaves out: no sideways
//! scrolling at 320 or 360 px or at 200 % zoom, room for readers' text spacing, 3:1 edges on form
//! fields (see `e2e::audit`). Each run goes through the app once per language of [`LANGUAGES`], in
//! a browser set up in that language, and checks that the page says it is in that language.
//!
//! The pages are driven by what does not depend on the language: addresses, the structure of the
//! page, classes and the names of services and mailboxes, never by the texts of the interface.

use e2e::audit::{Audit, PHONE, set_viewport};
use e2e::{
    DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER, PATIENCE, Server, fill_in_sign_in, in_browser_in,
    sign_in_on_the_way_to, wait_for_path,
};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator, error::CmdError};
use serde_json::json;

/// The languages the app is audited in, each a browser's preferred language (`"ru"` for Russian).
const LANGUAGES: &[&str] = &["en", "ru"];

/// Waits for the element `selector` finds; says which, and what the page shows, when it does not come.
async fn css(client: &Client, selector: &str) -> Result<Element, CmdError> {
    let found = client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(selector))
        .await;
    never_came(client, selector, found).await
}

async fn xpath(client: &Client, path: &str) -> Result<Element, CmdError> {
    let found = e2e::wait_for(client, path).await;
    never_came(client, path, found).await
}

async fn never_came(
    client: &Client,
    what: &str,
    found: Result<Element, CmdError>,
) -> Result<Element, CmdError> {
    if let Err(CmdError::WaitTimeout) = found {
        let page = client.find(Locator::Css("body")).await?.text().await?;
        panic!(
            "{what} did not appear at {} within {PATIENCE:?}; the page shows:\n{page}",
            client.current_url().await?
        );
    }
    found
}

/// Clicks `element` after scrolling it to the middle of the viewport, clear of the sticky
/// unsaved-changes bar (the keyboard test checks that focus is never hidden under it).
async fn click(client: &Client, element: Element) -> Result<(), CmdError> {
    client
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' })",
            vec![serde_json::to_value(&element)?],
        )
        .await?;
    element.click().await
}

async fn click_css(client: &Client, selector: &str) -> Result<(), CmdError> {
    click(client, css(client, selector).await?).await
}

async fn click_xpath(client: &Client, path: &str) -> Result<(), CmdError> {
    click(client, xpath(client, path).await?).await
}

/// Waits until nothing matches `selector`.
async fn wait_gone(client: &Client, selector: &str) -> Result<(), CmdError> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !client.find_all(Locator::Css(selector)).await?.is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{selector} is still on the page"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(())
}

async fn sign_out(client: &Client, url: &str) -> Result<(), CmdError> {
    click_css(client, ".account button").await?;
    wait_for_path(client, url, "/sign-in").await
}

/// The cell of the services table's row of the service `name` that holds its buttons.
fn service_actions(name: &str) -> String {
    format!(
        "//tbody/tr[th/span[@class='service-name'][normalize-space()='{name}']]/td[@class='actions']"
    )
}

/// Waits for what `shown` (CSS) finds, then audits the page as `state`.
async fn audit_when(
    client: &Client,
    audit: &mut Audit,
    shown: &str,
    state: &str,
) -> Result<(), CmdError> {
    css(client, shown).await?;
    audit.check(client, state).await
}

/// Clicks what `click` (CSS) finds, waits for what `shown` finds, and audits the page as `state`.
async fn click_then_audit(
    client: &Client,
    audit: &mut Audit,
    click: &str,
    shown: &str,
    state: &str,
) -> Result<(), CmdError> {
    click_css(client, click).await?;
    audit_when(client, audit, shown, state).await
}

/// The bin button of the service `name`.
fn delete_button(name: &str) -> String {
    format!(
        "{}/button[contains(@class,'icon-danger')]",
        service_actions(name)
    )
}

/// The inputs of the open dialog, in order.
async fn dialog_inputs(client: &Client) -> Result<Vec<Element>, CmdError> {
    css(client, "[role='dialog'] input").await?;
    client.find_all(Locator::Css("[role='dialog'] input")).await
}

async fn close_dialog(client: &Client) -> Result<(), CmdError> {
    click_css(
        client,
        "[role='dialog'] .dialog-actions button[type='button']:not(.danger)",
    )
    .await?;
    wait_gone(client, "[role='dialog']").await
}

/// Chooses the service `name` in the connect page's picker.
async fn choose(client: &Client, name: &str) -> Result<(), CmdError> {
    click_xpath(
        client,
        &format!("//input[@id=(//label[normalize-space()='{name}']/@for)]"),
    )
    .await
}

async fn submit_connect(client: &Client) -> Result<(), CmdError> {
    click_css(client, "form.connect-form button[type='submit']").await
}

/// Signed out: the sign-in page, empty and after a failed attempt, and an unknown address.
async fn signed_out_pages(
    client: Client,
    url: String,
    mut audit: Audit,
) -> Result<Audit, CmdError> {
    let (client, url) = (&client, url.as_str());
    client.goto(&format!("{url}sign-in")).await?;
    audit_when(
        client,
        &mut audit,
        "input[autocomplete='username']",
        "sign-in page",
    )
    .await?;

    fill_in_sign_in(client, DEMO_USER.0, "not-her-password").await?;
    audit_when(
        client,
        &mut audit,
        ".form-error .notice-error",
        "sign-in page after a failed sign-in",
    )
    .await?;

    client.goto(&format!("{url}no/such/page")).await?;
    audit_when(client, &mut audit, "main h1", "not-found page, signed out").await?;
    Ok(audit)
}

/// The administrator's pages and every dialog of the settings page.
async fn administrator_pages(
    client: Client,
    url: String,
    mut audit: Audit,
) -> Result<Audit, CmdError> {
    let (client, url) = (&client, url.as_str());
    sign_in_on_the_way_to(client, url, "/admin/email/services", DEMO_ADMIN.0).await?;
    audit_when(
        client,
        &mut audit,
        "table.services",
        "email service settings: the list",
    )
    .await?;

    // A staged change: the unsaved-changes bar, then its discard question.
    click_xpath(client, &format!("{}/button", service_actions("Gmail"))).await?;
    audit_when(
        client,
        &mut audit,
        ".settings-bar",
        "email service settings: a staged change and the unsaved-changes bar",
    )
    .await?;
    click_then_audit(
        client,
        &mut audit,
        ".settings-bar button:not(.primary)",
        ".settings-bar-question",
        "email service settings: the discard question",
    )
    .await?;
    click_css(client, ".settings-bar button:not(.danger)").await?;
    wait_gone(client, ".settings-bar-question").await?;

    // The Add dialog, empty and then with errors and warnings.
    click_then_audit(
        client,
        &mut audit,
        ".add-button",
        "[role='dialog']",
        "the Add dialog, empty",
    )
    .await?;
    let inputs = dialog_inputs(client).await?;
    // A name taken by another service, an unusual SMTP port, an IMAP server without a port, and
    // the IMAP security changed to none: errors, warnings and fix buttons at once.
    inputs[0].send_keys("gmail").await?;
    inputs[1].send_keys("smtp.fabrikam.example:2525").await?;
    inputs[2].send_keys("imap.fabrikam.example").await?;
    click_xpath(
        client,
        "(//*[@role='dialog']//select)[2]/option[@value='none']",
    )
    .await?;
    inputs[0].click().await?;
    css(client, "[role='dialog'] .message-error").await?;
    css(client, "[role='dialog'] .message-warning").await?;
    audit_when(
        client,
        &mut audit,
        "[role='dialog'] button.fix",
        "the Add dialog with errors and warnings",
    )
    .await?;
    close_dialog(client).await?;

    // Edit and Delete of a corporate service used by two people's mailboxes.
    click_xpath(
        client,
        &format!("{}/button[1]", service_actions("Contoso Mail")),
    )
    .await?;
    audit_when(
        client,
        &mut audit,
        "[role='dialog'] input",
        "the Edit dialog",
    )
    .await?;
    close_dialog(client).await?;
    click_xpath(client, &delete_button("Contoso Mail")).await?;
    audit_when(
        client,
        &mut audit,
        "[role='dialog'] .usage-list",
        "the Delete dialog listing the affected people",
    )
    .await?;
    click_css(client, "[role='dialog'] button.danger").await?;
    wait_gone(client, "[role='dialog']").await?;
    audit_when(
        client,
        &mut audit,
        "tr.row-deleted",
        "email service settings: a staged deletion",
    )
    .await?;

    // Another administrator saves first: the save is refused.
    let answer = client
        .execute_async(
            "const done = arguments[0];
             (async () => {
               const response = await fetch('/api/admin/settings');
               const etag = response.headers.get('ETag');
               const doc = await response.json();
               const input = e => ({ address: `${e.host}:${e.port}`, security: e.security });
               const update = {
                 allow_manual_entry: doc.allow_manual_entry,
                 business_process_sending: !doc.business_process_sending,
                 services: doc.services.map(s => s.kind === 'standard'
                   ? { kind: 'standard', id: s.id, hidden: s.hidden }
                   : { kind: 'corporate', id: s.id, hidden: s.hidden,
                       draft: { name: s.name, smtp: input(s.smtp), imap: input(s.imap) } }),
               };
               const saved = await fetch('/api/admin/settings', {
                 method: 'PUT',
                 headers: { 'Content-Type': 'application/json', 'If-Match': etag },
                 body: JSON.stringify(update),
               });
               return saved.status;
             })().then(done, error => done(String(error)));",
            vec![],
        )
        .await?;
    assert_eq!(answer, json!(200), "another administrator's save");
    click_then_audit(
        client,
        &mut audit,
        ".settings-bar button.primary",
        ".notice-error[role='alert'] button",
        "email service settings: refused, another administrator saved first",
    )
    .await?;
    click_then_audit(
        client,
        &mut audit,
        ".notice-error[role='alert'] button",
        ".notice[role='status']",
        "email service settings: changes re-applied after reloading",
    )
    .await?;
    click_css(client, ".settings-bar button.primary").await?;
    css(client, ".notice-success").await?;
    wait_gone(client, ".settings-bar").await?;
    audit.check(client, "email service settings: saved").await?;

    client.goto(url).await?;
    audit_when(
        client,
        &mut audit,
        ".page-links",
        "start page, administrator",
    )
    .await?;
    sign_out(client, url).await?;
    Ok(audit)
}

/// A user's pages: My mailboxes (with a mailbox whose server the administrator deleted, and the
/// disconnect question), connecting a mailbox (with its errors), and the pages they may not see.
async fn user_pages(client: Client, url: String, mut audit: Audit) -> Result<Audit, CmdError> {
    let (client, url) = (&client, url.as_str());
    // The administrator deletes Contoso Mail, on which Anna has a mailbox.
    sign_in_on_the_way_to(client, url, "/admin/email/services", DEMO_ADMIN.0).await?;
    click_xpath(client, &delete_button("Contoso Mail")).await?;
    css(client, "[role='dialog'] .usage-list").await?;
    click_css(client, "[role='dialog'] button.danger").await?;
    click_css(client, ".settings-bar button.primary").await?;
    css(client, ".notice-success").await?;
    sign_out(client, url).await?;

    fill_in_sign_in(client, DEMO_USER.0, DEMO_PASSWORD).await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    css(client, ".server-deleted").await?;
    audit_when(
        client,
        &mut audit,
        ".business-process input[type='radio']",
        "my mailboxes, with a server deleted by the administrator",
    )
    .await?;
    click_xpath(
        client,
        "//tbody/tr[th[normalize-space()='anna@contoso.com']]//button",
    )
    .await?;
    audit_when(
        client,
        &mut audit,
        "[role='dialog'] button.danger",
        "the disconnect question",
    )
    .await?;
    close_dialog(client).await?;

    client.goto(&format!("{url}mail/connect")).await?;
    audit_when(
        client,
        &mut audit,
        ".picker input[type='radio']",
        "connect a mailbox: the picker",
    )
    .await?;
    submit_connect(client).await?;
    audit_when(
        client,
        &mut audit,
        ".picker-messages .message-error",
        "connect a mailbox: submitted without a choice",
    )
    .await?;
    choose(client, "Gmail").await?;
    submit_connect(client).await?;
    audit_when(
        client,
        &mut audit,
        "input[aria-invalid='true']",
        "connect a mailbox: field errors after a failed submit",
    )
    .await?;
    // The server refuses a mailbox that is already connected.
    let fields = client
        .find_all(Locator::Css("form.connect-form .field input"))
        .await?;
    fields[0].send_keys("anna.petrova@gmail.com").await?;
    fields[1].send_keys("gmail-app-password").await?;
    submit_connect(client).await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while fields[0].attr("aria-invalid").await?.as_deref() != Some("true") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server's refusal is not shown at the address"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    audit
        .check(client, "connect a mailbox: refused by the server")
        .await?;

    click_then_audit(
        client,
        &mut audit,
        ".picker input[value='other']",
        ".servers .server-field",
        "connect a mailbox: Other, with the server fields",
    )
    .await?;
    let servers = client
        .find_all(Locator::Css(".servers .server-field input"))
        .await?;
    servers[0].send_keys("smtp.petrova.example:2525").await?;
    servers[1].send_keys("imap.petrova.example").await?;
    fields[0].click().await?;
    css(client, ".servers .message-error").await?;
    audit_when(
        client,
        &mut audit,
        ".servers .message-warning",
        "connect a mailbox: Other, with errors and warnings",
    )
    .await?;

    // Connected: My mailboxes says so.
    choose(client, "Yahoo").await?;
    let fields = client
        .find_all(Locator::Css("form.connect-form .field input"))
        .await?;
    fields[0].clear().await?;
    fields[0].send_keys("anna@yahoo.example").await?;
    fields[1].clear().await?;
    fields[1].send_keys("yahoo-app-password").await?;
    submit_connect(client).await?;
    wait_for_path(client, url, "/mail/mailboxes").await?;
    audit_when(
        client,
        &mut audit,
        ".announcement .notice-success",
        "my mailboxes, after connecting one",
    )
    .await?;

    client.goto(url).await?;
    audit_when(client, &mut audit, ".page-links", "start page, user").await?;

    client.goto(&format!("{url}admin/email/services")).await?;
    css(client, "#not-allowed-heading").await?;
    assert!(
        client.find_all(Locator::Css("table")).await?.is_empty(),
        "a user never sees the services"
    );
    audit
        .check(
            client,
            "email service settings opened by a user: not allowed",
        )
        .await?;

    client.goto(&format!("{url}no/such/page")).await?;
    audit_when(client, &mut audit, "main h1", "not-found page, signed in").await?;
    Ok(audit)
}

/// Runs `pages` through a fresh server and browser for each of [`LANGUAGES`], and fails with
/// what the audit found.
async fn audit_in_every_language<Run>(pages: fn(Client, String, Audit) -> Run)
where
    Run: std::future::Future<Output = Result<Audit, CmdError>> + Send + 'static,
{
    for &language in LANGUAGES {
        let server = Server::start_with_demo().await;
        in_browser_in(&server, language, move |client, url| async move {
            pages(client, url, Audit::new(language)).await?.finish();
            Ok(())
        })
        .await;
    }
}

#[tokio::test]
async fn signed_out_pages_pass_the_accessibility_audit() {
    audit_in_every_language(signed_out_pages).await;
}

#[tokio::test]
async fn administrator_pages_and_dialogs_pass_the_accessibility_audit() {
    audit_in_every_language(administrator_pages).await;
}

#[tokio::test]
async fn user_pages_and_dialogs_pass_the_accessibility_audit() {
    audit_in_every_language(user_pages).await;
}

/// On a phone the column headers are hidden (style/main.css), so each data cell shows its column's
/// name before its text: `--label-…` properties that the tables set in the interface's language,
/// shown by `::before`. Without them the two servers of a row stand one under the other with
/// nothing to say which is SMTP and which IMAP (Outlook.com's outlook.office365.com:993).
#[tokio::test]
async fn on_a_phone_each_cell_says_its_column() {
    let server = Server::start_with_demo().await;
    e2e::in_browser(&server, |client, url| async move {
        sign_in_on_the_way_to(&client, &url, "/admin/email/services", DEMO_ADMIN.0).await?;
        css(&client, "table.services").await?;
        set_viewport(&client, PHONE).await?;
        assert_cells_say_their_column(&client, "table.services", 4 * 2).await?;
        client
            .execute(
                "localStorage.setItem('mail-services.language', 'ru')",
                vec![],
            )
            .await?;
        client.refresh().await?;
        xpath(&client, "//table//th[normalize-space()='SMTP сервер']").await?;
        assert_cells_say_their_column(&client, "table.services", 4 * 2).await?;

        client.delete_all_cookies().await?;
        sign_in_on_the_way_to(&client, &url, "/mail/mailboxes", DEMO_USER.0).await?;
        css(&client, "table.mailboxes").await?;
        assert_cells_say_their_column(&client, "table.mailboxes", 2).await
    })
    .await;
}

/// Each data cell of the table `arguments[0]` (a CSS selector), with its column's header and the
/// text its `::before` shows (CSS strings joined).
const CELLS_AND_THEIR_LABELS: &str = r#"
    const table = document.querySelector(arguments[0]);
    const headers = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const headersShown = getComputedStyle(table.querySelector('thead')).display !== 'none';
    return [...table.querySelectorAll('tbody tr')].flatMap(row =>
      [...row.children]
        .filter(cell => cell.tagName === 'TD' && !cell.classList.contains('actions'))
        .map(cell => ({
          column: headers[[...row.children].indexOf(cell)],
          shown: (getComputedStyle(cell, '::before').content.match(/"(?:[^"\\]|\\.)*"/g) || [])
            .map(part => part.slice(1, -1)).join(''),
          headersShown,
          text: cell.textContent.trim(),
        })));
"#;

/// Asserts that each data cell (but the buttons') of the `table` shows, before its text, the name
/// of its column as the hidden header says it, and that there are at least `at_least` such cells.
async fn assert_cells_say_their_column(
    client: &Client,
    table: &str,
    at_least: usize,
) -> Result<(), CmdError> {
    let cells = client
        .execute(CELLS_AND_THEIR_LABELS, vec![json!(table)])
        .await?;
    let cells = cells.as_array().cloned().unwrap_or_default();
    assert!(
        cells.len() >= at_least,
        "{table}: expected at least {at_least} data cells, found {}",
        cells.len()
    );
    for cell in &cells {
        assert_eq!(
            cell["headersShown"],
            json!(false),
            "{table}: the phone layout hides the headers"
        );
        let column = cell["column"].as_str().unwrap_or_default();
        assert_eq!(
            cell["shown"].as_str().unwrap_or_default(),
            format!("{column}: "),
            "{table}: the cell “{}” should show its column's name “{column}” before its text",
            cell["text"].as_str().unwrap_or_default()
        );
    }
    Ok(())
}
