//! Web security over HTTP: the Content-Security-Policy and other headers on every response, and the
//! refusal of state-changing API requests that another site could make a signed-in browser send.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use mail_services_server::{AppState, app};
use sha2::{Digest, Sha256};
use support::{
    Backend, BuildRequest, HOST, INDEX_INLINE_SCRIPT, TestResponse, TestServer, db_tests,
};
use tower::ServiceExt as _;

const EVIL_ORIGIN: &str = "https://evil.example";

/// The state-changing API requests a cross-site page would aim at: with a handler, with a handler
/// that takes no body, and with none at all.
const UNSAFE_API_REQUESTS: [(Method, &str); 5] = [
    (Method::PUT, "/api/admin/settings"),
    (Method::POST, "/api/session"),
    (Method::DELETE, "/api/session"),
    (Method::PATCH, "/api/admin/settings"),
    (Method::POST, "/api/no/such/thing"),
];

fn assert_security_headers(response: &TestResponse, what: &str) {
    let csp = response.header(header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(
        response.header(header::X_CONTENT_TYPE_OPTIONS),
        "nosniff",
        "{what}"
    );
    assert_eq!(
        response.header(header::REFERRER_POLICY),
        "same-origin",
        "{what}"
    );
    assert_eq!(response.header(header::X_FRAME_OPTIONS), "DENY", "{what}");
    assert_eq!(
        response.header("cross-origin-opener-policy"),
        "same-origin",
        "{what}"
    );
}

#[track_caller]
fn assert_refused_as_cross_site(response: &TestResponse, what: &str) {
    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "{what}: {}",
        response.text()
    );
    assert!(
        response
            .header(header::CONTENT_TYPE)
            .starts_with("application/json"),
        "{what}"
    );
    let error = response.error();
    assert_eq!(error.code, "cross_site_request", "{what}");
    assert!(
        error.message.contains("this server's own address"),
        "{what}: the message says how to fix it: {}",
        error.message
    );
    assert_security_headers(response, what);
}

#[track_caller]
fn assert_not_refused(response: &TestResponse, what: &str) {
    if let Ok(error) = serde_json::from_slice::<mail_core::ApiErrorBody>(&response.body) {
        assert!(
            !["cross_site_request", "unsupported_media_type"].contains(&error.code.as_str()),
            "{what} was refused: {} {}",
            response.status,
            response.text()
        );
    }
}

/// The directives of a policy, by name.
fn directive<'a>(csp: &'a str, name: &str) -> Vec<&'a str> {
    csp.split(';')
        .map(|d| d.split_whitespace().collect::<Vec<_>>())
        .find(|d| d.first() == Some(&name))
        .unwrap_or_else(|| panic!("no {name} in {csp}"))[1..]
        .to_vec()
}

#[tokio::test]
async fn pages_and_static_files_carry_the_security_headers() {
    let server = TestServer::start(Backend::Sqlite).await;
    for path in ["/", "/admin/email/services", "/app.css", "/no-such-file.js"] {
        let response = server.get(path).await;
        assert_security_headers(&response, path);
    }
}

/// Issue 13 item 10: a browser that reached the server over HTTPS (as a TLS-terminating proxy says)
/// is told to keep to HTTPS; over plain HTTP the header means nothing and is not sent.
#[tokio::test]
async fn answers_over_https_carry_hsts_and_answers_over_http_do_not() {
    let server = TestServer::start(Backend::Sqlite).await;
    let over_https: [(&str, &str); 3] = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-proto", "HTTPS"),
        (
            "forwarded",
            "for=192.0.2.1;proto=https;host=mail-services.test",
        ),
    ];
    let get_with = |path: &str, name: &str, value: &str| {
        Request::get(path)
            .header(header::HOST, HOST)
            .header(name, value)
            .body(Body::empty())
            .unwrap()
    };
    for path in ["/", "/app.css", "/api/session", "/api/no/such/thing"] {
        for (name, value) in over_https {
            let response = server.send(get_with(path, name, value)).await;
            assert_eq!(
                response.header(header::STRICT_TRANSPORT_SECURITY),
                "max-age=31536000",
                "{path} with {name}: {value}"
            );
        }
        let plain = server.get(path).await;
        assert!(
            plain
                .headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .is_none(),
            "{path} over HTTP"
        );
        let response = server
            .send(get_with(path, "x-forwarded-proto", "http"))
            .await;
        assert!(
            response
                .headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .is_none(),
            "{path} through a plain HTTP proxy"
        );
    }
    // A refusal by the CSRF guard is an answer over HTTPS too.
    let request = Request::put("/api/admin/settings")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, EVIL_ORIGIN)
        .header("x-forwarded-proto", "https")
        .json(&serde_json::json!({}));
    let response = server.send(request).await;
    assert_refused_as_cross_site(&response, "cross-site over HTTPS");
    assert_eq!(
        response.header(header::STRICT_TRANSPORT_SECURITY),
        "max-age=31536000"
    );
}

#[tokio::test]
async fn the_policy_allows_the_inline_bootstrap_by_its_hash_and_nothing_inline_else() {
    let server = TestServer::start(Backend::Sqlite).await;
    let csp = server
        .get("/")
        .await
        .header(header::CONTENT_SECURITY_POLICY)
        .to_owned();
    let hash = base64::engine::general_purpose::STANDARD
        .encode(Sha256::digest(INDEX_INLINE_SCRIPT.as_bytes()));
    assert_eq!(
        directive(&csp, "script-src"),
        ["'self'", "'wasm-unsafe-eval'", &format!("'sha256-{hash}'")],
        "{csp}"
    );
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert!(!csp.contains("'unsafe-eval'"), "{csp}");
    assert_eq!(directive(&csp, "style-src"), ["'self'"]);
    assert_eq!(directive(&csp, "connect-src"), ["'self'"]);
    assert_eq!(directive(&csp, "object-src"), ["'none'"]);
    assert_eq!(directive(&csp, "base-uri"), ["'none'"]);
    assert_eq!(directive(&csp, "form-action"), ["'self'"]);
}

#[tokio::test]
async fn without_a_built_app_the_policy_allows_no_inline_script() {
    let server = TestServer::start(Backend::Sqlite).await;
    let state = AppState {
        static_dir: server.dir().join("not-built"),
        ..server.state.clone()
    };
    let response = app(state)
        .oneshot(
            Request::get("/api/admin/settings")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert_eq!(
        directive(csp, "script-src"),
        ["'self'", "'wasm-unsafe-eval'"]
    );
}

db_tests! {
    async fn api_responses_carry_the_security_headers(server: TestServer) {
        let admin = server.admin_session().await;
        let response = server.get_as("/api/admin/settings", &admin).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_security_headers(&response, "GET /api/admin/settings");
        let response = server.get("/api/no/such/thing").await;
        assert_security_headers(&response, "GET /api/no/such/thing");
    }

    async fn state_changing_api_requests_from_another_origin_are_refused(server: TestServer) {
        for (method, path) in UNSAFE_API_REQUESTS {
            let what = format!("{method} {path} from {EVIL_ORIGIN}");
            let request = Request::builder()
                .method(method.clone())
                .uri(path)
                .header(header::HOST, HOST)
                .header(header::ORIGIN, EVIL_ORIGIN)
                .json(&serde_json::json!({}));
            assert_refused_as_cross_site(&server.send(request).await, &what);

            let what = format!("{method} {path} from the app's own origin");
            let request = server.request(method.clone(), path).json(&serde_json::json!({}));
            assert_not_refused(&server.send(request).await, &what);
        }
    }

    async fn an_origin_on_another_port_a_null_origin_or_two_origins_are_refused(server: TestServer) {
        for origin in [
            "http://mail-services.test:8080",
            "http://evil.mail-services.test",
            "null",
            "file://",
            "http://mail-services.test/path",
        ] {
            let request = Request::put("/api/admin/settings")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, origin)
                .json(&serde_json::json!({}));
            assert_refused_as_cross_site(&server.send(request).await, origin);
        }
        // The app's own origin beside a foreign one is not a browser's request.
        let request = server
            .request(Method::PUT, "/api/admin/settings")
            .header(header::ORIGIN, EVIL_ORIGIN)
            .json(&serde_json::json!({}));
        assert_refused_as_cross_site(&server.send(request).await, "two origins");
    }

    async fn the_browser_saying_cross_site_without_an_origin_is_refused(server: TestServer) {
        for site in ["cross-site", "same-site"] {
            for (method, path) in UNSAFE_API_REQUESTS {
                let request = Request::builder()
                    .method(method.clone())
                    .uri(path)
                    .header(header::HOST, HOST)
                    .header("sec-fetch-site", site)
                    .empty();
                assert_refused_as_cross_site(
                    &server.send(request).await,
                    &format!("{method} {path} with Sec-Fetch-Site: {site}"),
                );
            }
        }
        for site in ["same-origin", "none"] {
            let request = Request::put("/api/admin/settings")
                .header(header::HOST, HOST)
                .header("sec-fetch-site", site)
                .json(&serde_json::json!({}));
            assert_not_refused(&server.send(request).await, site);
        }
    }

    async fn scripts_without_origin_or_fetch_metadata_are_let_through(server: TestServer) {
        for (method, path) in UNSAFE_API_REQUESTS {
            let request = Request::builder()
                .method(method.clone())
                .uri(path)
                .header(header::HOST, HOST)
                .json(&serde_json::json!({}));
            assert_not_refused(&server.send(request).await, &format!("curl {method} {path}"));
        }
    }

    async fn behind_a_tls_proxy_the_forwarded_host_is_the_origin_to_match(server: TestServer) {
        let request = Request::put("/api/admin/settings")
            .header(header::HOST, "127.0.0.1:8080")
            .header("x-forwarded-host", "mail.example.com")
            .header(header::ORIGIN, "https://mail.example.com")
            .json(&serde_json::json!({}));
        assert_not_refused(&server.send(request).await, "behind a proxy");

        let request = Request::put("/api/admin/settings")
            .header(header::HOST, "mail.example.com")
            .header(header::ORIGIN, "https://mail.example.com")
            .json(&serde_json::json!({}));
        assert_not_refused(&server.send(request).await, "https seen as http");

        let request = Request::put("/api/admin/settings")
            .header(header::HOST, "127.0.0.1:8080")
            .header("x-forwarded-host", "mail.example.com")
            .header(header::ORIGIN, EVIL_ORIGIN)
            .json(&serde_json::json!({}));
        assert_refused_as_cross_site(&server.send(request).await, "evil behind a proxy");
    }

    async fn form_and_text_bodies_are_refused_before_any_handler(server: TestServer) {
        for content_type in [
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            for (method, path) in UNSAFE_API_REQUESTS {
                let what = format!("{method} {path} as {content_type}");
                let request = server
                    .request(method.clone(), path)
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from("{}"))
                    .unwrap();
                let response = server.send(request).await;
                assert_eq!(
                    response.status,
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "{what}: {}",
                    response.text()
                );
                let error = response.error();
                assert_eq!(error.code, "unsupported_media_type", "{what}");
                assert!(error.message.contains("application/json"), "{what}");
                assert_security_headers(&response, &what);

                // An empty form post carries its content type too.
                let request = server
                    .request(method.clone(), path)
                    .header(header::CONTENT_TYPE, content_type)
                    .empty();
                assert_eq!(
                    server.send(request).await.status,
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "{what}, empty"
                );
            }
        }
    }

    async fn a_body_without_a_content_type_is_refused(server: TestServer) {
        let request = server
            .request(Method::DELETE, "/api/session")
            .body(Body::from("{}"))
            .unwrap();
        let response = server.send(request).await;
        assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(response.error().code, "unsupported_media_type");

        let request = server.request(Method::DELETE, "/api/session").empty();
        assert_not_refused(&server.send(request).await, "DELETE without a body");
    }

    async fn reading_from_another_origin_is_not_refused(server: TestServer) {
        let admin = server.admin_session().await;
        for method in [Method::GET, Method::HEAD] {
            let request = Request::builder()
                .method(method.clone())
                .uri("/api/admin/settings")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, EVIL_ORIGIN)
                .header("sec-fetch-site", "cross-site")
                .cookie(&admin)
                .empty();
            let response = server.send(request).await;
            assert_eq!(response.status, StatusCode::OK, "{method}: {}", response.text());
            assert!(
                !response.headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
                "no CORS: another site's script still cannot read the answer"
            );
        }
    }

}
