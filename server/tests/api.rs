//! The HTTP API against real databases, SQLite and PostgreSQL, through the same router the binary
//! serves.

mod support;

use axum::http::{Method, StatusCode, header};
use mail_core::catalog::STANDARD_SERVICES;
use mail_core::{ServiceKind, SettingsDocument};
use mail_services_server::{db, demo, settings};
use support::{BuildRequest, TestServer, db_tests};

db_tests! {
    async fn settings_list_the_standard_services_of_a1_with_their_real_servers(server: TestServer) {
        let admin = server.admin_session().await;
        let response = server.get_as("/api/admin/settings", &admin).await;
        assert_eq!(response.status, StatusCode::OK);
        let document: SettingsDocument = response.json();
        assert_eq!(
            response.headers[header::ETAG],
            format!("\"{}\"", document.version)
        );
        assert_eq!(response.headers[header::CACHE_CONTROL], "no-store");
        assert!(
            document.allow_manual_entry,
            "manual entry is allowed by default (SPEC A6)"
        );
        assert!(
            document.business_process_sending,
            "business-process sending is allowed by default (SPEC A7)"
        );
        assert_eq!(document.services.len(), STANDARD_SERVICES.len());
        for (service, standard) in document.services.iter().zip(STANDARD_SERVICES) {
            assert_eq!(service.name, standard.name);
            assert_eq!(service.kind, ServiceKind::Standard);
            assert_eq!(service.smtp, standard.smtp());
            assert_eq!(service.imap, standard.imap());
            assert!(!service.hidden);
        }
        let positions: Vec<_> = document.services.iter().map(|s| s.position).collect();
        assert!(
            positions.is_sorted(),
            "services come in the administrator's order: {positions:?}"
        );
    }

    async fn restarting_on_the_same_database_does_not_duplicate_the_standard_services(
        server: TestServer
    ) {
        db::open(&server.database_url).await.unwrap();
        let pool = db::open(&server.database_url).await.unwrap();
        let document = settings::document(&pool).await.unwrap();
        assert_eq!(document.services.len(), STANDARD_SERVICES.len());
    }

    async fn demo_data_adds_corporate_services_and_a_hidden_one_once(server: TestServer) {
        let key = &server.state.mailbox_key;
        assert!(demo::seed(server.db(), key).await.unwrap(), "the demo is added to a fresh database");
        assert!(!demo::seed(server.db(), key).await.unwrap(), "and only once");
        let admin = server.admin_session().await;
        let document: SettingsDocument = server.get_as("/api/admin/settings", &admin).await.json();
        let corporate = document
            .services
            .iter()
            .filter(|s| s.kind == ServiceKind::Corporate)
            .count();
        assert_eq!(corporate, 2);
        assert!(document.services.iter().any(|s| s.hidden));
    }

    async fn unknown_api_paths_answer_404_with_the_json_error_body(server: TestServer) {
        let response = server.get("/api/no/such/thing").await;
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        assert!(
            response
                .header(header::CONTENT_TYPE)
                .starts_with("application/json")
        );
        assert_eq!(response.error().code, "not_found");
    }

    async fn a_wrong_method_answers_405_with_the_json_error_body(server: TestServer) {
        let response = server
            .send(server.request(Method::DELETE, "/api/admin/settings").empty())
            .await;
        assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
        let error = response.error();
        assert_eq!(error.code, "method_not_allowed");
        assert!(!error.message.is_empty());
    }

    async fn deep_links_of_the_app_are_answered_with_index_html(server: TestServer) {
        for path in ["/", "/admin/email/services", "/no/such/page"] {
            let response = server.get(path).await;
            assert_eq!(response.status, StatusCode::OK, "{path}");
            assert!(
                response.header(header::CONTENT_TYPE).starts_with("text/html"),
                "{path}"
            );
            assert!(
                response.text().contains("<title>Mail services</title>"),
                "{path}"
            );
        }
    }

    async fn static_files_of_the_app_are_served_as_they_are(server: TestServer) {
        let response = server.get("/app.css").await;
        assert_eq!(response.status, StatusCode::OK);
        assert!(response.header(header::CONTENT_TYPE).starts_with("text/css"));
        assert_eq!(response.body, b"body{}");
    }
}
