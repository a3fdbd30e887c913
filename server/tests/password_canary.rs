//! Passwords are write-only: a canary password, sent in every way the API takes one, appears in no
//! response body and in no log line, even with every log level on (SPEC section 1, U2).

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::{Method, StatusCode};
use mail_core::{
    ConnectMailbox, ConnectThrough, MailboxConnection, Password, Picker, Role, Security,
    ServerInput,
};
use support::{BuildRequest, TestServer, db_tests};

const MAILBOX_CANARY: &str = "Canary-Mailbox-Password-7f3a9c";
const SIGN_IN_CANARY: &str = "Canary-Sign-In-Password-2b8e41";

/// Everything every test of this file logged, at TRACE level.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || Capture(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("only this file sets a subscriber");
        logs
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

db_tests! {
    async fn passwords_never_appear_in_responses_or_logs(server: TestServer) {
        let logs = captured_logs();
        let mut bodies = Vec::new();
        tracing::info!("the capture works");

        server.add_user("admin", Role::Admin).await;
        mail_services_server::auth::add_user(server.db(), "anna", "Anna", Role::User, SIGN_IN_CANARY).await.unwrap();
        let failed = server.sign_in("anna", &format!("{SIGN_IN_CANARY}-wrong")).await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
        bodies.push(failed.text());
        let signed_in = server.sign_in("anna", SIGN_IN_CANARY).await;
        bodies.push(signed_in.text());
        let anna = signed_in.cookie("mail_session").unwrap();
        let admin = server.sign_in("admin", support::TEST_PASSWORD).await.cookie("mail_session").unwrap();

        let gmail = server.get_as("/api/mail/picker", &anna).await.json::<Picker>().services[0].id;
        let attempts = [
            ConnectThrough::Service { id: gmail },
            ConnectThrough::Manual {
                smtp: ServerInput { address: "mail.example.org:465".into(), security: Security::Tls },
                imap: ServerInput { address: "mail.example.org:993".into(), security: Security::Tls },
            },
            // Refused with 422: the error must not echo the password either.
            ConnectThrough::Manual {
                smtp: ServerInput { address: "bad host".into(), security: Security::Tls },
                imap: ServerInput { address: "".into(), security: Security::Tls },
            },
        ];
        for (n, through) in attempts.into_iter().enumerate() {
            let body = ConnectMailbox { address: format!("anna{n}@example.org"), password: Password::new(MAILBOX_CANARY), server: through };
            assert!(!format!("{body:?}").contains(MAILBOX_CANARY), "Debug hides the password");
            let response = server.send(server.request(Method::POST, "/api/mail/mailboxes").cookie(&anna).json(&body)).await;
            bodies.push(response.text());
        }
        let mine = server.get_as("/api/mail/mailboxes", &anna).await;
        assert_eq!(mine.json::<Vec<MailboxConnection>>().len(), 2);
        bodies.push(mine.text());
        for path in ["/api/admin/settings", &format!("/api/admin/services/{gmail}/mailboxes"), "/api/openapi.json"] {
            bodies.push(server.get_as(path, &admin).await.text());
        }

        for body in &bodies {
            assert!(!body.contains(MAILBOX_CANARY) && !body.contains(SIGN_IN_CANARY), "a response carries a password: {body}");
        }
        let logs = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
        assert!(logs.contains("the capture works"), "logs are captured");
        assert!(logs.contains("connected a mailbox"), "the requests were logged");
        assert!(!logs.contains(MAILBOX_CANARY) && !logs.contains(SIGN_IN_CANARY), "a log line carries a password");
    }
}
