//! End to end: an administrator edits "Email service settings" (SPEC A2–A8) in the real app against
//! the real server, and what users see through the API changes accordingly. The user's pages do not
//! exist yet, so the user's side is read through the API from a second browser signed in as Anna.

use std::time::Duration;

use e2e::{
    Browser, DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER, PATIENCE, Server, button, input_labelled,
    screenshot, sign_in_on_the_way_to, wait_for, wait_for_path,
};
use fantoccini::{Client, Locator, error::CmdError};
use serde_json::{Value, json};

/// A same-origin request from the page, as the app would make it: `{status, body}`.
async fn fetch(
    client: &Client,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Value, CmdError> {
    client
        .execute(
            "const [method, path, body] = arguments;
             const init = { method, headers: {} };
             if (body !== null) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
             return fetch(path, init).then(async r => ({ status: r.status, body: await r.json().catch(() => null) }));",
            vec![json!(method), json!(path), body.unwrap_or(Value::Null)],
        )
        .await
}

async fn get(client: &Client, path: &str) -> Result<Value, CmdError> {
    let answer = fetch(client, "GET", path, None).await?;
    assert_eq!(answer["status"], 200, "GET {path}: {answer}");
    Ok(answer["body"].clone())
}

/// Signs in through the API on a page of the app (the user's pages are not built yet).
async fn sign_in_through_api(client: &Client, url: &str, login: &str) -> Result<(), CmdError> {
    client.goto(&format!("{url}sign-in")).await?;
    let answer = fetch(
        client,
        "POST",
        "/api/session",
        Some(json!({ "login": login, "password": DEMO_PASSWORD })),
    )
    .await?;
    assert_eq!(answer["status"], 200, "{answer}");
    Ok(())
}

async fn administrator_opens_the_settings(client: &Client, url: &str) -> Result<(), CmdError> {
    sign_in_on_the_way_to(client, url, "/admin/email/services", DEMO_ADMIN.0).await?;
    wait_for(
        client,
        "//table[caption[normalize-space()='Email services']]",
    )
    .await?;
    Ok(())
}

async fn labelled_button(
    client: &Client,
    label: &str,
) -> Result<fantoccini::elements::Element, CmdError> {
    wait_for(client, &format!("//button[@aria-label='{label}']")).await
}

/// The row of the service named `name`, as text.
async fn row_text(client: &Client, name: &str) -> Result<String, CmdError> {
    let row = wait_for(
        client,
        &format!("//tbody/tr[th/span[@class='service-name'][normalize-space()='{name}']]"),
    )
    .await?;
    Ok(row
        .text()
        .await?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

async fn choose_security(client: &Client, protocol: &str, value: &str) -> Result<(), CmdError> {
    wait_for(
        client,
        &format!(
            "//select[@id=(//label[normalize-space()='Connection security for {protocol}']/@for)]/option[@value='{value}']"
        ),
    )
    .await?
    .click()
    .await
}

async fn replace_text(client: &Client, label: &str, text: &str) -> Result<(), CmdError> {
    let input = input_labelled(client, label).await?;
    input.clear().await?;
    input.send_keys(text).await
}

/// Clicks Save and waits until the bar of unsaved changes is gone and "Settings saved." shows.
async fn save(client: &Client) -> Result<(), CmdError> {
    button(client, "Save").await?.click().await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let bar = client.find_all(Locator::Css(".settings-bar")).await?;
        let saved = client.find_all(Locator::Css(".notice-success")).await?;
        if bar.is_empty() && !saved.is_empty() {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            let main = wait_for(client, "//main").await?.text().await?;
            panic!("the settings were not saved; the page says: {main}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn picker(anna: &Client) -> Result<Value, CmdError> {
    get(anna, "/api/mail/picker").await
}

fn picker_names(picker: &Value) -> Vec<String> {
    picker["services"]
        .as_array()
        .map(|services| {
            services
                .iter()
                .filter_map(|s| s["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn mailbox_status(anna: &Client, address: &str) -> Result<String, CmdError> {
    let mailboxes = get(anna, "/api/mail/mailboxes").await?;
    let status = mailboxes
        .as_array()
        .and_then(|list| list.iter().find(|m| m["address"] == address))
        .map(|m| m["status"].as_str().unwrap_or_default().to_owned());
    Ok(status.unwrap_or_else(|| panic!("{address} is not among {mailboxes}")))
}

/// SPEC A2, 4: a typo in the IMAP server is reported, fixed through the offered button, and the
/// saved service is offered to users.
async fn adds_a_corporate_service_fixing_its_imap_server(
    admin: &Client,
    anna: &Client,
) -> Result<(), CmdError> {
    button(admin, "+ Add").await?.click().await?;
    wait_for(admin, "//*[@role='dialog'][@aria-modal='true']").await?;
    input_labelled(admin, "Name")
        .await?
        .send_keys("Fabrikam")
        .await?;
    input_labelled(admin, "SMTP server")
        .await?
        .send_keys("smtp.fabrikam.com:465")
        .await?;
    input_labelled(admin, "IMAP server")
        .await?
        .send_keys("imap.fabrikam.com:143")
        .await?;
    let warning = wait_for(admin, "//*[contains(@class,'message-warning')]")
        .await?
        .text()
        .await?;
    assert!(
        warning.starts_with("Warning: IMAP server: port 143"),
        "{warning}"
    );
    button(admin, "Use imap.fabrikam.com:143 with STARTTLS").await?;
    button(admin, "Use imap.fabrikam.com:993").await?;
    screenshot(admin, "add-dialog-warning").await;

    replace_text(admin, "IMAP server", "imap.fabrikam.com").await?;
    let error = wait_for(admin, "//*[contains(@class,'message-error')]")
        .await?
        .text()
        .await?;
    assert!(error.contains("the port is missing"), "{error}");
    // Add does not take a service with an error: the dialog stays, and says what to do.
    button(admin, "Add").await?.click().await?;
    wait_for(
        admin,
        "//*[@role='dialog']//*[contains(@class,'dialog-status')][normalize-space()='Correct the fields marked “Error” to continue.']",
    )
    .await?;
    screenshot(admin, "add-dialog-error").await;
    button(admin, "Use imap.fabrikam.com:993")
        .await?
        .click()
        .await?;
    let imap = input_labelled(admin, "IMAP server").await?;
    assert_eq!(
        imap.prop("value").await?.as_deref(),
        Some("imap.fabrikam.com:993")
    );
    button(admin, "Add").await?.click().await?;
    assert!(row_text(admin, "Fabrikam").await?.contains("Corporate New"));
    wait_for(
        admin,
        "//*[contains(@class,'settings-bar')]//p[normalize-space()='Unsaved changes (1)']",
    )
    .await?;
    save(admin).await?;
    let row = row_text(admin, "Fabrikam").await?;
    assert_eq!(
        row,
        "Fabrikam Corporate smtp.fabrikam.com:465 TLS imap.fabrikam.com:993 TLS Shown 0"
    );
    assert!(picker_names(&picker(anna).await?).contains(&"Fabrikam".to_owned()));
    Ok(())
}

/// SPEC A3: Anna's mailbox on the service stays active after the administrator edits it.
async fn edits_the_service_and_the_mailbox_on_it_stays_active(
    admin: &Client,
    anna: &Client,
) -> Result<(), CmdError> {
    let picker = picker(anna).await?;
    let id = picker["services"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "Fabrikam"))
        .map(|s| s["id"].clone())
        .expect("Fabrikam is offered");
    let connected = fetch(
        anna,
        "POST",
        "/api/mail/mailboxes",
        Some(json!({ "address": "anna@fabrikam.com", "password": "x", "server": { "kind": "service", "id": id } })),
    )
    .await?;
    assert_eq!(connected["status"], 201, "{connected}");

    labelled_button(admin, "Edit Fabrikam")
        .await?
        .click()
        .await?;
    let dialog_title = wait_for(admin, "//*[@role='dialog']//h2")
        .await?
        .text()
        .await?;
    assert_eq!(dialog_title, "Edit Fabrikam");
    replace_text(admin, "SMTP server", "mail.fabrikam.com:587").await?;
    choose_security(admin, "SMTP", "starttls").await?;
    button(admin, "Apply").await?.click().await?;
    assert!(row_text(admin, "Fabrikam").await?.contains("Edited"));
    save(admin).await?;
    assert!(
        row_text(admin, "Fabrikam")
            .await?
            .contains("mail.fabrikam.com:587 STARTTLS")
    );
    assert_eq!(mailbox_status(anna, "anna@fabrikam.com").await?, "active");
    Ok(())
}

/// SPEC A5: a hidden service leaves the picker; the mailbox on it stays active.
async fn hides_the_service(admin: &Client, anna: &Client) -> Result<(), CmdError> {
    labelled_button(admin, "Hide Fabrikam")
        .await?
        .click()
        .await?;
    assert!(
        row_text(admin, "Fabrikam")
            .await?
            .contains("Will be hidden")
    );
    labelled_button(admin, "Show Fabrikam").await?;
    screenshot(admin, "staged-changes").await;
    save(admin).await?;
    assert!(row_text(admin, "Fabrikam").await?.contains("Hidden"));
    assert!(!picker_names(&picker(anna).await?).contains(&"Fabrikam".to_owned()));
    assert_eq!(mailbox_status(anna, "anna@fabrikam.com").await?, "active");
    Ok(())
}

/// SPEC A4: the confirmation names the people whose mailboxes use the service; after the save
/// their mailboxes are marked as on a deleted server.
async fn deletes_a_used_service(admin: &Client, anna: &Client) -> Result<(), CmdError> {
    labelled_button(admin, "Delete Contoso Mail")
        .await?
        .click()
        .await?;
    let dialog = wait_for(
        admin,
        "//*[@role='dialog'][.//ul[contains(@class,'usage-list')]]",
    )
    .await?;
    let text = dialog.text().await?;
    assert!(text.contains("2 mailboxes use Contoso Mail:"), "{text}");
    assert!(
        text.contains("Anna Petrova (anna) — anna@contoso.com"),
        "{text}"
    );
    assert!(
        text.contains("Boris Ivanov (boris) — boris@contoso.com"),
        "{text}"
    );
    assert!(
        text.contains("their owners see an error notification"),
        "{text}"
    );
    screenshot(admin, "delete-dialog").await;
    button(admin, "Delete").await?.click().await?;
    assert!(
        row_text(admin, "Contoso Mail")
            .await?
            .contains("Will be deleted")
    );
    labelled_button(admin, "Undo changes to Contoso Mail").await?;
    admin.set_window_size(360, 800).await?;
    screenshot(admin, "staged-changes-narrow").await;
    admin.set_window_size(1280, 900).await?;
    screenshot(admin, "staged-delete").await;
    save(admin).await?;
    assert!(
        admin
            .find_all(Locator::XPath(
                "//tbody//span[@class='service-name'][normalize-space()='Contoso Mail']"
            ))
            .await?
            .is_empty(),
        "the deleted service is gone from the list"
    );
    assert!(!picker_names(&picker(anna).await?).contains(&"Contoso Mail".to_owned()));
    assert_eq!(
        mailbox_status(anna, "anna@contoso.com").await?,
        "server_deleted"
    );
    Ok(())
}

/// SPEC A6: without manual entry the picker has no "Other".
async fn turns_manual_entry_off(admin: &Client, anna: &Client) -> Result<(), CmdError> {
    assert_eq!(picker(anna).await?["other_allowed"], true);
    let manual =
        input_labelled(admin, "Allow entering details of the mail server manually").await?;
    assert_eq!(manual.prop("checked").await?.as_deref(), Some("true"));
    manual.click().await?;
    save(admin).await?;
    assert_eq!(picker(anna).await?["other_allowed"], false);
    Ok(())
}

/// SPEC A8: leaving with unsaved changes asks first; staying keeps them.
async fn leaving_with_unsaved_changes_asks(admin: &Client, url: &str) -> Result<(), CmdError> {
    labelled_button(admin, "Hide Gmail").await?.click().await?;
    wait_for(admin, "//*[contains(@class,'settings-bar')]").await?;
    // Switching the language is not leaving: nothing is asked, and the change stays.
    for language in ["Русский", "English"] {
        wait_for(
            admin,
            &format!("//header//button[normalize-space()='{language}']"),
        )
        .await?
        .click()
        .await?;
        assert!(
            admin.get_alert_text().await.is_err(),
            "switching to {language} asks about leaving"
        );
    }
    assert!(row_text(admin, "Gmail").await?.contains("Will be hidden"));
    wait_for(admin, "//header//a[normalize-space()='Mail services']")
        .await?
        .click()
        .await?;
    let question = admin.get_alert_text().await?;
    assert!(question.contains("unsaved changes"), "{question}");
    admin.dismiss_alert().await?;
    assert_eq!(admin.current_url().await?.path(), "/admin/email/services");
    assert!(
        row_text(admin, "Gmail").await?.contains("Will be hidden"),
        "staying keeps the change"
    );
    wait_for(admin, "//header//a[normalize-space()='Mail services']")
        .await?
        .click()
        .await?;
    admin.get_alert_text().await?;
    admin.accept_alert().await?;
    wait_for_path(admin, url, "/").await?;
    Ok(())
}

/// Runs `checks` with an administrator's and Anna's browser, and closes both whatever happens.
async fn with_admin_and_anna<F, Checks>(server: &Server, checks: F)
where
    F: FnOnce(Client, Client, String) -> Checks,
    Checks: std::future::Future<Output = Result<(), CmdError>> + Send + 'static,
{
    let admin = Browser::start().await;
    let anna = Browser::start().await;
    let outcome = tokio::spawn(checks(
        admin.client.clone(),
        anna.client.clone(),
        server.url.clone(),
    ))
    .await;
    admin.close().await;
    anna.close().await;
    match outcome {
        Ok(result) => result.expect("a browser command failed"),
        Err(panic) => std::panic::resume_unwind(panic.into_panic()),
    }
}

#[tokio::test]
async fn administrator_adds_edits_hides_and_deletes_services_and_users_see_it() {
    let server = Server::start_with_demo().await;
    with_admin_and_anna(&server, |admin, anna, url| async move {
        sign_in_through_api(&anna, &url, DEMO_USER.0).await?;
        administrator_opens_the_settings(&admin, &url).await?;
        adds_a_corporate_service_fixing_its_imap_server(&admin, &anna).await?;
        edits_the_service_and_the_mailbox_on_it_stays_active(&admin, &anna).await?;
        hides_the_service(&admin, &anna).await?;
        deletes_a_used_service(&admin, &anna).await?;
        turns_manual_entry_off(&admin, &anna).await?;
        leaving_with_unsaved_changes_asks(&admin, &url).await
    })
    .await;
}

/// SPEC A8: of two administrators who opened the same version, the second to save is told, keeps
/// their changes, and saves them onto the first one's after reloading.
#[tokio::test]
async fn the_second_of_two_administrators_to_save_reapplies_their_changes() {
    let server = Server::start_with_demo().await;
    with_admin_and_anna(&server, |first, second, url| async move {
        administrator_opens_the_settings(&first, &url).await?;
        administrator_opens_the_settings(&second, &url).await?;
        labelled_button(&first, "Hide Gmail").await?.click().await?;
        labelled_button(&second, "Hide Yahoo").await?.click().await?;
        save(&first).await?;

        button(&second, "Save").await?.click().await?;
        let alert = wait_for(&second, "//*[@role='alert'][contains(., 'another administrator')]")
            .await?
            .text()
            .await?;
        assert!(alert.contains("Your changes are still on this page"), "{alert}");
        assert!(row_text(&second, "Yahoo").await?.contains("Will be hidden"), "the edit is kept");
        screenshot(&second, "stale-version").await;
        button(&second, "Reload and re-apply my changes").await?.click().await?;
        wait_for(&second, "//*[contains(@class,'notice')][contains(., 'Your changes are applied to the current settings')]").await?;
        assert!(row_text(&second, "Gmail").await?.contains("Hidden"), "the first one's change is there");
        assert!(row_text(&second, "Yahoo").await?.contains("Will be hidden"));
        save(&second).await?;
        let settings = get(&second, "/api/admin/settings").await?;
        let hidden: Vec<&str> = settings["services"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter(|s| s["hidden"] == true)
                    .filter_map(|s| s["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert!(hidden.contains(&"Gmail") && hidden.contains(&"Yahoo"), "{hidden:?}");
        Ok(())
    })
    .await;
}

/// Opens the Edit dialog of `name`, types `smtp` and/or `imap` into its servers and applies it.
async fn edit_servers(
    admin: &Client,
    name: &str,
    smtp: Option<&str>,
    imap: Option<&str>,
) -> Result<(), CmdError> {
    let edit = labelled_button(admin, &format!("Edit {name}")).await?;
    // Off the sticky unsaved-changes bar, which would take the click.
    admin
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' })",
            vec![json!(edit)],
        )
        .await?;
    edit.click().await?;
    wait_for(admin, "//*[@role='dialog']").await?;
    for (label, address) in [("SMTP server", smtp), ("IMAP server", imap)] {
        if let Some(address) = address {
            replace_text(admin, label, address).await?;
        }
    }
    button(admin, "Apply").await?.click().await?;
    wait_for(admin, "//tbody").await?;
    Ok(())
}

/// Issue 13, item 14: "Reload and re-apply" carries only the fields the second administrator
/// edited: the first one's Hide stays, the SMTP edit is re-applied, and the IMAP server both
/// edited is listed for the second one to decide ("Use mine").
#[tokio::test]
async fn reapplying_keeps_the_other_administrators_fields_and_lists_the_ones_both_edited() {
    let server = Server::start_with_demo().await;
    with_admin_and_anna(&server, |first, second, url| async move {
        administrator_opens_the_settings(&first, &url).await?;
        administrator_opens_the_settings(&second, &url).await?;
        labelled_button(&first, "Hide Contoso Mail")
            .await?
            .click()
            .await?;
        edit_servers(
            &first,
            "Contoso Mail",
            None,
            Some("imap.first.contoso.com:993"),
        )
        .await?;
        save(&first).await?;

        let (smtp, imap) = ("smtp.second.contoso.com:465", "imap.second.contoso.com:993");
        edit_servers(&second, "Contoso Mail", Some(smtp), Some(imap)).await?;
        button(&second, "Save").await?.click().await?;
        button(&second, "Reload and re-apply my changes")
            .await?
            .click()
            .await?;
        let conflict = wait_for(&second, "//*[contains(@class,'outcome')]//li[.//button]")
            .await?
            .text()
            .await?;
        assert!(
            conflict.contains("Contoso Mail, IMAP server")
                && conflict.contains("imap.first.contoso.com:993")
                && conflict.contains(imap),
            "{conflict}"
        );
        let mut audit = e2e::audit::Audit::new("en");
        audit
            .check(&second, "the notice of a field both administrators changed")
            .await?;
        audit.finish();
        let row = row_text(&second, "Contoso Mail").await?;
        assert!(row.contains("Hidden"), "the first one's Hide stays: {row}");
        assert!(row.contains(smtp), "my SMTP server is re-applied: {row}");
        assert!(
            row.contains("imap.first.contoso.com:993"),
            "theirs until I decide: {row}"
        );
        button(&second, "Use mine").await?.click().await?;
        assert!(row_text(&second, "Contoso Mail").await?.contains(imap));
        save(&second).await?;
        let settings = get(&second, "/api/admin/settings").await?;
        let contoso = settings["services"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["name"] == "Contoso Mail"))
            .cloned()
            .expect("Contoso Mail is saved");
        assert_eq!(contoso["hidden"], true, "{contoso}");
        assert_eq!(
            contoso["smtp"]["host"], "smtp.second.contoso.com",
            "{contoso}"
        );
        assert_eq!(
            contoso["imap"]["host"], "imap.second.contoso.com",
            "{contoso}"
        );
        Ok(())
    })
    .await;
}
