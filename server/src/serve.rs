//! The server's side of its sockets: accepting connections up to a cap, the header-read timeout,
//! the open-file limit, and a graceful shutdown that ends within a grace period (README "Limits").

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tower::Service as _;

/// The bounds the server keeps to, whatever its clients do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; more wait in the kernel's listen queue until one closes.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers. An idle keep-alive connection
    /// waits for its next request's headers, so it is closed after this long too.
    pub header_read_timeout: Duration,
    /// How long an API request may take from its headers to its answer: 408 after that (applied
    /// by [`crate::app_with`], not here).
    pub request_timeout: Duration,
    /// How long a shutdown lets the requests under way finish before the server exits anyway.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 4096,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// Files the process keeps open besides its connections: the database's, the listener, logs.
const FILES_BESIDES_CONNECTIONS: u64 = 128;

impl Limits {
    /// These limits with no more connections than open files allow, saying so when it lowers them.
    pub fn within_open_files(self, open_files: Option<u64>) -> Limits {
        let Some(open_files) = open_files else {
            return self;
        };
        let fit = open_files.saturating_sub(FILES_BESIDES_CONNECTIONS).max(1);
        let fit = usize::try_from(fit).unwrap_or(usize::MAX);
        if fit < self.max_connections {
            tracing::warn!(
                max_connections = fit,
                open_files,
                "fewer connections than asked for: the open-file limit allows no more"
            );
        }
        Limits {
            max_connections: self.max_connections.min(fit),
            ..self
        }
    }
}

/// Raises the soft limit on open files to the hard limit (shells and systemd leave it at 1024
/// however high the hard limit is, and each connection is a file); returns the limit in effect.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn raise_open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given, which lives for the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        tracing::warn!(error = %io::Error::last_os_error(), "cannot read the open-file limit");
        return None;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: setrlimit only reads the struct it is given, which lives for the call.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
        } else {
            tracing::warn!(error = %io::Error::last_os_error(), "cannot raise the open-file limit");
        }
    }
    Some(limit.rlim_cur)
}

/// Elsewhere the limit is left as it is.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn raise_open_file_limit() -> Option<u64> {
    None
}

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting, lets every
/// connection finish the request it is answering, and returns when they are all closed or the
/// grace period is over, whichever comes first (the rest are closed).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        while connections.try_join_next().is_some() {}
        if let Some((stream, peer, slot)) = accepted {
            let connection = Connection {
                router: router.clone(),
                peer,
                header_read_timeout: limits.header_read_timeout,
                stopping: stopping.clone(),
                _slot: slot,
            };
            connections.spawn(connection.serve(stream));
        }
    }
    drop(listener);
    drop(stop);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = connections.len(),
            "closing the connections still open after the shutdown grace period"
        );
    }
    connections.shutdown().await;
}

/// The next connection, once one of the `slots` is free: over the cap, new connections wait in
/// the kernel's listen queue.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    let slot = Arc::clone(slots).acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, peer)) => Some((stream, peer, slot)),
        Err(error) if is_connection_error(&error) => None,
        Err(error) => {
            // Most likely out of file descriptors: accepting again at once would spin.
            tracing::error!(%error, "cannot accept a connection");
            tokio::time::sleep(Duration::from_millis(100)).await;
            None
        }
    }
}

/// Errors of the one connection being accepted, not of the listener.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One accepted connection and what serving it needs.
struct Connection {
    router: Router,
    peer: SocketAddr,
    header_read_timeout: Duration,
    stopping: watch::Receiver<()>,
    /// Frees its place under the cap when the connection ends.
    _slot: OwnedSemaphorePermit,
}

impl Connection {
    async fn serve(mut self, stream: TcpStream) {
        let (router, peer) = (self.router.clone(), self.peer);
        // `ConnectInfo` as axum's own server gives it: the client's address, for handlers.
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().call(request.map(Body::new))
        });
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout);
        let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
        let result = tokio::select! {
            result = connection.as_mut() => result,
            // The sender is dropped when the server shuts down.
            _ = self.stopping.changed() => {
                connection.as_mut().graceful_shutdown();
                connection.await
            }
        };
        if let Err(error) = result {
            tracing::debug!(%error, peer = %self.peer, "connection ended");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_fits_within_the_open_files() {
        let wanted = Limits::default();
        assert_eq!(wanted.within_open_files(None), wanted);
        assert_eq!(wanted.within_open_files(Some(1_048_576)), wanted);
        let fitted = wanted.within_open_files(Some(1024));
        assert_eq!(fitted.max_connections, 1024 - 128);
        assert_eq!(fitted.header_read_timeout, wanted.header_read_timeout);
    }
}
