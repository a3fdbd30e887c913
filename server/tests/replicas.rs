//! Several replicas on one database, each keeping the settings document and the picker in memory:
//! whatever one replica (or a new release starting) changes, every other serves at once.

mod support;

use axum::Router;
use axum::http::{Method, StatusCode, header};
use mail_core::catalog::STANDARD_SERVICES;
use mail_core::{
    ConnectMailbox, ConnectThrough, MailboxConnection, Password, Picker, Role, Security,
    ServerInput, ServiceDraft, ServiceUpdate, SettingsDocument,
};
use mail_services_server::demo::as_update;
use support::{BuildRequest, TestResponse, TestServer, db_tests, execute, send_to};

/// One replica as a browser reaches it through the load balancer.
struct Replica<'a> {
    server: &'a TestServer,
    app: Router,
}

impl Replica<'_> {
    async fn get(&self, path: &str, cookie: &str) -> TestResponse {
        let request = self
            .server
            .request(Method::GET, path)
            .cookie(cookie)
            .empty();
        send_to(self.app.clone(), request).await
    }

    async fn document(&self, admin: &str) -> SettingsDocument {
        let response = self.get("/api/admin/settings", admin).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let document: SettingsDocument = response.json();
        assert_eq!(
            response.header(header::ETAG),
            format!("\"{}\"", document.version)
        );
        document
    }

    async fn picker(&self, user: &str) -> Picker {
        let response = self.get("/api/mail/picker", user).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()
    }

    /// Saves `change` applied to the document this replica serves now.
    async fn save(&self, admin: &str, change: impl FnOnce(&mut mail_core::SettingsUpdate)) {
        let before = self.document(admin).await;
        let mut update = as_update(&before);
        change(&mut update);
        let request = self
            .server
            .request(Method::PUT, "/api/admin/settings")
            .cookie(admin)
            .header(header::IF_MATCH, format!("\"{}\"", before.version))
            .json(&update);
        let response = send_to(self.app.clone(), request).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    }

    async fn connect(&self, user: &str, service: i64) -> MailboxConnection {
        let body = ConnectMailbox {
            address: "anna@contoso.com".to_owned(),
            password: Password::new("mailbox secret"),
            server: ConnectThrough::Service { id: service },
        };
        let request = self
            .server
            .request(Method::POST, "/api/mail/mailboxes")
            .cookie(user)
            .json(&body);
        let response = send_to(self.app.clone(), request).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
        response.json()
    }

    async fn disconnect(&self, user: &str, mailbox: i64) {
        let request = self
            .server
            .request(Method::DELETE, &format!("/api/mail/mailboxes/{mailbox}"))
            .cookie(user)
            .empty();
        let response = send_to(self.app.clone(), request).await;
        assert_eq!(
            response.status,
            StatusCode::NO_CONTENT,
            "{}",
            response.text()
        );
    }
}

/// The first replica (the test server's own app) and a second one on the same database.
async fn two_replicas(server: &TestServer) -> (Replica<'_>, Replica<'_>) {
    let here = Replica {
        server,
        app: server.app(),
    };
    let there = Replica {
        server,
        app: server.replica().await,
    };
    (here, there)
}

fn contoso() -> ServiceUpdate {
    let input = |address: &str| ServerInput {
        address: address.to_owned(),
        security: Security::Tls,
    };
    ServiceUpdate::Corporate {
        id: None,
        draft: ServiceDraft {
            name: "Contoso".to_owned(),
            smtp: input("smtp.contoso.com:465"),
            imap: input("imap.contoso.com:993"),
        },
        hidden: false,
    }
}

fn hide(update: &mut mail_core::SettingsUpdate, name_of: &SettingsDocument, name: &str) {
    let target = name_of.services.iter().find(|s| s.name == name).unwrap().id;
    for entry in &mut update.services {
        if let ServiceUpdate::Standard { id, hidden } = entry
            && *id == target
        {
            *hidden = true;
        }
    }
}

db_tests! {
    /// SPEC A8 across replicas: a save through one is what every other serves next, in the
    /// settings document and in the picker, and its version is the ETag everywhere.
    async fn a_save_through_another_replica_is_served_at_once(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let (here, there) = two_replicas(&server).await;
        let before = here.document(&admin).await;
        assert!(here.picker(&user).await.other_allowed);
        assert_eq!(there.document(&admin).await, before);

        there
            .save(&admin, |update| {
                update.services.push(contoso());
                hide(update, &before, "Gmail");
                update.allow_manual_entry = false;
            })
            .await;
        let after = here.document(&admin).await;
        assert_eq!(after.version, before.version + 1);
        assert!(after.services.iter().any(|s| s.name == "Contoso"));
        assert!(after.services.iter().any(|s| s.name == "Gmail" && s.hidden));
        assert!(!after.allow_manual_entry);
        let picker = here.picker(&user).await;
        assert!(picker.services.iter().any(|s| s.name == "Contoso"));
        assert!(picker.services.iter().all(|s| s.name != "Gmail"));
        assert!(!picker.other_allowed);

        // And back the other way, onto the copy the second replica kept.
        here.save(&admin, |update| update.allow_manual_entry = true).await;
        assert_eq!(there.document(&admin).await.version, before.version + 2);
        assert!(there.picker(&user).await.other_allowed);
    }

    /// The mailbox counts of the document follow connections made through any replica, without
    /// moving the version an administrator's save is checked against.
    async fn mailbox_counts_follow_connections_made_through_another_replica(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let (here, there) = two_replicas(&server).await;
        here.save(&admin, |update| update.services.push(contoso())).await;
        let count = |document: &SettingsDocument| {
            document.services.iter().find(|s| s.name == "Contoso").unwrap().mailbox_count
        };
        let before = here.document(&admin).await;
        assert_eq!(count(&before), 0);
        let contoso_id = before.services.iter().find(|s| s.name == "Contoso").unwrap().id;

        let mailbox = there.connect(&user, contoso_id).await;
        let connected = here.document(&admin).await;
        assert_eq!((count(&connected), connected.version), (1, before.version));

        there.disconnect(&user, mailbox.id).await;
        let disconnected = here.document(&admin).await;
        assert_eq!((count(&disconnected), disconnected.version), (0, before.version));
    }

    /// A replica of a newer release adds the standard services it knows on start: that is a
    /// change of the settings like a save, seen by the replicas already running.
    async fn a_standard_service_added_on_start_moves_the_version_on(server: TestServer) {
        let admin = server.admin_session().await;
        let newest = STANDARD_SERVICES.last().unwrap();
        // As if the database had been made by a release that did not know this service yet.
        execute(server.db(), &format!("DELETE FROM mail_services WHERE standard_key = '{}'", newest.key)).await;
        let here = Replica { server: &server, app: server.app() };
        let before = here.document(&admin).await;
        assert!(before.services.iter().all(|s| s.name != newest.name));

        let _newer_release = server.replica().await;
        let after = here.document(&admin).await;
        assert_eq!(after.version, before.version + 1);
        assert!(after.services.iter().any(|s| s.name == newest.name));
    }

    /// Serving from memory keeps the checks of who may read what.
    async fn the_kept_documents_are_served_only_to_whom_they_were_before(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let (here, _) = two_replicas(&server).await;
        here.document(&admin).await;
        here.picker(&user).await;
        let as_user = here.get("/api/admin/settings", &user).await;
        assert_eq!((as_user.status, as_user.error().code.as_str()), (StatusCode::FORBIDDEN, "admin_only"));
        for path in ["/api/admin/settings", "/api/mail/picker"] {
            let signed_out = here.get(path, "mail_session=forged-token").await;
            assert_eq!((signed_out.status, signed_out.error().code.as_str()), (StatusCode::UNAUTHORIZED, "sign_in_required"), "{path}");
        }
    }
}
