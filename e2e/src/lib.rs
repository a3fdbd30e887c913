//! The harness of the end-to-end tests: the real `mail-services` binary on a free loopback port with a
//! throwaway SQLite database, and headless Chromium driven through chromedriver. `./dev test` builds
//! the binary and the app and says where they are (`MAIL_SERVICES_BIN`, `MAIL_SERVICES_DIST`).
//! Pages are driven as people use them: fields found by their label, buttons by their text.
//! Accessibility has modules of its own: [`audit`] (axe-core and reflow), [`keyboard`] (driving by
//! key presses alone, and where the focus is) and [`announcements`] (what screen readers are told).

pub mod announcements;
pub mod audit;
pub mod keyboard;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn required_path(variable: &str) -> PathBuf {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{variable} is not set: run the end-to-end tests with ./dev test")
        });
    assert!(
        path.exists(),
        "{variable}={} does not exist: run ./dev test, which builds it",
        path.display()
    );
    path
}

/// The server binary running on its own data directory; killed when dropped.
pub struct Server {
    pub url: String,
    _process: Child,
    _data: TempDir,
}

/// The people of `serve --demo`: login, display name (the server's `demo.rs`).
pub const DEMO_ADMIN: (&str, &str) = ("admin", "Alex Admin");
pub const DEMO_USER: (&str, &str) = ("anna", "Anna Petrova");
/// Every demo person's password.
pub const DEMO_PASSWORD: &str = "demo-password";

impl Server {
    /// The server with only what it seeds on its first start (the standard services).
    pub async fn start() -> Server {
        Server::launch(&[]).await
    }

    /// The server with the demo content of `serve --demo`: an administrator ([`DEMO_ADMIN`]),
    /// users ([`DEMO_USER`] and others), two corporate services, mailboxes, Rambler hidden.
    pub async fn start_with_demo() -> Server {
        Server::launch(&["--demo"]).await
    }

    async fn launch(flags: &[&str]) -> Server {
        let data = TempDir::new().unwrap();
        let mut process = Command::new(required_path("MAIL_SERVICES_BIN"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data.path())
            .arg("--dist")
            .arg(required_path("MAIL_SERVICES_DIST"))
            .args(flags)
            // E2E_SERVER_LOG=debug shows every request the browser makes.
            .env(
                "RUST_LOG",
                std::env::var("E2E_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("cannot start the mail-services binary");
        let mut lines = BufReader::new(process.stdout.take().unwrap()).lines();
        let url = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(url) = line.strip_prefix("Mail services is running at ") {
                    return url.to_owned();
                }
            }
            panic!("the server exited before printing its URL");
        })
        .await
        .expect("the server did not print its URL within 30 s");
        Server {
            url,
            _process: process,
            _data: data,
        }
    }
}

/// A headless Chromium session through Debian's chromedriver; `close` it, also when a test fails.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: TempDir,
}

impl Browser {
    /// Chromium in its own default language (English).
    pub async fn start() -> Browser {
        Browser::launch(None).await
    }

    /// Chromium whose preferred language is `language` (e.g. `ru`): what `navigator.languages` and
    /// `Accept-Language` say, as for a person whose browser is set up in that language.
    pub async fn start_in(language: &str) -> Browser {
        Browser::launch(Some(language)).await
    }

    async fn launch(language: Option<&str>) -> Browser {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));
        let profile = TempDir::new().unwrap();
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut options = serde_json::json!({
            "binary": std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        });
        if let Some(language) = language {
            args.push(format!("--lang={language}"));
            args.push(format!("--accept-lang={language}"));
            options["prefs"] = serde_json::json!({ "intl.accept_languages": language });
        }
        options["args"] = serde_json::json!(args);
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let webdriver_url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&webdriver_url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        _driver: driver,
                        _profile: profile,
                    };
                }
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start a browser session: {last_error:?}");
    }

    /// Ends the browser session (and so Chromium) before chromedriver is stopped.
    pub async fn close(self) {
        self.client.close().await.ok();
    }
}

/// How long a page may take to show what a check waits for.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Waits for the element `xpath` finds.
pub async fn wait_for(client: &Client, xpath: &str) -> Result<Element, CmdError> {
    client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(xpath))
        .await
}

/// Waits until the address bar shows `path` (with its query) on the server at `url`.
pub async fn wait_for_path(client: &Client, url: &str, path: &str) -> Result<(), CmdError> {
    let expected = format!("{}{}", url.trim_end_matches('/'), path);
    let result = client
        .wait()
        .at_most(PATIENCE)
        .for_url(&expected.parse().unwrap())
        .await;
    if result.is_err() {
        panic!(
            "the address bar did not show {expected}, but {}",
            client.current_url().await?
        );
    }
    Ok(())
}

/// The text of the page's main heading, once there is one.
pub async fn main_heading(client: &Client) -> Result<String, CmdError> {
    wait_for(client, "//main//h1").await?.text().await
}

/// The input that the label with this text names, as a person finds it.
pub async fn input_labelled(client: &Client, label: &str) -> Result<Element, CmdError> {
    wait_for(
        client,
        &format!("//input[@id=(//label[normalize-space()='{label}']/@for)]"),
    )
    .await
}

/// The button with this text.
pub async fn button(client: &Client, text: &str) -> Result<Element, CmdError> {
    wait_for(client, &format!("//button[normalize-space()='{text}']")).await
}

/// Types the login and password into the sign-in page that is showing and submits it. The fields
/// are found by their autocomplete purpose (`username`, `current-password`), which, unlike their
/// labels, is the same in every language of the interface.
pub async fn fill_in_sign_in(client: &Client, login: &str, password: &str) -> Result<(), CmdError> {
    for (field, text) in [("username", login), ("current-password", password)] {
        let input = wait_for(client, &format!("//form//input[@autocomplete='{field}']")).await?;
        input.clear().await?;
        input.send_keys(text).await?;
    }
    wait_for(
        client,
        "//form[.//input[@autocomplete='current-password']]//button[@type='submit']",
    )
    .await?
    .click()
    .await
}

/// Opens `path` (e.g. `/admin/email/services`) signed out, is sent to the sign-in page, signs in
/// as `login` with the demo password, and waits to be brought back to `path`.
pub async fn sign_in_on_the_way_to(
    client: &Client,
    url: &str,
    path: &str,
    login: &str,
) -> Result<(), CmdError> {
    client
        .goto(&format!("{}{path}", url.trim_end_matches('/')))
        .await?;
    wait_for_path(client, url, &format!("/sign-in?next={path}")).await?;
    fill_in_sign_in(client, login, DEMO_PASSWORD).await?;
    wait_for_path(client, url, path).await
}

/// Saves a PNG of the page as `e2e/screenshots/NAME.png` (git ignores them), to look at.
pub async fn screenshot(client: &Client, name: &str) {
    if let Ok(png) = client.screenshot().await {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join(format!("{name}.png")), png).ok();
    }
}

/// Runs `checks` against the server in a fresh headless Chromium, and closes the browser also when
/// a check fails (the checks run as their own task, so a failed assertion cannot skip the close).
pub async fn in_browser<F, Checks>(server: &Server, checks: F)
where
    F: FnOnce(Client, String) -> Checks,
    Checks: std::future::Future<Output = Result<(), CmdError>> + Send + 'static,
{
    run_in(Browser::start().await, server, checks).await
}

/// [`in_browser`] with a browser whose preferred language is `language` ([`Browser::start_in`]).
pub async fn in_browser_in<F, Checks>(server: &Server, language: &str, checks: F)
where
    F: FnOnce(Client, String) -> Checks,
    Checks: std::future::Future<Output = Result<(), CmdError>> + Send + 'static,
{
    run_in(Browser::start_in(language).await, server, checks).await
}

async fn run_in<F, Checks>(browser: Browser, server: &Server, checks: F)
where
    F: FnOnce(Client, String) -> Checks,
    Checks: std::future::Future<Output = Result<(), CmdError>> + Send + 'static,
{
    let outcome = tokio::spawn(checks(browser.client.clone(), server.url.clone())).await;
    browser.close().await;
    match outcome {
        Ok(result) => result.expect("a browser command failed"),
        Err(panic) => std::panic::resume_unwind(panic.into_panic()),
    }
}

/// The text of each body row of the table `table` (an XPath), white space folded. Read in one
/// script, so that a list re-rendered while it is read (after a refetch) cannot leave a row behind
/// as a stale element.
pub async fn table_rows(client: &Client, table: &str) -> Result<Vec<String>, CmdError> {
    let rows = client
        .execute(
            "const rows = document.evaluate(arguments[0] + '/tbody/tr', document, null,
               XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
             return Array.from({ length: rows.snapshotLength }, (_, i) => rows.snapshotItem(i).innerText);",
            vec![serde_json::json!(table)],
        )
        .await?;
    Ok(rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            row.as_str()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect())
}

/// Ends the browser's session on the server behind the app's back, as an expiry would: the app
/// still shows the person as signed in until its next request is refused.
pub async fn end_session_on_the_server(client: &Client) -> Result<(), CmdError> {
    let status = client
        .execute(
            "return fetch('/api/session', { method: 'DELETE' }).then(response => response.status)",
            vec![],
        )
        .await?;
    assert_eq!(status, 204, "DELETE /api/session");
    Ok(())
}
