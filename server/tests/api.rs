//! The HTTP API against a real SQLite database, through the same router the binary serves.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use mail_core::catalog::STANDARD_SERVICES;
use mail_core::{ApiErrorBody, ServiceKind, SettingsDocument};
use mail_services_server::{AppState, app, db};
use tempfile::TempDir;
use tower::ServiceExt;

struct TestServer {
    state: AppState,
    _dir: TempDir,
}

impl TestServer {
    async fn start() -> TestServer {
        let dir = TempDir::new().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Mail services</title>",
        )
        .unwrap();
        std::fs::write(dist.join("app.css"), "body{}").unwrap();
        let pool = db::open(&db::sqlite_url_in(dir.path())).await.unwrap();
        TestServer {
            state: AppState {
                db: pool,
                static_dir: dist,
            },
            _dir: dir,
        }
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = app(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        (status, headers, body)
    }

    async fn get(&self, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }
}

fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> T {
    serde_json::from_slice(body).unwrap_or_else(|e| {
        panic!(
            "not the expected JSON ({e}): {}",
            String::from_utf8_lossy(body)
        )
    })
}

#[tokio::test]
async fn settings_list_the_standard_services_of_a1_with_their_real_servers() {
    let server = TestServer::start().await;
    let (status, headers, body) = server.get("/api/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    let document: SettingsDocument = json(&body);
    assert_eq!(headers[header::ETAG], format!("\"{}\"", document.version));
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
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

#[tokio::test]
async fn restarting_on_the_same_database_does_not_duplicate_the_standard_services() {
    let server = TestServer::start().await;
    let url = db::sqlite_url_in(server._dir.path());
    db::open(&url).await.unwrap();
    let pool = db::open(&url).await.unwrap();
    let document = db::settings_document(&pool).await.unwrap();
    assert_eq!(document.services.len(), STANDARD_SERVICES.len());
}

#[tokio::test]
async fn demo_data_adds_corporate_services_and_a_hidden_one_once() {
    let server = TestServer::start().await;
    db::seed_demo(&server.state.db).await.unwrap();
    db::seed_demo(&server.state.db).await.unwrap();
    let (_, _, body) = server.get("/api/admin/settings").await;
    let document: SettingsDocument = json(&body);
    let corporate = document
        .services
        .iter()
        .filter(|s| s.kind == ServiceKind::Corporate)
        .count();
    assert_eq!(corporate, 2);
    assert!(document.services.iter().any(|s| s.hidden));
}

#[tokio::test]
async fn unknown_api_paths_answer_404_with_the_json_error_body() {
    let server = TestServer::start().await;
    let (status, headers, body) = server.get("/api/no/such/thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let error: ApiErrorBody = json(&body);
    assert_eq!(error.code, "not_found");
}

#[tokio::test]
async fn a_wrong_method_answers_405_with_the_json_error_body() {
    let server = TestServer::start().await;
    let request = Request::delete("/api/admin/settings")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = server.send(request).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let error: ApiErrorBody = json(&body);
    assert_eq!(error.code, "method_not_allowed");
    assert!(!error.message.is_empty());
}

#[tokio::test]
async fn deep_links_of_the_app_are_answered_with_index_html() {
    let server = TestServer::start().await;
    for path in ["/", "/admin/email/services", "/no/such/page"] {
        let (status, headers, body) = server.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert!(
            String::from_utf8_lossy(&body).contains("<title>Mail services</title>"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn static_files_of_the_app_are_served_as_they_are() {
    let server = TestServer::start().await;
    let (status, headers, body) = server.get("/app.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(body, b"body{}");
}
