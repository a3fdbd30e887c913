//! People's own mailboxes over HTTP (SPEC U1–U5, section 1), on SQLite and PostgreSQL.

mod support;

use axum::http::{Method, StatusCode};
use mail_core::{
    ConnectMailbox, ConnectThrough, MailboxConnection, MailboxServer, MailboxStatus, Password,
    Picker, Role, Security, ServerInput,
};
use mail_services_server::db::Pool;
use mail_services_server::secrets::{MailboxKey, Sealed, mailbox_binding};
use support::{BuildRequest, TestResponse, TestServer, db_tests};

async fn connect(
    server: &TestServer,
    user: &str,
    address: &str,
    password: &str,
    through: ConnectThrough,
) -> TestResponse {
    let body = ConnectMailbox {
        address: address.to_owned(),
        password: Password::new(password),
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

fn manual(smtp: &str, imap: &str) -> ConnectThrough {
    ConnectThrough::Manual {
        smtp: ServerInput {
            address: smtp.to_owned(),
            security: Security::Tls,
        },
        imap: ServerInput {
            address: imap.to_owned(),
            security: Security::Tls,
        },
    }
}

async fn first_service(server: &TestServer, user: &str) -> i64 {
    server
        .get_as("/api/mail/picker", user)
        .await
        .json::<Picker>()
        .services[0]
        .id
}

/// The sealed password of a mailbox, as stored.
async fn stored_password(pool: &Pool, id: i64) -> Sealed {
    let sql = "SELECT password_nonce, password_ciphertext FROM mailboxes WHERE id = $1";
    let (nonce, ciphertext): (Vec<u8>, Vec<u8>) = match pool {
        Pool::Sqlite(p) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
        Pool::Postgres(p) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
    };
    Sealed { nonce, ciphertext }
}

db_tests! {
    /// SPEC U2, section 1: the password is write-only.
    async fn a_mailbox_connected_through_a_service_is_listed_without_its_password(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let gmail = first_service(&server, &user).await;
        let response = connect(&server, &user, " anna@gmail.com ", "s3cret-Mailbox", ConnectThrough::Service { id: gmail }).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        assert!(!response.text().contains("s3cret-Mailbox"));
        let created: MailboxConnection = response.json();
        assert_eq!(created.address, "anna@gmail.com");
        assert_eq!(created.server, MailboxServer::Service { id: gmail, name: "Gmail".to_owned() });
        assert_eq!((created.status, created.has_password), (MailboxStatus::Active, true));
        let listed = server.get_as("/api/mail/mailboxes", &user).await;
        assert!(!listed.text().contains("s3cret-Mailbox"));
        assert_eq!(listed.json::<Vec<MailboxConnection>>(), [created]);
    }

    /// The stored ciphertext is not the password, opens with the server's key for that record only,
    /// and not with another key.
    async fn mailbox_passwords_are_stored_sealed_with_a_key_outside_the_database(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let gmail = first_service(&server, &user).await;
        let created: MailboxConnection = connect(&server, &user, "anna@gmail.com", "s3cret-Mailbox", ConnectThrough::Service { id: gmail }).await.json();
        let sealed = stored_password(server.db(), created.id).await;
        assert!(!sealed.ciphertext.windows(6).any(|w| w == b"s3cret"), "no plaintext in the database");
        let owner: mail_core::User = server.get_as("/api/session", &user).await.json();
        let binding = mailbox_binding(created.id, owner.id);
        assert_eq!(server.state.mailbox_key.open(&sealed, &binding).as_deref(), Some("s3cret-Mailbox"));
        assert_eq!(MailboxKey::generate().open(&sealed, &binding), None, "another key");
        assert_eq!(server.state.mailbox_key.open(&sealed, &mailbox_binding(created.id + 1, owner.id)), None, "another record");
    }

    /// SPEC U3: "Other" is judged with the admin dialog's rules, per field.
    async fn manual_servers_are_validated_like_the_admin_dialog(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let response = connect(&server, &user, "", "", manual("user@smtp.example.org:465", "imap.example.org")).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<(String, String)> = response.error().fields.into_iter().map(|f| (f.field, f.code)).collect();
        assert_eq!(
            fields,
            [
                ("address".to_owned(), "required".to_owned()),
                ("password".to_owned(), "required".to_owned()),
                ("smtp".to_owned(), "user_part".to_owned()),
                ("imap".to_owned(), "missing_port".to_owned()),
            ]
        );
        let ok = connect(&server, &user, "me@example.org", "pw", manual(" SMTPS://Mail.Example.org ", "mail.example.org:993")).await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
        let MailboxServer::Manual { smtp, imap } = ok.json::<MailboxConnection>().server else { panic!("manual") };
        assert_eq!((smtp.to_string(), smtp.security, imap.to_string()), ("mail.example.org:465".to_owned(), Security::Tls, "mail.example.org:993".to_owned()));
    }

    async fn the_same_mailbox_cannot_be_connected_twice(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let gmail = first_service(&server, &user).await;
        connect(&server, &user, "anna@gmail.com", "pw", ConnectThrough::Service { id: gmail }).await;
        let again = connect(&server, &user, "ANNA@gmail.com", "pw", ConnectThrough::Service { id: gmail }).await;
        assert_eq!((again.status, again.error().code.as_str()), (StatusCode::CONFLICT, "already_connected"));
    }

    /// Section 1: a user never sees or touches another user's mailboxes.
    async fn another_persons_mailbox_is_invisible_and_answers_404(server: TestServer) {
        let anna = server.session_of_new("anna", Role::User).await;
        let boris = server.session_of_new("boris", Role::User).await;
        let gmail = first_service(&server, &anna).await;
        let annas: MailboxConnection = connect(&server, &anna, "anna@gmail.com", "pw", ConnectThrough::Service { id: gmail }).await.json();
        assert!(server.get_as("/api/mail/mailboxes", &boris).await.json::<Vec<MailboxConnection>>().is_empty());
        let path = format!("/api/mail/mailboxes/{}", annas.id);
        let attempt = server.send(server.request(Method::DELETE, &path).cookie(&boris).empty()).await;
        assert_eq!((attempt.status, attempt.error().code.as_str()), (StatusCode::NOT_FOUND, "not_found"));
        assert_eq!(server.get_as("/api/mail/mailboxes", &anna).await.json::<Vec<MailboxConnection>>().len(), 1, "still there");
    }

    /// SPEC U4: disconnect.
    async fn disconnecting_removes_the_mailbox(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let gmail = first_service(&server, &user).await;
        let created: MailboxConnection = connect(&server, &user, "anna@gmail.com", "pw", ConnectThrough::Service { id: gmail }).await.json();
        let path = format!("/api/mail/mailboxes/{}", created.id);
        assert_eq!(server.send(server.request(Method::DELETE, &path).cookie(&user).empty()).await.status, StatusCode::NO_CONTENT);
        assert!(server.get_as("/api/mail/mailboxes", &user).await.json::<Vec<MailboxConnection>>().is_empty());
        assert_eq!(server.send(server.request(Method::DELETE, &path).cookie(&user).empty()).await.status, StatusCode::NOT_FOUND);
    }

    async fn user_routes_answer_401_when_signed_out(server: TestServer) {
        for (method, path) in [
            (Method::GET, "/api/mail/picker"),
            (Method::GET, "/api/mail/mailboxes"),
            (Method::POST, "/api/mail/mailboxes"),
            (Method::DELETE, "/api/mail/mailboxes/1"),
            (Method::GET, "/api/mail/business-process-sending"),
            (Method::PUT, "/api/mail/business-process-sending"),
        ] {
            let response = server.send(server.request(method.clone(), path).json(&serde_json::json!({}))).await;
            assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{method} {path}: {}", response.text());
        }
    }

    /// A service id that does not exist is refused like a deleted one.
    async fn connecting_through_an_unknown_service_is_refused(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let response = connect(&server, &user, "a@b.c", "pw", ConnectThrough::Service { id: 999_999 }).await;
        assert_eq!((response.status, response.error().code.as_str()), (StatusCode::CONFLICT, "service_unavailable"));
    }
}
