//! The accept loop's bounds over a real loopback socket (issue 13, item 3): the connection cap and
//! the request timeout, with limits small enough to reach.

mod support;

use std::time::Duration;

use axum::http::{StatusCode, header};
use mail_services_server::serve::Limits;
use support::{Backend, TestServer, wire};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Bounds every wait below; none of them is a budget.
const DEADLINE: Duration = Duration::from_secs(60);

async fn read_to_end(stream: &mut TcpStream) -> Vec<u8> {
    let mut answer = Vec::new();
    tokio::time::timeout(DEADLINE, stream.read_to_end(&mut answer))
        .await
        .expect("the connection stayed open")
        .ok();
    answer
}

/// Over the cap a connection waits until one closes: here the one ahead of it, closed by the
/// header-read timeout, so it must be closed by the time the next is answered.
#[tokio::test]
async fn over_the_connection_cap_a_connection_waits_for_one_to_close() {
    let server = TestServer::start(Backend::Sqlite).await;
    let limits = Limits {
        max_connections: 1,
        header_read_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let listening = wire::listen(server.app(), limits).await;
    let mut ahead = TcpStream::connect(listening.address).await.unwrap();
    ahead
        .write_all(b"GET /api/session HTTP/1.1\r\nHo")
        .await
        .unwrap();

    let mut next = TcpStream::connect(listening.address).await.unwrap();
    next.write_all(b"GET /api/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = wire::decode(&read_to_end(&mut next).await);
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);

    let mut buffer = [0u8; 64];
    let closed = match ahead.try_read(&mut buffer) {
        Ok(0) => true,
        Ok(_) => false,
        Err(error) => error.kind() != std::io::ErrorKind::WouldBlock,
    };
    assert!(
        closed,
        "the connection ahead was still open when the next one was served"
    );
    listening.stop().await;
}

/// A body sent too slowly is answered 408 with the API's error body, and the connection closed.
#[tokio::test]
async fn a_request_not_received_within_the_request_timeout_is_answered_408() {
    let server = TestServer::start(Backend::Sqlite).await;
    let limits = Limits {
        request_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let app = mail_services_server::app_with(server.state.clone(), &limits);
    let listening = wire::listen(app, limits).await;
    let mut slow = TcpStream::connect(listening.address).await.unwrap();
    slow.write_all(
        b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 1000\r\n\r\n{\"login\": \"",
    )
    .await
    .unwrap();
    let answer = wire::decode(&read_to_end(&mut slow).await);
    assert_eq!(
        answer.status,
        StatusCode::REQUEST_TIMEOUT,
        "{}",
        answer.text()
    );
    assert_eq!(answer.error().code, "request_timeout");
    assert_eq!(answer.header(header::CONNECTION), "close");
    listening.stop().await;
}
