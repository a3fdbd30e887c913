//! The administrator's API (SPEC A1–A8) over HTTP, on SQLite and PostgreSQL: every rule holds for a
//! client that skips the browser app.

mod support;

use axum::http::{Method, StatusCode, header};
use mail_core::{
    ConnectMailbox, ConnectThrough, MailboxConnection, MailboxStatus, Password, Picker, Role,
    Security, ServerInput, ServiceDraft, ServiceKind, ServiceUpdate, ServiceUsage,
    SettingsDocument, SettingsUpdate,
};
use mail_services_server::demo::as_update;
use support::{BuildRequest, TestResponse, TestServer, db_tests};

async fn document(server: &TestServer, admin: &str) -> SettingsDocument {
    let response = server.get_as("/api/admin/settings", admin).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(
        response.header(header::ETAG),
        format!("\"{}\"", response.json::<SettingsDocument>().version)
    );
    response.json()
}

async fn save(
    server: &TestServer,
    admin: &str,
    version: i64,
    update: &SettingsUpdate,
) -> TestResponse {
    let request = server
        .request(Method::PUT, "/api/admin/settings")
        .cookie(admin)
        .header(header::IF_MATCH, format!("\"{version}\""))
        .json(update);
    server.send(request).await
}

fn corporate(
    name: &str,
    smtp: &str,
    smtp_security: Security,
    imap: &str,
    imap_security: Security,
) -> ServiceUpdate {
    ServiceUpdate::Corporate {
        id: None,
        draft: ServiceDraft {
            name: name.to_owned(),
            smtp: ServerInput {
                address: smtp.to_owned(),
                security: smtp_security,
            },
            imap: ServerInput {
                address: imap.to_owned(),
                security: imap_security,
            },
        },
        hidden: false,
    }
}

fn contoso() -> ServiceUpdate {
    corporate(
        "Contoso",
        "smtp.contoso.com:465",
        Security::Tls,
        "imap.contoso.com:993",
        Security::Tls,
    )
}

/// Adds Contoso and returns the saved document and Contoso's id.
async fn with_contoso(server: &TestServer, admin: &str) -> (SettingsDocument, i64) {
    let before = document(server, admin).await;
    let mut update = as_update(&before);
    update.services.push(contoso());
    let response = save(server, admin, before.version, &update).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let after: SettingsDocument = response.json();
    let id = after
        .services
        .iter()
        .find(|s| s.name == "Contoso")
        .expect("Contoso saved")
        .id;
    (after, id)
}

async fn connect(
    server: &TestServer,
    user: &str,
    address: &str,
    through: ConnectThrough,
) -> TestResponse {
    let body = ConnectMailbox {
        address: address.to_owned(),
        password: Password::new("mailbox secret"),
        server: through,
    };
    server
        .send(
            server
                .request(Method::POST, "/api/mail/mailboxes")
                .cookie(user)
                .json(&body),
        )
        .await
}

async fn picker(server: &TestServer, user: &str) -> Picker {
    server.get_as("/api/mail/picker", user).await.json()
}

async fn mailboxes(server: &TestServer, user: &str) -> Vec<MailboxConnection> {
    server.get_as("/api/mail/mailboxes", user).await.json()
}

fn set_hidden(update: &mut SettingsUpdate, target: i64, value: bool) {
    for entry in &mut update.services {
        match entry {
            ServiceUpdate::Standard { id, hidden }
            | ServiceUpdate::Corporate {
                id: Some(id),
                hidden,
                ..
            } if *id == target => *hidden = value,
            _ => {}
        }
    }
}

db_tests! {
    async fn admin_routes_answer_401_when_signed_out_and_403_to_a_user(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let update = as_update(&document(&server, &server.admin_session().await).await);
        for (method, path) in [(Method::GET, "/api/admin/settings"), (Method::PUT, "/api/admin/settings"), (Method::GET, "/api/admin/services/1/mailboxes")] {
            let signed_out = server.send(server.request(method.clone(), path).header(header::IF_MATCH, "\"1\"").json(&update)).await;
            assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(signed_out.error().code, "sign_in_required");
            let as_user = server.send(server.request(method.clone(), path).cookie(&user).header(header::IF_MATCH, "\"1\"").json(&update)).await;
            assert_eq!(as_user.status, StatusCode::FORBIDDEN, "{method} {path}");
            assert_eq!(as_user.error().code, "admin_only");
        }
    }

    /// SPEC A2, A1, U1.
    async fn an_added_corporate_service_is_normalised_listed_and_offered_in_the_picker(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.services.push(corporate("  Head Office ", " SMTP.Contoso.COM:587 ", Security::StartTls, "imaps://IMAP.contoso.com/", Security::None));
        let response = save(&server, &admin, before.version, &update).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let after: SettingsDocument = response.json();
        assert_eq!(after.version, before.version + 1);
        assert_eq!(response.header(header::ETAG), format!("\"{}\"", after.version));
        let added = after.services.last().unwrap();
        assert_eq!(added.name, "Head Office");
        assert_eq!(added.kind, ServiceKind::Corporate);
        assert_eq!(added.smtp.to_string(), "smtp.contoso.com:587");
        assert_eq!((added.imap.to_string(), added.imap.security), ("imap.contoso.com:993".to_owned(), Security::Tls));
        assert_eq!(added.mailbox_count, 0);
        let offered = picker(&server, &user).await;
        assert_eq!(offered.services.last().map(|s| s.name.as_str()), Some("Head Office"));
    }

    /// SPEC A8: the version is the guard against overwriting another administrator's save.
    async fn a_save_without_if_match_is_428_and_with_a_stale_version_412_and_changes_nothing(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.allow_manual_entry = false;
        let missing = server.send(server.request(Method::PUT, "/api/admin/settings").cookie(&admin).json(&update)).await;
        assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(missing.error().code, "version_required");
        let stale = save(&server, &admin, before.version - 1, &update).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(stale.error().code, "stale_version");
        assert!(stale.error().message.contains("reload"), "says how to fix: {}", stale.error().message);
        assert_eq!(document(&server, &admin).await, before, "nothing changed");
    }

    /// Issue 13 item 11: `If-Match` per RFC 9110 13.1.1. `*` matches whatever is current, a list
    /// matches when any entry is the current version, and comparison is strong: a weak tag never
    /// matches, even of the current version.
    async fn if_match_star_and_lists_match_the_current_version_and_weak_tags_never_do(server: TestServer) {
        let admin = server.admin_session().await;
        let put = |if_match: &str, update: &SettingsUpdate| {
            server.request(Method::PUT, "/api/admin/settings").cookie(&admin).header(header::IF_MATCH, if_match.to_owned()).json(update)
        };
        let before = document(&server, &admin).await;
        let current = before.version;
        let mut update = as_update(&before);
        update.allow_manual_entry = !before.allow_manual_entry;
        for refused in [format!("W/\"{current}\""), format!("\"{}\", W/\"{current}\"", current - 1), "\"latest\"".to_owned(), format!("{current}")] {
            let response = server.send(put(&refused, &update)).await;
            assert_eq!(response.status, StatusCode::PRECONDITION_FAILED, "If-Match: {refused}: {}", response.text());
            assert_eq!(response.error().code, "stale_version", "If-Match: {refused}");
        }
        assert_eq!(document(&server, &admin).await, before, "nothing changed");

        let listed = server.send(put(&format!("\"{}\", \"{current}\"", current + 7), &update)).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
        let after_list: SettingsDocument = listed.json();
        assert_eq!((after_list.version, after_list.allow_manual_entry), (current + 1, update.allow_manual_entry));

        let stale_list = server.send(put(&format!("\"{}\", \"{}\"", current - 1, current), &update)).await;
        assert_eq!(stale_list.status, StatusCode::PRECONDITION_FAILED, "{}", stale_list.text());

        let mut again = as_update(&after_list);
        again.business_process_sending = !after_list.business_process_sending;
        let star = server.send(put("*", &again)).await;
        assert_eq!(star.status, StatusCode::OK, "{}", star.text());
        let after_star = document(&server, &admin).await;
        assert_eq!(after_star.version, current + 2);
        assert_eq!(after_star.business_process_sending, again.business_process_sending);
        assert_eq!(star.header(header::ETAG), format!("\"{}\"", current + 2));
    }

    /// SPEC A8: of two administrators saving the same version, exactly one wins.
    async fn two_concurrent_saves_of_the_same_version_exactly_one_succeeds(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut first = as_update(&before);
        first.allow_manual_entry = false;
        let mut second = as_update(&before);
        second.business_process_sending = false;
        let (a, b) = tokio::join!(save(&server, &admin, before.version, &first), save(&server, &admin, before.version, &second));
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "{} / {}", a.text(), b.text());
        let after = document(&server, &admin).await;
        assert_eq!(after.version, before.version + 1);
        let winner_was_first = a.status == StatusCode::OK;
        assert_eq!(after.allow_manual_entry, !winner_was_first);
        assert_eq!(after.business_process_sending, winner_was_first);
    }

    /// SPEC A2 and section 4: the server re-checks everything, with errors per field.
    async fn an_invalid_service_is_refused_with_errors_for_each_field(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.services.push(corporate(" GMAIL ", "smtp.contoso.com", Security::Tls, "010.1.1.1:993", Security::Tls));
        let response = save(&server, &admin, before.version, &update).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = response.error();
        assert_eq!(error.code, "validation_failed");
        let index = before.services.len();
        let fields: Vec<(String, String)> = error.fields.iter().map(|f| (f.field.clone(), f.code.clone())).collect();
        assert_eq!(
            fields,
            [
                (format!("services[{index}].name"), "duplicate".to_owned()),
                (format!("services[{index}].smtp"), "missing_port".to_owned()),
                (format!("services[{index}].imap"), "ipv4_leading_zero".to_owned()),
            ]
        );
        assert!(error.fields.iter().all(|f| !f.message.is_empty()));
        assert_eq!(document(&server, &admin).await, before, "nothing saved");
    }

    async fn validation_messages_follow_the_accept_language(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.services.push(corporate("", "smtp.contoso.com:465", Security::Tls, "imap.contoso.com:993", Security::Tls));
        let request = server
            .request(Method::PUT, "/api/admin/settings")
            .cookie(&admin)
            .header(header::IF_MATCH, format!("\"{}\"", before.version))
            .header(header::ACCEPT_LANGUAGE, "ru-RU,ru;q=0.9,en;q=0.5")
            .json(&update);
        let error = server.send(request).await.error();
        assert!(error.fields[0].message.chars().any(|c| ('а'..='я').contains(&c)), "Russian: {}", error.fields[0].message);
    }

    /// Standard services can only be hidden or shown (SPEC A3, A4 are for corporate ones).
    async fn standard_services_cannot_be_deleted_or_edited(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut without_gmail = as_update(&before);
        without_gmail.services.remove(0);
        let response = save(&server, &admin, before.version, &without_gmail).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error().fields[0].code, "standard_service_missing");
        let mut edited = as_update(&before);
        edited.services[0] = ServiceUpdate::Corporate {
            id: Some(before.services[0].id),
            draft: ServiceDraft {
                name: "Gmail".to_owned(),
                smtp: ServerInput { address: "evil.example.com:465".to_owned(), security: Security::Tls },
                imap: ServerInput { address: "imap.gmail.com:993".to_owned(), security: Security::Tls },
            },
            hidden: false,
        };
        let response = save(&server, &admin, before.version, &edited).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error().fields[0].code, "wrong_kind");
        assert_eq!(document(&server, &admin).await, before);
    }

    /// SPEC A3: mailboxes keep working and pick up the new parameters.
    async fn editing_a_corporate_service_keeps_its_mailboxes_active(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let (saved, contoso_id) = with_contoso(&server, &admin).await;
        assert_eq!(connect(&server, &user, "anna@contoso.com", ConnectThrough::Service { id: contoso_id }).await.status, StatusCode::CREATED);
        let mut update = as_update(&saved);
        for entry in &mut update.services {
            if let ServiceUpdate::Corporate { id: Some(id), draft, .. } = entry
                && *id == contoso_id
            {
                draft.name = "Contoso HQ".to_owned();
                draft.smtp.address = "mail.contoso.com:587".to_owned();
                draft.smtp.security = Security::StartTls;
            }
        }
        let response = save(&server, &admin, saved.version, &update).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let edited = response.json::<SettingsDocument>().services.into_iter().find(|s| s.id == contoso_id).unwrap();
        assert_eq!((edited.name.as_str(), edited.smtp.to_string().as_str(), edited.mailbox_count), ("Contoso HQ", "mail.contoso.com:587", 1));
        let mine = mailboxes(&server, &user).await;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].status, MailboxStatus::Active);
        assert_eq!(mine[0].server, mail_core::MailboxServer::Service { id: contoso_id, name: "Contoso HQ".to_owned() });
    }

    /// SPEC A4: the confirmation lists the users; after the save their mailboxes are marked, kept,
    /// and the service is gone from the list and the picker.
    async fn deleting_a_service_marks_its_mailboxes_server_deleted_and_keeps_them(server: TestServer) {
        let admin = server.admin_session().await;
        let anna = server.session_of_new("anna", Role::User).await;
        let boris = server.session_of_new("boris", Role::User).await;
        let (_, contoso_id) = with_contoso(&server, &admin).await;
        connect(&server, &anna, "anna@contoso.com", ConnectThrough::Service { id: contoso_id }).await;
        connect(&server, &boris, "boris@contoso.com", ConnectThrough::Service { id: contoso_id }).await;
        let usage: ServiceUsage = server.get_as(&format!("/api/admin/services/{contoso_id}/mailboxes"), &admin).await.json();
        let listed: Vec<(&str, &str)> = usage.mailboxes.iter().map(|m| (m.user_login.as_str(), m.address.as_str())).collect();
        assert_eq!(listed, [("anna", "anna@contoso.com"), ("boris", "boris@contoso.com")]);
        let saved = document(&server, &admin).await;
        assert_eq!(saved.services.iter().find(|s| s.id == contoso_id).unwrap().mailbox_count, 2);

        let mut update = as_update(&saved);
        update.services.retain(|s| !matches!(s, ServiceUpdate::Corporate { id: Some(id), .. } if *id == contoso_id));
        let response = save(&server, &admin, saved.version, &update).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert!(response.json::<SettingsDocument>().services.iter().all(|s| s.id != contoso_id));
        assert!(picker(&server, &anna).await.services.iter().all(|s| s.id != contoso_id));
        let mine = mailboxes(&server, &anna).await;
        assert_eq!(mine.len(), 1, "the record stays");
        assert_eq!(mine[0].status, MailboxStatus::ServerDeleted);
        assert_eq!(mine[0].server, mail_core::MailboxServer::Service { id: contoso_id, name: "Contoso".to_owned() });
        let usage = server.get_as(&format!("/api/admin/services/{contoso_id}/mailboxes"), &admin).await;
        assert_eq!(usage.status, StatusCode::NOT_FOUND);
        let refused = connect(&server, &anna, "anna2@contoso.com", ConnectThrough::Service { id: contoso_id }).await;
        assert_eq!((refused.status, refused.error().code.as_str()), (StatusCode::CONFLICT, "service_unavailable"));
        // A deleted service's name can be used again.
        let again = document(&server, &admin).await;
        let mut update = as_update(&again);
        update.services.push(contoso());
        assert_eq!(save(&server, &admin, again.version, &update).await.status, StatusCode::OK);
    }

    /// SPEC A5.
    async fn a_hidden_service_leaves_the_picker_and_refuses_new_connections_but_existing_ones_stay_active(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let before = document(&server, &admin).await;
        let gmail = before.services[0].id;
        assert_eq!(connect(&server, &user, "anna@gmail.com", ConnectThrough::Service { id: gmail }).await.status, StatusCode::CREATED);
        let mut update = as_update(&before);
        set_hidden(&mut update, gmail, true);
        let after: SettingsDocument = save(&server, &admin, before.version, &update).await.json();
        assert!(after.services[0].hidden);
        assert!(picker(&server, &user).await.services.iter().all(|s| s.id != gmail));
        let refused = connect(&server, &user, "anna.work@gmail.com", ConnectThrough::Service { id: gmail }).await;
        assert_eq!((refused.status, refused.error().code.as_str()), (StatusCode::CONFLICT, "service_hidden"));
        assert_eq!(mailboxes(&server, &user).await[0].status, MailboxStatus::Active);
        let mut update = as_update(&after);
        set_hidden(&mut update, gmail, false);
        save(&server, &admin, after.version, &update).await;
        assert!(picker(&server, &user).await.services.iter().any(|s| s.id == gmail), "shown again");
    }

    /// SPEC A6.
    async fn without_manual_entry_other_is_not_offered_and_refused_but_manual_mailboxes_stay(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let manual = || ConnectThrough::Manual {
            smtp: ServerInput { address: "mail.example.org:465".to_owned(), security: Security::Tls },
            imap: ServerInput { address: "mail.example.org:993".to_owned(), security: Security::Tls },
        };
        assert!(picker(&server, &user).await.other_allowed, "allowed by default");
        assert_eq!(connect(&server, &user, "me@example.org", manual()).await.status, StatusCode::CREATED);
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.allow_manual_entry = false;
        assert_eq!(save(&server, &admin, before.version, &update).await.status, StatusCode::OK);
        assert!(!picker(&server, &user).await.other_allowed);
        let refused = connect(&server, &user, "other@example.org", manual()).await;
        assert_eq!((refused.status, refused.error().code.as_str()), (StatusCode::CONFLICT, "manual_entry_not_allowed"));
        let mine = mailboxes(&server, &user).await;
        assert_eq!((mine.len(), mine[0].status), (1, MailboxStatus::Active));
    }

    /// SPEC A7 and U5: the company setting, and each person's override.
    async fn business_process_sending_follows_the_company_unless_the_user_overrides_it(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let read = || async { server.get_as("/api/mail/business-process-sending", &user).await.json::<mail_core::BusinessProcessSending>() };
        let set = |preference: &'static str| {
            let request = server.request(Method::PUT, "/api/mail/business-process-sending").cookie(&user).json(&serde_json::json!({ "preference": preference }));
            server.send(request)
        };
        let initial = read().await;
        assert_eq!((initial.preference.code(), initial.company_allows, initial.effective), ("inherit", true, true));
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.business_process_sending = false;
        save(&server, &admin, before.version, &update).await;
        let inherited = read().await;
        assert_eq!((inherited.company_allows, inherited.effective), (false, false));
        let allowed: mail_core::BusinessProcessSending = set("allow").await.json();
        assert_eq!((allowed.preference.code(), allowed.effective), ("allow", true));
        let denied: mail_core::BusinessProcessSending = set("deny").await.json();
        assert_eq!((denied.preference.code(), denied.effective), ("deny", false));
        assert_eq!(read().await, denied, "remembered");
    }

    /// Two services can trade names in one save.
    async fn services_can_swap_names_in_one_save(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.services.push(contoso());
        update.services.push(corporate("Fabrikam", "smtp.fabrikam.com:465", Security::Tls, "imap.fabrikam.com:993", Security::Tls));
        let saved: SettingsDocument = save(&server, &admin, before.version, &update).await.json();
        let mut swap = as_update(&saved);
        for entry in &mut swap.services {
            if let ServiceUpdate::Corporate { draft, .. } = entry {
                draft.name = if draft.name == "Contoso" { "Fabrikam".to_owned() } else { "Contoso".to_owned() };
            }
        }
        let response = save(&server, &admin, saved.version, &swap).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let names: Vec<String> = response.json::<SettingsDocument>().services.iter().rev().take(2).map(|s| s.name.clone()).collect();
        assert_eq!(names, ["Contoso", "Fabrikam"]);
    }

    /// The administrator's order is the picker's order (SPEC U1).
    async fn the_saved_order_is_the_picker_order(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.services.reverse();
        save(&server, &admin, before.version, &update).await;
        let names: Vec<String> = picker(&server, &user).await.services.into_iter().map(|s| s.name).collect();
        let mut expected: Vec<String> = before.services.iter().map(|s| s.name.clone()).collect();
        expected.reverse();
        assert_eq!(names, expected);
    }

    /// A large organisation saves its whole page in one request, however long: axum's default
    /// limit of 2 MiB on a body would refuse 10,000 services (about 2.5 MB). Here 3,500 services
    /// with long names and hosts make a body over 2 MiB, at less cost to the test run.
    async fn a_settings_document_over_two_mebibytes_is_saved_in_one_request(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        let label = "a".repeat(60);
        for n in 1..=3_500 {
            let host = format!("{n:05}.{label}.{label}.{label}.example");
            update.services.push(corporate(&format!("Branch office {n:05} {label}"), &format!("smtp{host}:465"), Security::Tls, &format!("imap{host}:993"), Security::Tls));
        }
        let size = serde_json::to_vec(&update).unwrap().len();
        assert!(size > 2 * 1024 * 1024, "the body is {size} bytes");
        let response = save(&server, &admin, before.version, &update).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text().chars().take(300).collect::<String>());
        let after = document(&server, &admin).await;
        assert_eq!(after.services.len(), before.services.len() + 3_500);
        assert_eq!(after.services.last().map(|s| s.name.as_str()), Some(format!("Branch office 03500 {label}").as_str()));
    }
}
