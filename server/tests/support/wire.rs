//! The app behind a real loopback socket, served by the binary's own accept loop, and HTTP/1.1
//! written by hand over it: requests a client gives up on half-way, as browsers and scripts do.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode};
use mail_services_server::serve::{self, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::TestResponse;

/// How long [`send`] waits for a whole answer before the test fails: a bound, not a budget.
const ANSWER_DEADLINE: Duration = Duration::from_secs(60);

/// The app served on a free loopback port until [`Listening::stop`].
pub struct Listening {
    pub address: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Serves `app` as `mail-services serve` does, with these limits.
pub async fn listen(app: Router, limits: Limits) -> Listening {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve::serve(listener, app, limits, async {
        stopped.await.ok();
    }));
    Listening {
        address,
        stop,
        task,
    }
}

impl Listening {
    /// Shuts the server down as SIGTERM does and waits until it has.
    pub async fn stop(self) {
        self.stop.send(()).ok();
        self.task.await.unwrap();
    }
}

/// The bytes of `request` as a client sends them, asking the server to close after its answer.
pub async fn encode(request: Request<Body>) -> Vec<u8> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap();
    let mut bytes = format!("{} {} HTTP/1.1\r\n", parts.method, parts.uri).into_bytes();
    for (name, value) in &parts.headers {
        bytes.extend_from_slice(name.as_str().as_bytes());
        bytes.extend_from_slice(b": ");
        bytes.extend_from_slice(value.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    let length = body.len();
    bytes.extend_from_slice(
        format!("content-length: {length}\r\nconnection: close\r\n\r\n").as_bytes(),
    );
    bytes.extend_from_slice(&body);
    bytes
}

/// Sends `request` over a new connection and reads the whole answer.
pub async fn send(address: SocketAddr, request: Request<Body>) -> TestResponse {
    let bytes = encode(request).await;
    let exchange = async {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream.write_all(&bytes).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        answer
    };
    let answer = tokio::time::timeout(ANSWER_DEADLINE, exchange)
        .await
        .unwrap_or_else(|_| panic!("no answer from {address} within {ANSWER_DEADLINE:?}"));
    decode(&answer)
}

/// Sends a request's `bytes` and goes away after `patience`, whether answered or not.
pub async fn send_and_give_up(address: SocketAddr, bytes: &[u8], patience: Duration) {
    let Ok(mut stream) = TcpStream::connect(address).await else {
        return;
    };
    if stream.write_all(bytes).await.is_ok() {
        let mut answer = Vec::new();
        tokio::time::timeout(patience, stream.read_to_end(&mut answer))
            .await
            .ok();
    }
}

/// An answer read to its end: status line, headers and the body as sent.
pub fn decode(answer: &[u8]) -> TestResponse {
    let text = String::from_utf8_lossy(answer);
    let end = answer
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete answer: {text:?}"));
    let head = std::str::from_utf8(&answer[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        headers.append(
            HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
            HeaderValue::from_str(value.trim()).unwrap(),
        );
    }
    assert!(
        headers.get("transfer-encoding").is_none(),
        "a chunked answer, which this client does not read: {text:?}"
    );
    TestResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers,
        body: answer[end + 4..].to_vec(),
    }
}
