//! The OpenAPI document at `/api/openapi.json` is complete (issue 13 item 12): every status the
//! server answers an operation with is listed for it, with the error body, the operations that need
//! the session cookie say so, and the length limits of the request fields are the ones the server
//! enforces. `schemathesis/run.sh` checks the same
//! against the binary with generated requests; these tests pin the answers that need no generator.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use mail_core::{MAX_ADDRESS_CHARS, MAX_LOGIN_CHARS, MAX_NAME_CHARS, MAX_PASSWORD_CHARS};
use serde_json::Value;
use support::{Backend, BuildRequest, HOST, TestServer};

async fn document(server: &TestServer) -> Value {
    let response = server.get("/api/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    response.json()
}

/// Every operation of the document: its path, method and object.
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                found.push((path.clone(), method.clone(), operation.clone()));
            }
        }
    }
    found
}

fn documented_statuses(document: &Value, path: &str, method: &Method) -> Vec<String> {
    let operation = &document["paths"][path][method.as_str().to_ascii_lowercase()];
    operation["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is not in the document"))
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn every_operation_lists_the_errors_its_method_and_inputs_can_cause() {
    let server = TestServer::start(Backend::Sqlite).await;
    let document = document(&server).await;
    let all = operations(&document);
    assert!(all.len() >= 10, "{all:?}");
    for (path, method, operation) in all {
        let what = format!("{method} {path}");
        let responses = operation["responses"].as_object().expect("responses");
        let changes_state = method != "get";
        let has_body = operation.get("requestBody").is_some();
        let has_path_parameter = operation["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path"));
        let mut expected = vec!["408", "500", "503"];
        if changes_state {
            expected.extend(["403", "415"]);
        }
        if has_body {
            expected.extend(["400", "413", "422"]);
        }
        if has_path_parameter {
            expected.push("400");
        }
        for status in expected {
            let response = responses
                .get(status)
                .unwrap_or_else(|| panic!("{what} does not list {status}: {responses:#?}"));
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ApiErrorBody",
                "{what} {status}"
            );
        }
        for status in ["429", "503"] {
            if let Some(response) = responses.get(status) {
                assert!(
                    response["headers"].get("Retry-After").is_some(),
                    "{what} {status} says when to try again"
                );
            }
        }
    }
    assert_eq!(
        document["components"]["securitySchemes"]["session"],
        serde_json::json!({"type": "apiKey", "in": "cookie", "name": "mail_session",
            "description": "Set by signing in (`POST /api/session`); `HttpOnly`, `SameSite=Strict`"})
    );
    for (path, method, operation) in operations(&document) {
        let signs_in_or_out = path == "/api/session" && method != "get";
        let names_session = operation["security"] == serde_json::json!([{"session": []}]);
        assert_eq!(
            names_session, !signs_in_or_out,
            "{method} {path}: {}",
            operation["security"]
        );
        let says_signed_out = operation["responses"]["401"].is_object();
        assert!(
            says_signed_out || signs_in_or_out,
            "{method} {path} lists 401"
        );
    }
    let cross_site = &document["paths"]["/api/admin/settings"]["put"]["responses"]["403"];
    let description = cross_site["description"].as_str().unwrap();
    assert!(
        description.contains("administrator") && description.contains("cross_site_request"),
        "an operation's own 403 keeps its meaning beside the common one: {description}"
    );
}

/// Answers provoked the way a client can provoke them, each of which must be in the document for
/// its operation.
#[tokio::test]
async fn the_errors_the_server_answers_are_the_documented_ones() {
    let server = TestServer::start(Backend::Sqlite).await;
    let document = document(&server).await;
    let admin = server.admin_session().await;
    let user = server.session_of_new("anna", mail_core::Role::User).await;
    let json = |method: Method, path: &str, body: &'static str| {
        server
            .request(method, path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let provoked: Vec<(Method, &str, Request<Body>)> = vec![
        (
            Method::POST,
            "/api/session",
            json(Method::POST, "/api/session", "{"),
        ),
        (
            Method::POST,
            "/api/session",
            json(Method::POST, "/api/session", "{\"login\":1}"),
        ),
        (
            Method::POST,
            "/api/session",
            server
                .request(Method::POST, "/api/session")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("x"))
                .unwrap(),
        ),
        (
            Method::DELETE,
            "/api/session",
            Request::delete("/api/session")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            Method::PUT,
            "/api/mail/business-process-sending",
            server
                .request(Method::PUT, "/api/mail/business-process-sending")
                .cookie(&user)
                .json(&serde_json::json!({"preference": "sometimes"})),
        ),
        (
            Method::POST,
            "/api/mail/mailboxes",
            server
                .request(Method::POST, "/api/mail/mailboxes")
                .cookie(&user)
                .json(&"x".repeat(3 * 1024 * 1024)),
        ),
        (
            Method::DELETE,
            "/api/mail/mailboxes/{id}",
            server
                .request(Method::DELETE, "/api/mail/mailboxes/not-a-number")
                .cookie(&user)
                .empty(),
        ),
        (
            Method::GET,
            "/api/admin/services/{id}/mailboxes",
            server
                .request(
                    Method::GET,
                    "/api/admin/services/99999999999999999999/mailboxes",
                )
                .cookie(&admin)
                .empty(),
        ),
    ];
    for (method, path, request) in provoked {
        let response = server.send(request).await;
        let status = response.status.as_str().to_owned();
        assert!(
            response.status.is_client_error(),
            "{method} {path}: {status}"
        );
        let documented = documented_statuses(&document, path, &method);
        assert!(
            documented.contains(&status),
            "{method} {path} answered {status} ({}), which the document does not list: {documented:?}",
            response.text()
        );
    }
}

/// The `maxLength` of each bounded request field is the limit core enforces.
#[tokio::test]
async fn the_documented_length_limits_are_the_enforced_ones() {
    let server = TestServer::start(Backend::Sqlite).await;
    let document = document(&server).await;
    let schemas = &document["components"]["schemas"];
    let limits = [
        ("ServiceDraft", "name", MAX_NAME_CHARS),
        ("ConnectMailbox", "address", MAX_ADDRESS_CHARS),
        ("ConnectMailbox", "password", MAX_PASSWORD_CHARS),
    ];
    for (schema, field, max) in limits {
        let property = &schemas[schema]["properties"][field];
        assert_eq!(property["maxLength"], max, "{schema}.{field}: {property}");
        assert_eq!(property["minLength"], 1, "{schema}.{field}: {property}");
    }
    let login = &schemas["SignIn"]["properties"]["login"];
    assert_eq!(login["maxLength"], MAX_LOGIN_CHARS, "SignIn.login: {login}");
}
