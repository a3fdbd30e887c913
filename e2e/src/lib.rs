//! The harness of the end-to-end tests: the real `mail-services` binary on a free loopback port with a
//! throwaway SQLite database, and headless Chromium driven through chromedriver. `./dev test` builds
//! the binary and the app and says where they are (`MAIL_SERVICES_BIN`, `MAIL_SERVICES_DIST`).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
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

impl Server {
    pub async fn start() -> Server {
        let data = TempDir::new().unwrap();
        let mut process = Command::new(required_path("MAIL_SERVICES_BIN"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data.path())
            .arg("--dist")
            .arg(required_path("MAIL_SERVICES_DIST"))
            .env("RUST_LOG", "warn")
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
    pub async fn start() -> Browser {
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
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
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
