//! A database kept busy by another writer (issue 13, item 2): saves are judged before they wait
//! for the write lock, and a writer that waits too long is told to try again (503 with
//! `Retry-After`), not that the server failed.

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use mail_core::{
    Security, ServerInput, ServiceDraft, ServiceUpdate, SettingsDocument, SettingsUpdate,
};
use mail_services_server::demo::as_update;
use sqlx::Connection as _;
use support::{Backend, BuildRequest, TestResponse, TestServer, db_tests};

/// Bounds the wait for an answer, which on PostgreSQL could otherwise be endless: not a budget.
const ANSWER_DEADLINE: Duration = Duration::from_secs(60);

/// Another process's transaction holding the lock every save needs, until dropped or released.
enum HeldLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl HeldLock {
    async fn take(server: &TestServer) -> HeldLock {
        match server.backend {
            Backend::Sqlite => {
                let mut connection = sqlx::SqliteConnection::connect(&server.database_url)
                    .await
                    .unwrap();
                sqlx::query("BEGIN IMMEDIATE")
                    .execute(&mut connection)
                    .await
                    .unwrap();
                HeldLock::Sqlite(connection)
            }
            Backend::Postgres => {
                let mut connection = sqlx::PgConnection::connect(&server.database_url)
                    .await
                    .unwrap();
                sqlx::query("BEGIN").execute(&mut connection).await.unwrap();
                sqlx::query("SELECT version FROM settings WHERE id = 1 FOR UPDATE")
                    .execute(&mut connection)
                    .await
                    .unwrap();
                HeldLock::Postgres(connection)
            }
        }
    }

    async fn release(self) {
        match self {
            HeldLock::Sqlite(mut connection) => {
                sqlx::query("ROLLBACK")
                    .execute(&mut connection)
                    .await
                    .unwrap();
                connection.close().await.unwrap();
            }
            HeldLock::Postgres(mut connection) => {
                sqlx::query("ROLLBACK")
                    .execute(&mut connection)
                    .await
                    .unwrap();
                connection.close().await.unwrap();
            }
        }
    }
}

async fn document(server: &TestServer, admin: &str) -> SettingsDocument {
    let response = server.get_as("/api/admin/settings", admin).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()
}

fn save(server: &TestServer, admin: &str, version: i64, update: &SettingsUpdate) -> Request<Body> {
    server
        .request(Method::PUT, "/api/admin/settings")
        .cookie(admin)
        .header(header::IF_MATCH, format!("\"{version}\""))
        .json(update)
}

async fn send_within_deadline(server: &TestServer, request: Request<Body>) -> TestResponse {
    tokio::time::timeout(ANSWER_DEADLINE, server.send(request))
        .await
        .unwrap_or_else(|_| panic!("no answer within {ANSWER_DEADLINE:?}"))
}

/// A corporate service whose name is empty: refused whatever the database holds.
fn with_a_nameless_service(document: &SettingsDocument) -> SettingsUpdate {
    let input = |address: &str| ServerInput {
        address: address.to_owned(),
        security: Security::Tls,
    };
    let mut update = as_update(document);
    update.services.push(ServiceUpdate::Corporate {
        id: None,
        draft: ServiceDraft {
            name: String::new(),
            smtp: input("smtp.contoso.com:465"),
            imap: input("imap.contoso.com:993"),
        },
        hidden: false,
    });
    update
}

db_tests! {
    /// Issue 13, item 2: a writer that waited out the busy timeout was answered 500.
    async fn a_save_blocked_by_a_long_held_write_lock_is_answered_503_with_retry_after(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut update = as_update(&before);
        update.allow_manual_entry = !update.allow_manual_entry;

        let lock = HeldLock::take(&server).await;
        let busy = send_within_deadline(&server, save(&server, &admin, before.version, &update)).await;
        lock.release().await;

        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{}", busy.text());
        assert_eq!(busy.error().code, "database_busy");
        let retry_after: u64 = busy.header(header::RETRY_AFTER).parse().unwrap();
        assert!(retry_after > 0);
        // Nothing was saved: the same version saves once the lock is free.
        let saved = server.send(save(&server, &admin, before.version, &update)).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    }

    /// Issue 13, item 2: a save is judged before it takes the write lock, so an invalid or
    /// outdated one is refused at once while another writer holds it, instead of waiting.
    async fn invalid_and_outdated_saves_are_refused_while_another_writer_holds_the_lock(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let invalid = with_a_nameless_service(&before);

        let lock = HeldLock::take(&server).await;
        let refused = send_within_deadline(&server, save(&server, &admin, before.version, &invalid)).await;
        let outdated = send_within_deadline(&server, save(&server, &admin, before.version - 1, &as_update(&before))).await;
        lock.release().await;

        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text());
        assert!(
            refused.error().fields.iter().any(|f| f.field.starts_with("services[")),
            "{}",
            refused.text()
        );
        assert_eq!(outdated.status, StatusCode::PRECONDITION_FAILED, "{}", outdated.text());
    }

    /// Judging before the lock must not lose an update: of two saves of one version, the second
    /// still finds the version moved on.
    async fn of_two_saves_of_one_version_the_second_is_refused_as_outdated(server: TestServer) {
        let admin = server.admin_session().await;
        let before = document(&server, &admin).await;
        let mut first = as_update(&before);
        first.allow_manual_entry = !first.allow_manual_entry;
        let mut second = as_update(&before);
        second.business_process_sending = !second.business_process_sending;
        let (a, b) = tokio::join!(
            server.send(save(&server, &admin, before.version, &first)),
            server.send(save(&server, &admin, before.version, &second)),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "{} / {}", a.text(), b.text());
        let after = document(&server, &admin).await;
        assert_eq!(after.version, before.version + 1);
        let won_first = a.status == StatusCode::OK;
        assert_eq!(after.allow_manual_entry != before.allow_manual_entry, won_first);
        assert_eq!(after.business_process_sending != before.business_process_sending, !won_first);
    }
}
