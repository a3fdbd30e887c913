//! Real Dovecot from Debian (`dovecot-imapd`, `dovecot-submissiond` 2.3) started from a throwaway
//! configuration: its own base and state directories, log file, passwd-file users, Maildirs, and
//! listeners on free loopback ports; its submission service relays to an SMTP sink of the tests'.
//!
//! Dovecot counts 127.0.0.1 as secured, so a plain-text login on loopback succeeds whatever `ssl`
//! says; whether a login used TLS is read from its log ("TLS" or "secured" on the Login line).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::pki::Pki;

const DOVECOT: &str = "/usr/sbin/dovecot";

/// A user whose sign-in works.
pub const ANNA: &str = "anna@example.test";
pub const ANNA_PASSWORD: &str = "anna-password-Zq7";
/// A user whose sender address the relay refuses.
pub const NOSEND: &str = "nosend@example.test";
pub const NOSEND_PASSWORD: &str = "nosend-password-Zq7";

pub struct Dovecot {
    dir: TempDir,
    child: Child,
    pub imap: u16,
    pub imaps: u16,
    pub submission: u16,
    pub submissions: u16,
    pub sink: Sink,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Dovecot {
    /// Starts Dovecot and waits until every listener answers. Fails the test when Dovecot is not
    /// installed: these tests must not pass by not running.
    pub fn start(pki: &Pki) -> Dovecot {
        assert!(
            Path::new(DOVECOT).exists(),
            "Dovecot is not installed ({DOVECOT} is missing): the mail connector's tests need it. \
             Run ./dev test, which installs it, or: apt-get install dovecot-imapd dovecot-submissiond"
        );
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Dovecot's mail processes run as the `dovecot` user and must reach the Maildirs.
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["mail", "home"] {
            std::fs::create_dir(root.join(sub)).unwrap();
            std::fs::set_permissions(root.join(sub), std::fs::Permissions::from_mode(0o777))
                .unwrap();
        }
        let (cert, key) = pki.write(&pki.localhost(), "dovecot");
        std::fs::write(
            root.join("users"),
            format!("{ANNA}:{{PLAIN}}{ANNA_PASSWORD}\n{NOSEND}:{{PLAIN}}{NOSEND_PASSWORD}\n"),
        )
        .unwrap();
        let sink = Sink::start();
        let (imap, imaps, submission, submissions) =
            (free_port(), free_port(), free_port(), free_port());
        let config = config(
            root,
            &cert,
            &key,
            [imap, imaps, submission, submissions],
            sink.port,
        );
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        let log = std::fs::File::create(root.join("stdout.log")).unwrap();
        let child = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("dovecot starts");
        let dovecot = Dovecot {
            dir,
            child,
            imap,
            imaps,
            submission,
            submissions,
            sink,
        };
        for port in [imap, imaps, submission, submissions] {
            dovecot.wait_for(port);
        }
        dovecot
    }

    fn wait_for(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Dovecot did not listen on {port} within 30 s; its output:\n{}\n{}",
                self.file("stdout.log"),
                self.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// Dovecot's log so far.
    pub fn log(&self) -> String {
        self.file("dovecot.log")
    }

    /// Waits until the log has a line containing every one of `parts`, and returns it.
    pub fn wait_for_log_line(&self, parts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.log();
            if let Some(line) = log.lines().find(|l| parts.iter().all(|p| l.contains(p))) {
                return line.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no log line with {parts:?} within 10 s:\n{log}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its children; a SIGKILL would leave them behind.
        // SAFETY: kill(2) on the pid of a child this value started and has not reaped yet.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }
}

fn config(root: &Path, cert: &str, key: &str, ports: [u16; 4], relay: u16) -> String {
    let root = root.display();
    let [imap, imaps, submission, submissions] = ports;
    format!(
        r#"base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap submission
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_dh = </usr/share/dovecot/dh.pem
auth_mechanisms = plain login
auth_failure_delay = 0
disable_plaintext_auth = no
hostname = localhost
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/home/%u
}}
submission_relay_host = 127.0.0.1
submission_relay_port = {relay}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service submission-login {{
  inet_listener submission {{
    address = 127.0.0.1
    port = {submission}
  }}
  inet_listener submissions {{
    address = 127.0.0.1
    port = {submissions}
    ssl = yes
  }}
}}
"#
    )
}

/// The relay behind Dovecot's submission service: accepts every envelope except a sender with
/// "nosend" in it, and records the commands.
pub struct Sink {
    pub port: u16,
    commands: Arc<Mutex<Vec<String>>>,
}

impl Sink {
    fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let commands = Arc::new(Mutex::new(Vec::new()));
        let record = commands.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let record = record.clone();
                thread::spawn(move || {
                    let _ = relay_session(stream, record);
                });
            }
        });
        Sink { port, commands }
    }

    pub fn commands(&self) -> Vec<String> {
        self.commands.lock().unwrap().clone()
    }
}

fn relay_session(stream: TcpStream, record: Arc<Mutex<Vec<String>>>) -> std::io::Result<()> {
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    out.write_all(b"220 sink ESMTP\r\n")?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 {
        record.lock().unwrap().push(line.trim_end().to_owned());
        let command = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let answer: &[u8] = match command.as_str() {
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "MAIL" if line.contains("nosend") => b"550 5.7.1 This sender may not send\r\n",
            "QUIT" => {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            }
            _ => b"250 ok\r\n",
        };
        out.write_all(answer)?;
        line.clear();
    }
    Ok(())
}
