//! Every kind of error answer of the API in the language the request asks for, on SQLite and
//! PostgreSQL: with `Accept-Language: ru` (what the app sends for Russian) the message is Russian,
//! without the header English; the status and the code programs match on are the same in both.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use mail_core::{
    ApiErrorBody, ConnectMailbox, ConnectThrough, Password, Picker, Role, Security, ServerInput,
    ServiceUpdate, SettingsDocument, SettingsUpdate,
};
use mail_services_server::auth;
use mail_services_server::demo::as_update;
use support::{BuildRequest, TestServer, db_tests, execute};

fn is_russian(text: &str) -> bool {
    text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// The error answers to the request `make` builds, sent without `Accept-Language` and again with
/// `Accept-Language: ru`: both with `status` and `code`, the first in English, the second in Russian.
async fn in_both_languages(
    server: &TestServer,
    make: impl Fn() -> Request<Body>,
    status: StatusCode,
    code: &str,
) -> (ApiErrorBody, ApiErrorBody) {
    let mut answers = Vec::new();
    for lang in [None, Some("ru")] {
        let mut request = make();
        if let Some(lang) = lang {
            request
                .headers_mut()
                .insert(header::ACCEPT_LANGUAGE, lang.parse().unwrap());
        }
        let response = server.send(request).await;
        assert_eq!(response.status, status, "{lang:?}: {}", response.text());
        assert!(
            response
                .header(header::CONTENT_TYPE)
                .starts_with("application/json"),
            "{lang:?}"
        );
        let error = response.error();
        assert_eq!(error.code, code, "{lang:?}: {}", error.message);
        answers.push(error);
    }
    let ru = answers.pop().unwrap();
    let en = answers.pop().unwrap();
    assert!(!is_russian(&en.message), "English: {}", en.message);
    assert!(is_russian(&ru.message), "Russian: {}", ru.message);
    assert_ne!(en.message, ru.message);
    (en, ru)
}

/// Every field message of a 422 answer, and the answer's own message, in Russian.
#[track_caller]
fn assert_fields_in_russian(error: &ApiErrorBody) {
    assert!(!error.fields.is_empty(), "{error:?}");
    assert!(is_russian(&error.message), "{}", error.message);
    for field in &error.fields {
        assert!(
            is_russian(&field.message),
            "{}: {}",
            field.field,
            field.message
        );
    }
}

async fn settings(server: &TestServer, admin: &str) -> SettingsDocument {
    server.get_as("/api/admin/settings", admin).await.json()
}

fn save_request(
    server: &TestServer,
    admin: &str,
    version: i64,
    update: &SettingsUpdate,
) -> Request<Body> {
    server
        .request(Method::PUT, "/api/admin/settings")
        .cookie(admin)
        .header(header::IF_MATCH, format!("\"{version}\""))
        .json(update)
}

fn connect_request(server: &TestServer, user: &str, through: ConnectThrough) -> Request<Body> {
    let body = ConnectMailbox {
        address: "anna@example.com".to_owned(),
        password: Password::new("mailbox secret"),
        server: through,
    };
    server
        .request(Method::POST, "/api/mail/mailboxes")
        .cookie(user)
        .json(&body)
}

fn manual(smtp: &str, imap: &str) -> ConnectThrough {
    let input = |address: &str| ServerInput {
        address: address.to_owned(),
        security: Security::Tls,
    };
    ConnectThrough::Manual {
        smtp: input(smtp),
        imap: input(imap),
    }
}

db_tests! {
    /// 401, for no session and for one that has ended; a browser's full header and an explicit
    /// `en` are understood too.
    async fn signing_in_again_is_asked_for_in_either_language(server: TestServer) {
        let signed_out = || server.request(Method::GET, "/api/session").empty();
        let (en, ru) = in_both_languages(&server, signed_out, StatusCode::UNAUTHORIZED, "sign_in_required").await;
        assert!(ru.message.contains("Войдите"), "{}", ru.message);
        let ended = || server.request(Method::GET, "/api/session").cookie("mail_session=ended").empty();
        in_both_languages(&server, ended, StatusCode::UNAUTHORIZED, "sign_in_required").await;
        for (accept_language, expected) in [("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", &ru), ("en", &en), ("de-DE,en;q=0.5", &en)] {
            let request = server.request(Method::GET, "/api/session").header(header::ACCEPT_LANGUAGE, accept_language).empty();
            assert_eq!(&server.send(request).await.error(), expected, "{accept_language}");
        }
    }

    /// 401 for a wrong password, then 429 with the wait in minutes, in its Russian plural form.
    async fn sign_in_failures_and_the_rate_limit_are_said_in_either_language(server: TestServer) {
        server.add_user("anna", Role::User).await;
        let sign_in = |password: &str| {
            let body = serde_json::json!({ "login": "anna", "password": password });
            server.request(Method::POST, "/api/session").json(&body)
        };
        let (_, ru) = in_both_languages(&server, || sign_in("guess"), StatusCode::UNAUTHORIZED, "wrong_credentials").await;
        assert!(ru.message.contains("логин или пароль"), "{}", ru.message);
        for _ in 2..auth::MAX_FAILURES {
            assert_eq!(server.send(sign_in("guess")).await.status, StatusCode::UNAUTHORIZED);
        }
        let (en, ru) = in_both_languages(&server, || sign_in(support::TEST_PASSWORD), StatusCode::TOO_MANY_REQUESTS, "too_many_sign_in_attempts").await;
        assert_eq!(auth::FAILURE_WINDOW.as_secs(), 15 * 60);
        assert!(en.message.contains("in 15 minutes"), "{}", en.message);
        assert!(ru.message.contains("через 15 минут"), "{}", ru.message);
        let mut request = sign_in(support::TEST_PASSWORD);
        request.headers_mut().insert(header::ACCEPT_LANGUAGE, "ru".parse().unwrap());
        let response = server.send(request).await;
        assert_eq!(response.header(header::RETRY_AFTER), "900", "the header stays");
    }

    /// 403 to a user on an administrator's route.
    async fn only_administrators_is_said_in_either_language(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        let request = || server.request(Method::GET, "/api/admin/settings").cookie(&user).empty();
        let (_, ru) = in_both_languages(&server, request, StatusCode::FORBIDDEN, "admin_only").await;
        assert!(ru.message.contains("администратор"), "{}", ru.message);
    }

    /// 428 without If-Match, 412 for an unreadable one and for another administrator's save.
    async fn version_refusals_are_said_in_either_language(server: TestServer) {
        let admin = server.admin_session().await;
        let before = settings(&server, &admin).await;
        let update = as_update(&before);
        let without = || server.request(Method::PUT, "/api/admin/settings").cookie(&admin).json(&update);
        in_both_languages(&server, without, StatusCode::PRECONDITION_REQUIRED, "version_required").await;
        let unreadable = || server.request(Method::PUT, "/api/admin/settings").cookie(&admin).header(header::IF_MATCH, "\"latest\"").json(&update);
        in_both_languages(&server, unreadable, StatusCode::PRECONDITION_FAILED, "stale_version").await;
        assert_eq!(server.send(save_request(&server, &admin, before.version, &update)).await.status, StatusCode::OK);
        let stale = || save_request(&server, &admin, before.version, &update);
        let (en, ru) = in_both_languages(&server, stale, StatusCode::PRECONDITION_FAILED, "stale_version").await;
        assert!(en.message.contains("reload"), "{}", en.message);
        assert!(ru.message.contains("загрузите текущие настройки"), "{}", ru.message);
    }

    /// 409 for a deleted or hidden service, for "Other" while manual entry is off (in the seed's
    /// words), and for a mailbox connected already.
    async fn connection_conflicts_are_said_in_either_language(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let deleted = || connect_request(&server, &user, ConnectThrough::Service { id: 999_999 });
        in_both_languages(&server, deleted, StatusCode::CONFLICT, "service_unavailable").await;

        let picker: Picker = server.get_as("/api/mail/picker", &user).await.json();
        let (first, second) = (picker.services[0].id, picker.services[1].id);
        let before = settings(&server, &admin).await;
        let mut update = as_update(&before);
        update.allow_manual_entry = false;
        for entry in &mut update.services {
            if let ServiceUpdate::Standard { id, hidden } = entry && *id == first {
                *hidden = true;
            }
        }
        assert_eq!(server.send(save_request(&server, &admin, before.version, &update)).await.status, StatusCode::OK);
        let hidden = || connect_request(&server, &user, ConnectThrough::Service { id: first });
        let (_, ru) = in_both_languages(&server, hidden, StatusCode::CONFLICT, "service_hidden").await;
        assert!(ru.message.contains("почтовый сервис"), "{}", ru.message);
        let by_hand = || connect_request(&server, &user, manual("smtp.example.org:465", "imap.example.org:993"));
        let (en, ru) = in_both_languages(&server, by_hand, StatusCode::CONFLICT, "manual_entry_not_allowed").await;
        assert!(en.message.contains("Allow entering details of the mail server manually"), "{}", en.message);
        assert!(ru.message.contains("«Разрешить вводить реквизиты почтового сервера вручную»"), "{}", ru.message);
        assert!(ru.message.contains("«Другой»"), "{}", ru.message);

        let through_second = || connect_request(&server, &user, ConnectThrough::Service { id: second });
        assert_eq!(server.send(through_second()).await.status, StatusCode::CREATED);
        in_both_languages(&server, through_second, StatusCode::CONFLICT, "already_connected").await;
    }

    /// 404 for an unknown endpoint, another person's mailbox and an unknown service; 405.
    async fn not_found_and_wrong_methods_are_said_in_either_language(server: TestServer) {
        let admin = server.admin_session().await;
        let endpoint = || server.request(Method::GET, "/api/no/such/thing").empty();
        in_both_languages(&server, endpoint, StatusCode::NOT_FOUND, "not_found").await;
        let mailbox = || server.request(Method::DELETE, "/api/mail/mailboxes/999999").cookie(&admin).empty();
        in_both_languages(&server, mailbox, StatusCode::NOT_FOUND, "not_found").await;
        let service = || server.request(Method::GET, "/api/admin/services/999999/mailboxes").cookie(&admin).empty();
        let (_, ru) = in_both_languages(&server, service, StatusCode::NOT_FOUND, "not_found").await;
        assert!(ru.message.contains("почтовый сервис"), "{}", ru.message);
        let method = || server.request(Method::DELETE, "/api/admin/settings").cookie(&admin).empty();
        in_both_languages(&server, method, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    }

    /// 403 from the CSRF guard, for another origin and for the browser's word that the request is
    /// cross-site.
    async fn cross_site_refusals_are_said_in_either_language(server: TestServer) {
        let other_origin = || {
            Request::builder()
                .method(Method::POST)
                .uri("/api/session")
                .header(header::HOST, support::HOST)
                .header(header::ORIGIN, "https://evil.example")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap()
        };
        let (en, ru) = in_both_languages(&server, other_origin, StatusCode::FORBIDDEN, "cross_site_request").await;
        assert!(en.message.contains("this server's own address"), "{}", en.message);
        assert!(ru.message.contains("https://evil.example") && ru.message.contains(support::HOST), "{}", ru.message);
        let cross_site = || {
            Request::builder()
                .method(Method::DELETE)
                .uri("/api/session")
                .header(header::HOST, support::HOST)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .unwrap()
        };
        let (_, ru) = in_both_languages(&server, cross_site, StatusCode::FORBIDDEN, "cross_site_request").await;
        assert!(ru.message.contains("Sec-Fetch-Site: cross-site"), "{}", ru.message);
        let response = server.send(cross_site()).await;
        assert_eq!(response.header(header::CACHE_CONTROL), "no-store");
    }

    /// 415 from the CSRF guard and from axum's JSON extractor, 400 for broken JSON, 422 for JSON of
    /// the wrong shape (axum's words kept as the details) and 413 for a body too large.
    async fn unreadable_bodies_are_said_in_either_language(server: TestServer) {
        let sign_in = |content_type: Option<&str>, body: &str| {
            let mut request = server.request(Method::POST, "/api/session");
            if let Some(content_type) = content_type {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            request.body(Body::from(body.to_owned())).unwrap()
        };
        let (_, ru) = in_both_languages(&server, || sign_in(Some("text/plain"), "{}"), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
        assert!(ru.message.contains("application/json") && ru.message.contains("text/plain"), "{}", ru.message);
        in_both_languages(&server, || sign_in(None, "{}"), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
        in_both_languages(&server, || sign_in(None, ""), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
        in_both_languages(&server, || sign_in(Some("application/json"), "{\"login\":"), StatusCode::BAD_REQUEST, "bad_request").await;
        let (en, ru) = in_both_languages(&server, || sign_in(Some("application/json"), "{\"login\":\"anna\"}"), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
        for message in [&en.message, &ru.message] {
            assert!(message.contains("missing field `password`"), "the parser's details are kept: {message}");
        }
        let huge = format!("{{\"login\":\"{}\",\"password\":\"x\"}}", "a".repeat(3 * 1024 * 1024));
        in_both_languages(&server, || sign_in(Some("application/json"), &huge), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        let user = server.session_of_new("anna", Role::User).await;
        let path = || server.request(Method::DELETE, "/api/mail/mailboxes/first").cookie(&user).empty();
        in_both_languages(&server, path, StatusCode::BAD_REQUEST, "bad_request").await;
    }

    /// 500: the details go to the log, the person is told what to do.
    async fn internal_errors_are_said_in_either_language(server: TestServer) {
        let user = server.session_of_new("anna", Role::User).await;
        execute(server.db(), "ALTER TABLE mailboxes RENAME TO mailboxes_elsewhere").await;
        let request = || server.request(Method::GET, "/api/mail/mailboxes").cookie(&user).empty();
        let (en, ru) = in_both_languages(&server, request, StatusCode::INTERNAL_SERVER_ERROR, "internal_error").await;
        for message in [&en.message, &ru.message] {
            assert!(!message.contains("mailboxes"), "no internal details: {message}");
        }
    }

    /// 422: the field messages of a mailbox connection and of the settings' service list are in
    /// Russian too, not only those of server addresses.
    async fn field_messages_of_invalid_input_are_said_in_either_language(server: TestServer) {
        let admin = server.admin_session().await;
        let user = server.session_of_new("anna", Role::User).await;
        let body = ConnectMailbox {
            address: "anna @example.com".to_owned(),
            password: Password::new(""),
            server: manual("smtp.example.org", "imap.example.org:993"),
        };
        let connect = || server.request(Method::POST, "/api/mail/mailboxes").cookie(&user).json(&body);
        let (en, ru) = in_both_languages(&server, connect, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let fields = |error: &ApiErrorBody| error.fields.iter().map(|f| (f.field.clone(), f.code.clone())).collect::<Vec<_>>();
        assert_eq!(fields(&en), fields(&ru), "the same fields and codes");
        assert_eq!(fields(&en).iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["address", "password", "smtp"]);
        assert_fields_in_russian(&ru);

        let before = settings(&server, &admin).await;
        let mut update = as_update(&before);
        let gmail = update.services.remove(0);
        update.services.push(update.services[0].clone());
        update.services.push(ServiceUpdate::Standard { id: 999_999, hidden: false });
        let ServiceUpdate::Standard { id: gmail, .. } = gmail else { panic!("Gmail is standard") };
        update.services.push(ServiceUpdate::Corporate {
            id: Some(gmail),
            draft: mail_core::ServiceDraft {
                name: "Gmail".to_owned(),
                smtp: ServerInput { address: "smtp.gmail.com:465".to_owned(), security: Security::Tls },
                imap: ServerInput { address: "imap.gmail.com:993".to_owned(), security: Security::Tls },
            },
            hidden: false,
        });
        let save = || save_request(&server, &admin, before.version, &update);
        let (en, ru) = in_both_languages(&server, save, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        let codes = |error: &ApiErrorBody| error.fields.iter().map(|f| f.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&en), codes(&ru));
        assert_eq!(codes(&ru), ["duplicate_service", "unknown_service", "wrong_kind"]);
        assert_fields_in_russian(&ru);
        let mut without_gmail = as_update(&before);
        without_gmail.services.remove(0);
        let save = || save_request(&server, &admin, before.version, &without_gmail);
        let (_, ru) = in_both_languages(&server, save, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(codes(&ru), ["standard_service_missing"]);
        assert!(ru.fields[0].message.contains("«Gmail»"), "{}", ru.fields[0].message);
    }
}
