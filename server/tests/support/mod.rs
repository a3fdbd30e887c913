//! The harness of the server's HTTP tests: the real router on a real database — a temporary SQLite
//! file, or a fresh database in the PostgreSQL that `./dev test` starts — with a built-app stand-in,
//! and requests sent the way a browser on the app's own page sends them.
//!
//! Write each test once with [`db_tests!`]; it runs on both databases:
//! ```ignore
//! mod support;
//! use support::{BuildRequest, TestServer, db_tests};
//!
//! db_tests! {
//!     async fn administrators_read_and_save_the_settings(server: TestServer) {
//!         let admin = server.admin_session().await;
//!         let response = server.get_as("/api/admin/settings", &admin).await;
//!         assert_eq!(response.status, StatusCode::OK);
//!         let document: SettingsDocument = response.json();
//!         let request = server
//!             .request(Method::PUT, "/api/admin/settings")
//!             .cookie(&admin)
//!             .header(header::IF_MATCH, format!("\"{}\"", document.version))
//!             .json(&update);
//!         assert_eq!(server.send(request).await.status, StatusCode::OK);
//!     }
//! }
//! ```
#![allow(dead_code)] // each test file uses a different part of the harness

pub mod wire;

use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::http::header::AsHeaderName;
use axum::http::{HeaderMap, Method, Request, StatusCode, header, request};
use mail_core::{ApiErrorBody, Password, Role, SignIn, User};
use mail_services_server::secrets::MailboxKey;
use mail_services_server::{AppState, app, auth, db};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Connection as _;
use tempfile::TempDir;
use tower::ServiceExt as _;

/// The host the test requests are addressed to, as a browser would send it in `Host`.
pub const HOST: &str = "mail-services.test";
/// The origin of the app's own pages: what a browser sends in `Origin` from them.
pub const ORIGIN: &str = "http://mail-services.test";
/// The password of the people added by [`TestServer::add_user`].
pub const TEST_PASSWORD: &str = "correct horse battery staple";
/// The inline bootstrap script of the stand-in `index.html`, like the one trunk writes.
pub const INDEX_INLINE_SCRIPT: &str = "import init, * as bindings from '/mail-services-web-0123456789abcdef.js';\n\
const wasm = await init({ module_or_path: '/mail-services-web-0123456789abcdef_bg.wasm' });\n\n\n\
window.wasmBindings = bindings;\n\n\n\
dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));";

/// Which database a test server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The app on its own database and static files; everything is thrown away when it is dropped.
pub struct TestServer {
    pub backend: Backend,
    pub state: AppState,
    /// The database URL, to open the same database again (a restart).
    pub database_url: String,
    dir: TempDir,
}

impl TestServer {
    pub async fn start(backend: Backend) -> TestServer {
        TestServer::start_with_files(backend, &[]).await
    }

    /// A server whose built app has these files (path under `dist/`, content) besides the
    /// stand-in `index.html` and `app.css`.
    pub async fn start_with_files(backend: Backend, files: &[(&str, &[u8])]) -> TestServer {
        let dir = TempDir::new().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        std::fs::write(dist.join("index.html"), index_html()).unwrap();
        std::fs::write(dist.join("app.css"), "body{}").unwrap();
        for (path, content) in files {
            let path = dist.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        let database_url = match backend {
            Backend::Sqlite => db::sqlite_url_in(dir.path()),
            Backend::Postgres => fresh_postgres_database().await,
        };
        let pool = db::open(&database_url)
            .await
            .unwrap_or_else(|e| panic!("cannot open the {backend:?} test database: {e:#}"));
        TestServer {
            backend,
            state: AppState::new(pool, dist, MailboxKey::generate()),
            database_url,
            dir,
        }
    }

    pub fn db(&self) -> &db::Pool {
        &self.state.db
    }

    /// A second instance of the app on the same database and built app, as another replica
    /// behind a load balancer runs it: its own connections and its own in-memory copies.
    pub async fn replica(&self) -> Router {
        let pool = db::open(&self.database_url)
            .await
            .unwrap_or_else(|e| panic!("cannot open the {:?} database again: {e:#}", self.backend));
        app(AppState::new(
            pool,
            self.state.static_dir.clone(),
            self.state.mailbox_key.clone(),
        ))
    }

    /// The router exactly as the binary serves it.
    pub fn app(&self) -> Router {
        app(self.state.clone())
    }

    /// A request as the app's own page sends it: addressed to [`HOST`], from [`ORIGIN`]. Finish it
    /// with [`BuildRequest`]'s `.json(&body)` or `.empty()`, or `.body(…)`.
    pub fn request(&self, method: Method, path: &str) -> request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        send_to(self.app(), request).await
    }

    /// A GET as a browser sends it to the same origin (browsers send no `Origin` on such GETs).
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A GET from the app's own page of a signed-in person (`cookie` from [`Self::admin_session`],
    /// [`Self::session_of_new`] or [`TestResponse::cookie`]).
    pub async fn get_as(&self, path: &str, cookie: &str) -> TestResponse {
        self.send(self.request(Method::GET, path).cookie(cookie).empty())
            .await
    }

    /// A request with a JSON body from the app's own page.
    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> TestResponse {
        self.send(self.request(method, path).json(body)).await
    }

    /// Adds a person who signs in with [`TEST_PASSWORD`].
    pub async fn add_user(&self, login: &str, role: Role) -> User {
        auth::add_user(self.db(), login, "", role, TEST_PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("cannot add the user {login}: {e:#}"))
    }

    /// Signs in through the API as a browser does; the answer carries the session cookie.
    pub async fn sign_in(&self, login: &str, password: &str) -> TestResponse {
        let request = SignIn {
            login: login.to_owned(),
            password: Password::new(password),
        };
        self.send_json(Method::POST, "/api/session", &request).await
    }

    /// A new person with this role, signed in: the `Cookie` header value of their session.
    pub async fn session_of_new(&self, login: &str, role: Role) -> String {
        self.add_user(login, role).await;
        let response = self.sign_in(login, TEST_PASSWORD).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "sign-in of {login}: {}",
            response.text()
        );
        response
            .cookie(auth::SESSION_COOKIE)
            .unwrap_or_else(|| panic!("no session cookie in {:#?}", response.headers))
    }

    /// A signed-in administrator's session cookie.
    pub async fn admin_session(&self) -> String {
        self.session_of_new("test-admin", Role::Admin).await
    }

    /// The same server with its state changed, e.g. another bound on hashing or trusted proxies.
    pub fn with_state(mut self, change: impl FnOnce(&mut AppState)) -> TestServer {
        change(&mut self.state);
        self
    }

    /// Signs in as a browser at `peer` does (the address the server sees the connection from).
    pub async fn sign_in_from(&self, peer: &str, login: &str, password: &str) -> TestResponse {
        let request = self.request(Method::POST, "/api/session").peer(peer);
        self.send(request.json_sign_in(login, password)).await
    }

    /// The temporary directory of this server (its SQLite file and `dist/`).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// Runs one SQL statement on a test database, to change it behind the app's back.
pub async fn execute(pool: &db::Pool, sql: &str) {
    match pool {
        db::Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(drop),
        db::Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(drop),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Runs one query on a test database and reads its one row, e.g. into a tuple.
pub async fn query_one<T>(pool: &db::Pool, sql: &str) -> T
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    match pool {
        db::Pool::Sqlite(p) => sqlx::query_as(sql).fetch_one(p).await,
        db::Pool::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Sends a request to an instance of the app, e.g. a [`TestServer::replica`].
pub async fn send_to(app: Router, request: Request<Body>) -> TestResponse {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    TestResponse {
        status,
        headers,
        body,
    }
}

/// Finishing touches for [`TestServer::request`]'s builder.
pub trait BuildRequest {
    /// Adds a `Cookie` header, e.g. the `name=value` from [`TestResponse::cookie`].
    fn cookie(self, cookie: &str) -> Self;
    /// The request with this JSON body and `Content-Type: application/json`.
    fn json(self, body: &impl Serialize) -> Request<Body>;
    /// The request without a body.
    fn empty(self) -> Request<Body>;
    /// As if the connection came from `peer` (`"192.0.2.1"`), as the server records it.
    fn peer(self, peer: &str) -> Self;
    /// The sign-in body.
    fn json_sign_in(self, login: &str, password: &str) -> Request<Body>;
}

impl BuildRequest for request::Builder {
    fn cookie(self, cookie: &str) -> Self {
        self.header(header::COOKIE, cookie)
    }

    fn json(self, body: &impl Serialize) -> Request<Body> {
        self.header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::to_vec(body).unwrap()))
            .unwrap()
    }

    fn empty(self) -> Request<Body> {
        self.body(Body::empty()).unwrap()
    }

    fn peer(self, peer: &str) -> Self {
        let ip: std::net::IpAddr = peer.parse().unwrap();
        self.extension(ConnectInfo(std::net::SocketAddr::new(ip, 40000)))
    }

    fn json_sign_in(self, login: &str, password: &str) -> Request<Body> {
        self.json(&SignIn {
            login: login.to_owned(),
            password: Password::new(password),
        })
    }
}

/// A whole response: status, headers and the body read to its end.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body decoded as `T`; panics with the body text when it is not.
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not the expected JSON ({e}); status {}, body: {}",
                self.status,
                self.text()
            )
        })
    }

    /// The API's error body.
    #[track_caller]
    pub fn error(&self) -> ApiErrorBody {
        self.json()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text; panics when it is missing.
    #[track_caller]
    pub fn header(&self, name: impl AsHeaderName + Clone + std::fmt::Debug) -> &str {
        self.headers
            .get(name.clone())
            .unwrap_or_else(|| panic!("no {name:?} header in {:#?}", self.headers))
            .to_str()
            .unwrap()
    }

    /// `name=value` of the cookie this response sets, ready for a `Cookie` header.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim())
            .find(|pair| pair.split_once('=').is_some_and(|(n, _)| n == name))
            .map(str::to_owned)
    }
}

/// The stand-in for trunk's `dist/index.html`: same shape, with its inline module bootstrap.
fn index_html() -> String {
    format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Mail services</title>\
         <script type=module>{INDEX_INLINE_SCRIPT}</script>\
         <link href=/app.css integrity=sha384-AriuU2AvfF5Dqip5zTvaZKqL9ZXN96/OO0K1BdZkLt2eao9HMSPq8iBJlCx2PYP4 rel=stylesheet>\
         <link crossorigin href=/mail-services-web-0123456789abcdef.js rel=modulepreload>\
         </head><body></body></html>"
    )
}

const POSTGRES_URL_VARIABLE: &str = "MAIL_SERVICES_TEST_POSTGRES_URL";

/// Creates an empty database in the test PostgreSQL and returns its URL. The databases are left
/// behind: `./dev test` throws the whole cluster away afterwards.
async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var(POSTGRES_URL_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "{POSTGRES_URL_VARIABLE} is not set: run ./dev test, which starts a throwaway \
                 PostgreSQL (or point it at a PostgreSQL you may create databases in, e.g. \
                 postgres://postgres@127.0.0.1:5432/postgres)"
            )
        });
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!(
        "test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "cannot connect to the test PostgreSQL at {} ({POSTGRES_URL_VARIABLE}): {e}",
                db::redact_url(&admin_url)
            )
        });
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    admin.close().await.ok();
    with_database(&admin_url, &name)
}

/// The same server URL with another database name in its path.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..path_start])
}

/// Writes each test once and runs it on SQLite (`sqlite::name`) and on PostgreSQL
/// (`postgres::name`), each on a fresh database:
/// ```ignore
/// db_tests! {
///     /// SPEC A1.
///     async fn settings_list_the_standard_services(server: TestServer) {
///         assert_eq!(server.get("/api/admin/settings").await.status, StatusCode::OK);
///     }
/// }
/// ```
#[allow(unused_macros)] // not every test file runs on both databases
macro_rules! db_tests {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($server:ident: $server_type:ty) $body:block
    )*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test]
                async fn $name() {
                    let $server =
                        <$server_type>::start($crate::support::Backend::Sqlite).await;
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test]
                async fn $name() {
                    let $server =
                        <$server_type>::start($crate::support::Backend::Postgres).await;
                    $body
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use db_tests;

#[test]
fn database_names_replace_the_path_of_the_url() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5433/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5433/t1"
    );
    assert_eq!(
        with_database("postgres://u:p@db/postgres?sslmode=disable", "t1"),
        "postgres://u:p@db/t1?sslmode=disable"
    );
    assert_eq!(with_database("postgres://db", "t1"), "postgres://db/t1");
}
