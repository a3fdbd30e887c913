//! Signing in and out, sessions and roles over HTTP (SPEC section 1), on SQLite and PostgreSQL.

mod support;

use axum::http::{Method, StatusCode, header};
use mail_core::{Role, User};
use mail_services_server::{AppState, auth, db};
use support::{BuildRequest, TEST_PASSWORD, TestServer, db_tests};

db_tests! {
    async fn signing_in_sets_a_strict_http_only_cookie_and_who_am_i_answers(server: TestServer) {
        server.add_user("Anna", Role::User).await;
        let response = server.sign_in(" anna ", TEST_PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let cookie = response.header(header::SET_COOKIE).to_owned();
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
        let user: User = response.json();
        assert_eq!((user.login.as_str(), user.role), ("anna", Role::User));
        let session = response.cookie(auth::SESSION_COOKIE).unwrap();
        assert_eq!(server.get_as("/api/session", &session).await.json::<User>(), user);
        assert!(!response.text().contains(TEST_PASSWORD));
    }

    async fn the_cookie_is_secure_when_served_over_https(server: TestServer) {
        server.add_user("anna", Role::User).await;
        let body = serde_json::json!({ "login": "anna", "password": TEST_PASSWORD });
        let request = server.request(Method::POST, "/api/session").header("x-forwarded-proto", "https").json(&body);
        let response = server.send(request).await;
        assert!(response.header(header::SET_COOKIE).contains("; Secure"));
    }

    async fn a_wrong_password_and_an_unknown_login_get_the_same_answer(server: TestServer) {
        server.add_user("anna", Role::User).await;
        let wrong = server.sign_in("anna", "not the password").await;
        let unknown = server.sign_in("nobody", "not the password").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!((unknown.status, unknown.body.clone()), (wrong.status, wrong.body.clone()));
        assert_eq!(wrong.error().code, "wrong_credentials");
        assert!(wrong.cookie(auth::SESSION_COOKIE).is_none());
    }

    async fn repeated_failures_lock_the_login_for_a_while(server: TestServer) {
        server.add_user("anna", Role::User).await;
        for _ in 0..auth::MAX_FAILURES {
            assert_eq!(server.sign_in("anna", "guess").await.status, StatusCode::UNAUTHORIZED);
        }
        let locked = server.sign_in("anna", TEST_PASSWORD).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
        assert_eq!(locked.error().code, "too_many_sign_in_attempts");
        assert_eq!(locked.header(header::RETRY_AFTER), auth::FAILURE_WINDOW.as_secs().to_string());
        assert_eq!(server.sign_in("someone-else", "guess").await.status, StatusCode::UNAUTHORIZED, "other logins unaffected");
    }

    async fn signing_out_ends_the_session(server: TestServer) {
        let session = server.session_of_new("anna", Role::User).await;
        let response = server.send(server.request(Method::DELETE, "/api/session").cookie(&session).empty()).await;
        assert_eq!(response.status, StatusCode::NO_CONTENT);
        assert!(response.header(header::SET_COOKIE).contains("Max-Age=0"));
        let after = server.get_as("/api/session", &session).await;
        assert_eq!((after.status, after.error().code.as_str()), (StatusCode::UNAUTHORIZED, "sign_in_required"));
    }

    async fn a_made_up_session_cookie_is_refused(server: TestServer) {
        let response = server.get_as("/api/session", "mail_session=forged-token").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    /// Sessions live in the database: another replica on the same database knows them.
    async fn a_session_is_valid_on_every_replica(server: TestServer) {
        let session = server.session_of_new("anna", Role::Admin).await;
        let replica = AppState { db: db::open(&server.database_url).await.unwrap(), ..server.state.clone() };
        let request = server.request(Method::GET, "/api/admin/settings").cookie(&session).empty();
        let response = tower::ServiceExt::oneshot(mail_services_server::app(replica), request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn the_openapi_document_describes_every_route(server: TestServer) {
        let document: serde_json::Value = server.get("/api/openapi.json").await.json();
        let paths: Vec<&str> = document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "/api/admin/services/{id}/mailboxes",
                "/api/admin/settings",
                "/api/admin/sign-in-lockouts",
                "/api/mail/business-process-sending",
                "/api/mail/mailboxes",
                "/api/mail/mailboxes/{id}",
                "/api/mail/picker",
                "/api/session",
            ]
        );
        assert!(document["openapi"].as_str().unwrap().starts_with("3."));
        assert!(document["components"]["schemas"]["SettingsUpdate"].is_object());
    }
}
