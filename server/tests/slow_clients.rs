//! Slow, idle and half-sent clients against the real binary (issue 13, items 2 and 3): they cannot
//! use up its files or keep it from answering others, and they do not keep it from stopping.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

mod support;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The open-file soft limit most systems give a service (systemd, login shells), whatever the hard
/// limit: the binary has to raise it itself.
const USUAL_SOFT_LIMIT: libc::rlim_t = 1024;
/// The reproduction: more half-sent requests than that soft limit.
const HALF_SENT: usize = 1_100;
/// Bounds every wait below; none of them is a budget.
const DEADLINE: Duration = Duration::from_secs(60);

/// `mail-services serve` on a free loopback port, on its own throwaway data directory.
struct Binary {
    child: Child,
    address: SocketAddr,
    _dir: TempDir,
}

impl Binary {
    /// Started with the usual soft limit on open files and these extra environment variables.
    fn start(env: &[(&str, &str)]) -> Binary {
        let dir = TempDir::new().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_mail-services"));
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .arg("--dist")
            .arg(dir.path().join("dist"))
            .env("RUST_LOG", "warn")
            .env_remove("MAIL_SERVICES_DATABASE_URL")
            .env_remove("MAIL_SERVICES_MAILBOX_KEY")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // SAFETY: between fork and exec the closure only calls getrlimit and setrlimit, which are
        // async-signal-safe, on a struct of its own.
        unsafe {
            command.pre_exec(|| {
                let mut limit = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
                limit.rlim_cur = limit.rlim_max.min(USUAL_SOFT_LIMIT);
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
                Ok(())
            });
        }
        let mut child = command.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .trim()
            .strip_prefix("Mail services is running at http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("the binary did not start: {line:?}"))
            .parse()
            .unwrap();
        Binary {
            child,
            address,
            _dir: dir,
        }
    }

    /// The soft and hard limits on open files of the running binary, from `/proc`.
    fn open_file_limits(&self) -> (String, String) {
        let limits = std::fs::read_to_string(format!("/proc/{}/limits", self.child.id())).unwrap();
        let line = limits
            .lines()
            .find(|line| line.starts_with("Max open files"))
            .unwrap();
        let mut numbers = line["Max open files".len()..].split_whitespace();
        (
            numbers.next().unwrap().to_owned(),
            numbers.next().unwrap().to_owned(),
        )
    }

    fn terminate(&self) {
        // SAFETY: kill only sends a signal to the child this test started.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
    }

    /// Polls until the binary has exited, for at most [`DEADLINE`].
    async fn exit_status(&mut self) -> Option<ExitStatus> {
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The start of a sign-in whose headers never end.
const HALF_A_REQUEST: &[u8] = b"POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty";

async fn half_sent(address: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(HALF_A_REQUEST).await.unwrap();
    stream
}

/// Whether the server closed this connection (end of stream or reset) within the deadline,
/// rather than answering on it or leaving it open.
async fn closed_by_the_server(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 1024];
    let mut answered = Vec::new();
    let read = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return true,
                Ok(n) => answered.extend_from_slice(&buffer[..n]),
            }
        }
    };
    tokio::time::timeout(DEADLINE, read).await.unwrap_or(false)
}

/// Issue 13, item 3: 1,100 half-sent requests from one client used up the open files (soft limit
/// 1024) and every other request timed out.
#[tokio::test]
async fn half_sent_requests_neither_use_up_the_open_files_nor_keep_others_from_being_answered() {
    // This test's own end of the connections needs the files too.
    mail_services_server::serve::raise_open_file_limit();
    let binary = Binary::start(&[("MAIL_SERVICES_HEADER_READ_TIMEOUT", "2s")]);
    let (soft, hard) = binary.open_file_limits();
    assert_eq!(
        soft, hard,
        "the binary raises its soft limit on open files to the hard limit"
    );

    let mut streams = Vec::with_capacity(HALF_SENT);
    for _ in 0..HALF_SENT {
        streams.push(half_sent(binary.address).await);
    }
    let request = Request::get("/api/session").header(header::HOST, "127.0.0.1");
    let response = support::wire::send(binary.address, request.body(Body::empty()).unwrap()).await;
    assert_eq!(
        response.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        response.text()
    );

    for (n, stream) in streams.iter_mut().enumerate() {
        assert!(
            closed_by_the_server(stream).await,
            "half-sent request {n} is still open after the header-read timeout"
        );
    }
}

/// A connection the server has accepted and answered once, kept alive.
async fn answered_once(address: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream
        .write_all(b"GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let read_one_answer = async {
        // The 401's JSON body is the last thing of the answer.
        while !answer.ends_with(b"}") {
            let n = stream.read(&mut buffer).await.unwrap();
            assert!(n > 0, "closed before answering");
            answer.extend_from_slice(&buffer[..n]);
        }
    };
    tokio::time::timeout(DEADLINE, read_one_answer)
        .await
        .expect("no answer");
    assert!(answer.starts_with(b"HTTP/1.1 401"));
    stream
}

/// Issue 13, item 2: SIGTERM did not stop the server while a request was under way; now the
/// shutdown ends after its grace period whatever clients do.
#[tokio::test]
async fn sigterm_stops_the_server_though_requests_are_under_way_and_connections_idle() {
    let mut binary = Binary::start(&[]);
    // Each connection is answered once first, so the server has surely accepted it.
    let mut headers = answered_once(binary.address).await;
    headers.write_all(HALF_A_REQUEST).await.unwrap();
    // A request under way: its handler waits for a body that never comes.
    let mut body = answered_once(binary.address).await;
    body.write_all(
        b"POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
          Content-Length: 100000\r\n\r\n{\"login\": \"",
    )
    .await
    .unwrap();
    // Answered after the two above were written, and then idle.
    let _idle = answered_once(binary.address).await;

    binary.terminate();
    let status = binary.exit_status().await;
    let status = status.expect("the server is still running after SIGTERM");
    assert!(status.success(), "{status}");
}
