//! Issue 13 over HTTP, on SQLite and PostgreSQL: service names and mailbox addresses that only look
//! like another are refused (item 8), control characters and over-long logins and passwords answer
//! 422, never 500 (items 7, 9), and a save of 40,000 new services goes through (item 2).

mod support;

use axum::http::{Method, StatusCode, header};
use mail_core::{
    ConnectMailbox, ConnectThrough, Password, Picker, Role, Security, ServerInput, ServiceDraft,
    ServiceUpdate, SettingsDocument,
};
use mail_services_server::demo::as_update;
use support::{BuildRequest, TestResponse, TestServer, db_tests, execute, send_to};

/// A new corporate service; its servers are numbered by `n`.
fn new_service(name: &str, n: usize) -> ServiceUpdate {
    let server = |protocol: &str, port: u16| ServerInput {
        address: format!("{protocol}.branch{n}.example.com:{port}"),
        security: Security::Tls,
    };
    ServiceUpdate::Corporate {
        id: None,
        draft: ServiceDraft {
            name: name.to_owned(),
            smtp: server("smtp", 465),
            imap: server("imap", 993),
        },
        hidden: false,
    }
}

/// Saves the current page with `added` services after the others: the position of the first one
/// added, and the answer.
async fn save_adding(
    server: &TestServer,
    admin: &str,
    added: Vec<ServiceUpdate>,
) -> (usize, TestResponse) {
    let before: SettingsDocument = server.get_as("/api/admin/settings", admin).await.json();
    let mut update = as_update(&before);
    update.services.extend(added);
    let request = server
        .request(Method::PUT, "/api/admin/settings")
        .cookie(admin)
        .header(header::IF_MATCH, format!("\"{}\"", before.version))
        .json(&update);
    (before.services.len(), server.send(request).await)
}

fn connect_request(
    server: &TestServer,
    user: &str,
    address: &str,
    service: i64,
) -> axum::http::Request<axum::body::Body> {
    let body = ConnectMailbox {
        address: address.to_owned(),
        password: Password::new("mailbox secret"),
        server: ConnectThrough::Service { id: service },
    };
    server
        .request(Method::POST, "/api/mail/mailboxes")
        .cookie(user)
        .json(&body)
}

/// The first error's field and code of a 422 answer.
#[track_caller]
fn refused_field(response: &TestResponse) -> (String, String) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    let error = response.error();
    assert_eq!(error.code, "validation_failed");
    let field = error.fields.first().expect("a field error");
    assert!(!field.message.is_empty());
    (field.field.clone(), field.code.clone())
}

db_tests! {
    /// Issue 13, item 8: each trick gives a 422 on the new service's name, and nothing is saved.
    async fn a_look_alike_of_gmail_is_refused_on_the_name_field(server: TestServer) {
        let admin = server.admin_session().await;
        let before: SettingsDocument = server.get_as("/api/admin/settings", &admin).await.json();
        let tricks = [
            ("Gmаil", "looks_like"),
            ("Ｇｍａｉｌ", "looks_like"),
            ("GMAİL", "looks_like"),
            ("Gm\u{200B}ail", "invisible_character"),
            ("Gm\u{AD}ail", "invisible_character"),
            ("\u{FEFF}Gmail", "invisible_character"),
            ("Gmail\u{202E}", "invisible_character"),
            ("Gm\0ail", "control_character"),
        ];
        for (name, code) in tricks {
            let (index, response) = save_adding(&server, &admin, vec![new_service(name, 1)]).await;
            assert_eq!(refused_field(&response), (format!("services[{index}].name"), code.to_owned()), "{name:?}");
        }
        let (_, response) = save_adding(&server, &admin, vec![new_service("Gmаil", 1)]).await;
        assert!(response.error().fields[0].message.contains("looks like the existing service “Gmail”"), "{}", response.text());
        let after: SettingsDocument = server.get_as("/api/admin/settings", &admin).await.json();
        assert_eq!(after, before, "nothing saved");
    }

    /// Issue 13, item 8: a person cannot connect a second mailbox whose address only looks like
    /// one already connected; an invisible character in an address is refused with a 422.
    async fn a_look_alike_of_a_connected_mailbox_address_is_refused(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let service = server.get_as("/api/mail/picker", &user).await.json::<Picker>().services[0].id;
        let first = server.send(connect_request(&server, &user, "anna@gmail.com", service)).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
        for look_alike in ["аnna@gmail.com", "ＡＮＮＡ@gmail.com", "anna@grnail.com"] {
            let response = server.send(connect_request(&server, &user, look_alike, service)).await;
            assert_eq!(response.status, StatusCode::CONFLICT, "{look_alike}: {}", response.text());
            assert_eq!(response.error().code, "already_connected");
        }
        let response = server.send(connect_request(&server, &user, "an\u{200B}na@gmail.com", service)).await;
        assert_eq!(refused_field(&response), ("address".to_owned(), "invisible_character".to_owned()));
    }

    /// Issue 13, item 8: addresses stored before look-alike keys are re-keyed when the server
    /// starts, so the rule holds for them too.
    async fn mailboxes_connected_before_look_alike_keys_are_rekeyed_at_start(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let service = server.get_as("/api/mail/picker", &user).await.json::<Picker>().services[0].id;
        let first = server.send(connect_request(&server, &user, "anna@gmail.com", service)).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
        // The keys of the release before: the address in lower case.
        execute(server.db(), "UPDATE mailboxes SET address_key = LOWER(address)").await;
        execute(server.db(), "UPDATE mail_services SET name_key = LOWER(name)").await;
        let restarted = server.replica().await;
        let response = send_to(restarted.clone(), connect_request(&server, &user, "аnna@gmail.com", service)).await;
        assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
        let admin = server.admin_session().await;
        let (_, response) = save_adding(&server, &admin, vec![new_service("Contoso", 1)]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }

    /// Issue 13, items 7 and 9: a NUL byte gave 500 on PostgreSQL; an over-long login or
    /// password is refused before it is hashed or stored.
    async fn a_sign_in_with_a_control_character_or_an_over_long_login_is_refused_with_422(server: TestServer) {
        server.add_user("anna", Role::User).await;
        let cases = [
            ("an\0na".to_owned(), "x".to_owned(), ("login", "contains_space")),
            ("anna".to_owned(), "pass\0word".to_owned(), ("password", "control_character")),
            ("a".repeat(255), "x".to_owned(), ("login", "too_long")),
            ("anna".to_owned(), "p".repeat(1025), ("password", "too_long")),
        ];
        for (login, password, (field, code)) in cases {
            let response = server.sign_in(&login, &password).await;
            assert_eq!(refused_field(&response), (field.to_owned(), code.to_owned()), "{login:.20?}");
        }
        assert_eq!(server.sign_in(&"a".repeat(254), "x").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(server.sign_in("anna", "wrong").await.status, StatusCode::UNAUTHORIZED);
    }
}

mod sqlite_only {
    use super::*;

    /// Issue 13, item 2: name uniqueness is one look-up a name, so a save of 40,000 new services
    /// (46 s when every pair was compared) goes through.
    #[tokio::test]
    async fn a_save_of_forty_thousand_new_services_succeeds() {
        let server = TestServer::start(support::Backend::Sqlite).await;
        let admin = server.admin_session().await;
        let added = (1..=40_000)
            .map(|n| new_service(&format!("Branch office {n:05}"), n))
            .collect();
        let (index, response) = save_adding(&server, &admin, added).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{}",
            response.text().chars().take(300).collect::<String>()
        );
        let document: SettingsDocument = server.get_as("/api/admin/settings", &admin).await.json();
        assert_eq!(document.services.len(), index + 40_000);
        assert_eq!(
            document.services.last().map(|s| s.name.as_str()),
            Some("Branch office 40000")
        );
    }
}
