//! Small misbehaving mail servers on 127.0.0.1 (SPEC 7): each records every byte it received, so a
//! test can prove what the connector did and did not send.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// How a fake server behaves once a client connects.
#[derive(Clone)]
pub enum Script {
    /// Accepts and says nothing.
    Silent,
    /// An IMAP server with these capabilities; EXAMINE INBOX answers NO when `inbox` is false.
    Imap {
        capabilities: &'static str,
        inbox: bool,
    },
    /// An SMTP server with these EHLO extensions (one per line).
    Smtp { extensions: &'static [&'static str] },
    /// Implicit TLS with this configuration, then the IMAP script.
    TlsImap(Arc<ServerConfig>),
    /// Greets as IMAP, then answers the first command with endless short untagged lines, for up
    /// to 15 s or until the client hangs up, and never with the tagged answer.
    ImapFlood,
}

pub struct FakeServer {
    pub port: u16,
    received: Arc<Mutex<Vec<u8>>>,
    /// Connections accepted and connections whose serving thread ended.
    counts: Arc<(AtomicUsize, AtomicUsize)>,
}

impl FakeServer {
    pub fn start(script: Script) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let record = received.clone();
        let counts = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let count = counts.clone();
        // The thread ends with the test process; every connection is served on its own thread.
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let script = script.clone();
                let record = record.clone();
                let count = count.clone();
                count.0.fetch_add(1, Ordering::SeqCst);
                thread::spawn(move || {
                    serve(stream, script, record);
                    count.1.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        FakeServer {
            port,
            received,
            counts,
        }
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Everything any client sent, as text (lossy), once every connection has ended: bytes still
    /// in flight must not be missed by a test that asserts what was not sent.
    pub fn received(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.counts.1.load(Ordering::SeqCst) < self.counts.0.load(Ordering::SeqCst) {
            assert!(
                Instant::now() < deadline,
                "a connection to the fake server did not end"
            );
            thread::sleep(Duration::from_millis(20));
        }
        String::from_utf8_lossy(&self.received.lock().unwrap()).into_owned()
    }
}

/// A stream that records what it reads.
struct Recording<S> {
    inner: S,
    record: Arc<Mutex<Vec<u8>>>,
}

impl<S: Read> Read for Recording<S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.record.lock().unwrap().extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

impl<S: Write> Write for Recording<S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn serve(stream: TcpStream, script: Script, record: Arc<Mutex<Vec<u8>>>) {
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok();
    match script {
        Script::Silent => {
            let mut recording = Recording {
                inner: stream,
                record,
            };
            let mut buf = [0u8; 1024];
            while matches!(recording.read(&mut buf), Ok(n) if n > 0) {}
        }
        Script::Imap {
            capabilities,
            inbox,
        } => {
            let _ = imap(
                Recording {
                    inner: stream,
                    record,
                },
                capabilities,
                inbox,
            );
        }
        Script::Smtp { extensions } => {
            let _ = smtp(
                Recording {
                    inner: stream,
                    record,
                },
                extensions,
            );
        }
        Script::ImapFlood => {
            let _ = imap_flood(Recording {
                inner: stream,
                record,
            });
        }
        Script::TlsImap(config) => {
            // What arrives before and during the handshake is recorded as sent (encrypted).
            let recording = Recording {
                inner: stream.try_clone().unwrap(),
                record,
            };
            let connection = ServerConnection::new(config).unwrap();
            let tls = StreamOwned::new(connection, recording);
            let _ = imap(tls, "IMAP4rev1 AUTH=PLAIN", true);
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

fn imap<S: Read + Write>(stream: S, capabilities: &str, inbox: bool) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    send(reader.get_mut(), "* OK fake IMAP ready")?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 {
        let mut words = line.split_whitespace();
        let tag = words.next().unwrap_or("*").to_owned();
        let command = words.next().unwrap_or("").to_ascii_uppercase();
        let out = reader.get_mut();
        match command.as_str() {
            "CAPABILITY" => {
                send(out, &format!("* CAPABILITY {capabilities}"))?;
                send(out, &format!("{tag} OK done"))?;
            }
            "STARTTLS" => send(out, &format!("{tag} BAD STARTTLS is not offered"))?,
            "AUTHENTICATE" => {
                send(out, "+ ")?;
                line.clear();
                reader.read_line(&mut line)?;
                send(reader.get_mut(), &format!("{tag} OK signed in"))?;
            }
            "LOGIN" => send(out, &format!("{tag} OK signed in"))?,
            "EXAMINE" | "SELECT" if inbox => send(out, &format!("{tag} OK [READ-ONLY] done"))?,
            "EXAMINE" | "SELECT" => send(
                out,
                &format!("{tag} NO [NONEXISTENT] Mailbox doesn't exist: INBOX"),
            )?,
            "LOGOUT" => {
                send(out, "* BYE")?;
                send(out, &format!("{tag} OK bye"))?;
                return Ok(());
            }
            _ => send(out, &format!("{tag} BAD unknown command"))?,
        }
        line.clear();
    }
    Ok(())
}

fn imap_flood<S: Read + Write>(stream: S) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    send(reader.get_mut(), "* OK fake IMAP ready")?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let chunk = "* OK [ALERT] more\r\n".repeat(4096);
    let until = Instant::now() + Duration::from_secs(15);
    while Instant::now() < until {
        reader.get_mut().write_all(chunk.as_bytes())?;
    }
    // Keep the connection open, silent, until the client ends it.
    while reader.read_line(&mut line)? > 0 {}
    Ok(())
}

fn smtp<S: Read + Write>(stream: S, extensions: &[&str]) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    send(reader.get_mut(), "220 fake ESMTP ready")?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 {
        let command = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let out = reader.get_mut();
        match command.as_str() {
            "EHLO" => {
                let mut lines = vec!["fake".to_owned()];
                lines.extend(extensions.iter().map(|e| e.to_string()));
                for (i, text) in lines.iter().enumerate() {
                    let sep = if i + 1 == lines.len() { ' ' } else { '-' };
                    send(out, &format!("250{sep}{text}"))?;
                }
            }
            "STAR" => send(out, "454 4.7.0 TLS not available")?,
            "AUTH" => send(out, "235 2.7.0 signed in")?,
            "QUIT" => {
                send(out, "221 bye")?;
                return Ok(());
            }
            _ => send(out, "250 ok")?,
        }
        line.clear();
    }
    Ok(())
}

fn send<W: Write>(out: &mut W, line: &str) -> std::io::Result<()> {
    out.write_all(line.as_bytes())?;
    out.write_all(b"\r\n")?;
    out.flush()
}

/// A loopback port where nothing listens (bound, then closed).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A listener whose accept queue is full and never drained: new connections wait for ever, as
/// behind a firewall that drops packets. Returns the port and what keeps it so.
pub fn unanswering_port() -> (u16, Vec<TcpStream>, TcpListener) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // SAFETY: listen(2) on a socket this function owns only changes its backlog.
    unsafe {
        use std::os::fd::AsRawFd;
        libc::listen(listener.as_raw_fd(), 0);
    }
    let address = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..16 {
        match TcpStream::connect_timeout(&address, Duration::from_millis(300)) {
            Ok(stream) => fillers.push(stream),
            Err(_) => return (port, fillers, listener),
        }
    }
    panic!("the accept queue of a loopback listener never filled up");
}
