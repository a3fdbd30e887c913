//! "Check connection" (SPEC C1–C2): walks one server step by step and returns every step as data.
//!
//! The steps are always reported in the same order ([`Step::walk`]); steps never reached are
//! `skipped`. With STARTTLS the greeting is read before the upgrade, so a failed greeting leaves
//! `tls` skipped. With security None the `tls` step is `skipped` (there is nothing to verify) and
//! the check can still be ok. Nothing that carries a credential is written before the `tls` step
//! passed, unless security is None.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use mail_core::{Protocol, Security};
use serde::Serialize;
use tokio::net::TcpStream;

use super::policy::{Origin, Range, Refusal};
use super::stream::{Io, MailStream};
use super::tls::TlsFailure;
use super::{Connector, imap, smtp};

/// One step of a check, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Resolve,
    AddressPolicy,
    Connect,
    Tls,
    Greeting,
    Capabilities,
    SignIn,
    /// IMAP: open INBOX.
    Mailbox,
    /// SMTP: MAIL FROM and RCPT TO accepted, then RSET.
    Envelope,
}

impl Step {
    /// The steps of a check of one server of this protocol, in order.
    pub fn walk(protocol: Protocol) -> [Step; 8] {
        use Step::*;
        let last = match protocol {
            Protocol::Imap => Mailbox,
            Protocol::Smtp => Envelope,
        };
        [
            Resolve,
            AddressPolicy,
            Connect,
            Tls,
            Greeting,
            Capabilities,
            SignIn,
            last,
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
}

/// Why a step failed; serialized as the snake_case codes of the CLI and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckCode {
    DnsFailed,
    AddressRefused,
    PortRefused,
    ConnectionRefused,
    ConnectTimeout,
    /// Any other failure to connect (no route to the network, reset).
    ConnectionFailed,
    TlsHandshakeFailed,
    CertificateUntrusted,
    CertificateNameMismatch,
    CertificateExpired,
    StarttlsUnsupported,
    GreetingTimeout,
    UnexpectedGreeting,
    /// A step after the greeting got no answer in time.
    StepTimeout,
    /// The server closed the connection or answered what the protocol does not allow.
    ConnectionClosed,
    NoPasswordSignIn,
    AuthFailed,
    MailboxUnavailable,
    SenderRefused,
    RecipientRefused,
}

impl CheckCode {
    pub const ALL: [CheckCode; 20] = {
        use CheckCode::*;
        [
            DnsFailed,
            AddressRefused,
            PortRefused,
            ConnectionRefused,
            ConnectTimeout,
            ConnectionFailed,
            TlsHandshakeFailed,
            CertificateUntrusted,
            CertificateNameMismatch,
            CertificateExpired,
            StarttlsUnsupported,
            GreetingTimeout,
            UnexpectedGreeting,
            StepTimeout,
            ConnectionClosed,
            NoPasswordSignIn,
            AuthFailed,
            MailboxUnavailable,
            SenderRefused,
            RecipientRefused,
        ]
    };

    /// The code as the CLI and the API write it.
    pub fn code(self) -> &'static str {
        use CheckCode::*;
        match self {
            DnsFailed => "dns_failed",
            AddressRefused => "address_refused",
            PortRefused => "port_refused",
            ConnectionRefused => "connection_refused",
            ConnectTimeout => "connect_timeout",
            ConnectionFailed => "connection_failed",
            TlsHandshakeFailed => "tls_handshake_failed",
            CertificateUntrusted => "certificate_untrusted",
            CertificateNameMismatch => "certificate_name_mismatch",
            CertificateExpired => "certificate_expired",
            StarttlsUnsupported => "starttls_unsupported",
            GreetingTimeout => "greeting_timeout",
            UnexpectedGreeting => "unexpected_greeting",
            StepTimeout => "step_timeout",
            ConnectionClosed => "connection_closed",
            NoPasswordSignIn => "no_password_sign_in",
            AuthFailed => "auth_failed",
            MailboxUnavailable => "mailbox_unavailable",
            SenderRefused => "sender_refused",
            RecipientRefused => "recipient_refused",
        }
    }
}

/// The server to check, as a stored or typed endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub protocol: Protocol,
    /// A normalised host from `mail_core::parse_server`: an ASCII name or an IP address.
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub origin: Origin,
}

/// Test credentials: used for one check, never stored, never logged (no `Debug` of the password).
#[derive(Clone)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

/// Why a step was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    EarlierFailure,
    /// With STARTTLS the plain greeting comes before the upgrade, and it failed.
    GreetingFirst,
    NoCredentials,
    NoEncryption,
}

/// What a step found, for its message: each field is filled by the steps it concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub addresses: Vec<IpAddr>,
    /// The addresses the policy refused, with their range.
    pub refused: Vec<(IpAddr, Range)>,
    pub connected: Option<SocketAddr>,
    /// The names a certificate was issued for, when it does not fit the host.
    pub certificate_names: Vec<String>,
    /// The server answered in plain text where TLS was expected.
    pub plain_text: bool,
    /// The protocol whose greeting arrived instead (SMTP's on an IMAP port, or the reverse).
    pub other_protocol: Option<Protocol>,
    /// Password sign-in methods offered (`PLAIN`, `LOGIN`).
    pub methods: Vec<String>,
    /// The server's own words (a refusal's text), without the password should it echo it.
    pub server_said: Option<String>,
    /// The technical detail of a failure (resolver or TLS library words), for operators.
    pub detail: Option<String>,
    pub skip: Option<SkipReason>,
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub step: Step,
    pub outcome: Outcome,
    pub code: Option<CheckCode>,
    pub ms: u64,
    pub facts: Facts,
}

/// A step that failed, with what it found (boxed: every step's `Result` carries one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: CheckCode,
    pub facts: Box<Facts>,
}

impl Failure {
    pub fn new(code: CheckCode) -> Failure {
        Failure::with(code, Facts::default())
    }

    pub fn with(code: CheckCode, facts: Facts) -> Failure {
        Failure {
            code,
            facts: Box::new(facts),
        }
    }

    /// The server answered `line`, which refuses the step.
    pub fn said(code: CheckCode, line: &str, credentials: Option<&Credentials>) -> Failure {
        Failure::with(
            code,
            Facts {
                server_said: Some(server_words(line, credentials)),
                ..Facts::default()
            },
        )
    }

    /// A read or write failed mid-conversation.
    pub fn io(error: std::io::Error) -> Failure {
        Failure::with(
            CheckCode::ConnectionClosed,
            Facts {
                detail: Some(error.to_string()),
                ..Facts::default()
            },
        )
    }
}

/// A server's line as shown to a person: printable, short, and never the password it may echo.
pub fn server_words(line: &str, credentials: Option<&Credentials>) -> String {
    let mut text: String = line.chars().filter(|c| !c.is_control()).take(300).collect();
    if let Some(credentials) = credentials
        && !credentials.password.is_empty()
        && text.contains(&credentials.password)
    {
        text = text.replace(&credentials.password, "…");
    }
    text
}

pub type StepResult<T> = Result<(T, Facts), Failure>;

/// Walks the steps of `target`: sign-in, INBOX and the envelope only with `credentials`.
pub async fn check_server(
    connector: &Connector,
    target: &Target,
    credentials: Option<&Credentials>,
) -> Vec<Check> {
    let mut walk = Walk::new(connector.timeouts, target.protocol);
    let total = connector.timeouts.total;
    // The walk records each step as it ends, so on the overall time limit the steps done so far
    // stand and the one under way is reported as timed out below.
    let _ =
        tokio::time::timeout(total, walk_steps(connector, target, credentials, &mut walk)).await;
    walk.finish(credentials.is_some())
}

async fn walk_steps(
    connector: &Connector,
    target: &Target,
    credentials: Option<&Credentials>,
    walk: &mut Walk,
) -> Option<()> {
    let addresses = walk
        .step(Step::Resolve, resolve(connector, &target.host))
        .await?;
    let allowed = walk
        .step(Step::AddressPolicy, async {
            judge(connector, target, &addresses)
        })
        .await?;
    let io = walk
        .step(
            Step::Connect,
            connect(&allowed, target.port, connector.timeouts.connect),
        )
        .await?;
    match target.protocol {
        Protocol::Imap => imap::walk(connector, target, credentials, io, walk).await,
        Protocol::Smtp => smtp::walk(connector, target, credentials, io, walk).await,
    }
}

async fn resolve(connector: &Connector, host: &str) -> StepResult<Vec<IpAddr>> {
    match connector.resolver.resolve(host).await {
        Ok(addresses) => {
            let facts = Facts {
                addresses: addresses.clone(),
                ..Facts::default()
            };
            Ok((addresses, facts))
        }
        Err(failure) => Err(Failure::with(
            CheckCode::DnsFailed,
            Facts {
                detail: Some(failure.detail),
                ..Facts::default()
            },
        )),
    }
}

fn judge(connector: &Connector, target: &Target, addresses: &[IpAddr]) -> StepResult<Vec<IpAddr>> {
    let mut allowed = Vec::new();
    let mut refused = Vec::new();
    let mut port_refused = false;
    for ip in addresses {
        match connector.policy.judge(*ip, target.port, target.origin) {
            Ok(()) => allowed.push(*ip),
            Err(Refusal::Port(_)) => port_refused = true,
            Err(Refusal::Address(range)) => refused.push((*ip, range)),
        }
    }
    let facts = Facts {
        addresses: allowed.clone(),
        refused,
        ..Facts::default()
    };
    match (allowed.is_empty(), port_refused) {
        (false, _) => Ok((allowed, facts)),
        (true, true) => Err(Failure::with(CheckCode::PortRefused, facts)),
        (true, false) => Err(Failure::with(CheckCode::AddressRefused, facts)),
    }
}

/// Connects to the judged addresses in turn; the first that answers wins.
async fn connect(addresses: &[IpAddr], port: u16, limit: Duration) -> StepResult<Box<dyn Io>> {
    let mut last = Failure::new(CheckCode::ConnectionFailed);
    for ip in addresses {
        let address = SocketAddr::new(*ip, port);
        let facts = Facts {
            connected: Some(address),
            ..Facts::default()
        };
        match tokio::time::timeout(limit, TcpStream::connect(address)).await {
            Ok(Ok(socket)) => {
                let _ = socket.set_nodelay(true);
                return Ok((Box::new(socket), facts));
            }
            Ok(Err(error)) => {
                let code = match error.kind() {
                    std::io::ErrorKind::ConnectionRefused => CheckCode::ConnectionRefused,
                    _ => CheckCode::ConnectionFailed,
                };
                last = Failure::with(
                    code,
                    Facts {
                        detail: Some(error.to_string()),
                        ..facts
                    },
                );
            }
            Err(_) => last = Failure::with(CheckCode::ConnectTimeout, facts),
        }
    }
    Err(last)
}

/// The TLS step's failure for a handshake that did not succeed.
pub fn tls_failure(failure: TlsFailure) -> Failure {
    let (code, facts) = match failure {
        TlsFailure::NameMismatch { presented } => (
            CheckCode::CertificateNameMismatch,
            Facts {
                certificate_names: presented,
                ..Facts::default()
            },
        ),
        TlsFailure::Untrusted => (CheckCode::CertificateUntrusted, Facts::default()),
        TlsFailure::Expired => (CheckCode::CertificateExpired, Facts::default()),
        TlsFailure::NotTls => (
            CheckCode::TlsHandshakeFailed,
            Facts {
                plain_text: true,
                ..Facts::default()
            },
        ),
        TlsFailure::Other(detail) => (
            CheckCode::TlsHandshakeFailed,
            Facts {
                detail: Some(detail),
                ..Facts::default()
            },
        ),
    };
    Failure::with(code, facts)
}

/// The TLS step for implicit TLS, or the upgrade after STARTTLS's "go ahead".
pub async fn upgrade(
    connector: &Connector,
    target: &Target,
    io: Box<dyn Io>,
) -> StepResult<MailStream> {
    let tls = connector
        .tls
        .handshake(io, &target.host)
        .await
        .map_err(tls_failure)?;
    Ok((MailStream::new(tls), Facts::default()))
}

/// The upgrade after STARTTLS's "go ahead". Bytes the server sent after it would be read as if
/// they came through TLS (STARTTLS injection), so then the upgrade is refused.
pub async fn upgrade_after_starttls(
    connector: &Connector,
    target: &Target,
    stream: MailStream,
) -> StepResult<MailStream> {
    let Ok(io) = stream.into_io_for_upgrade() else {
        return Err(Failure::with(
            CheckCode::TlsHandshakeFailed,
            Facts {
                detail: Some("the server sent data before the TLS handshake".to_owned()),
                ..Facts::default()
            },
        ));
    };
    upgrade(connector, target, io).await
}

/// The steps recorded so far, each timed.
pub struct Walk {
    timeouts: super::Timeouts,
    protocol: Protocol,
    started: Instant,
    checks: Vec<Check>,
    failed: bool,
    /// When the step under way started; still set when the total limit cut it short.
    current: Option<Instant>,
}

impl Walk {
    fn new(timeouts: super::Timeouts, protocol: Protocol) -> Walk {
        Walk {
            timeouts,
            protocol,
            started: Instant::now(),
            checks: Vec::new(),
            failed: false,
            current: None,
        }
    }

    /// Runs one step within the step time limit (and what is left of the total) and records it;
    /// `None` ends the walk.
    pub async fn step<T>(
        &mut self,
        step: Step,
        work: impl Future<Output = StepResult<T>>,
    ) -> Option<T> {
        let start = Instant::now();
        self.current = Some(start);
        let left = self.timeouts.total.saturating_sub(self.started.elapsed());
        let limit = self.timeouts.step.min(left);
        // Recorded first as timed out, so a walk cut by the total limit still reports this step.
        self.checks.push(Check {
            step,
            outcome: Outcome::Failed,
            code: Some(timeout_code(step)),
            ms: 0,
            facts: Facts::default(),
        });
        let result = match tokio::time::timeout(limit, work).await {
            Ok(result) => result,
            Err(_) => Err(Failure::new(timeout_code(step))),
        };
        self.current = None;
        let ms = start.elapsed().as_millis() as u64;
        let check = self.checks.last_mut().expect("pushed above");
        check.ms = ms;
        match result {
            Ok((value, facts)) => {
                check.outcome = Outcome::Passed;
                check.code = None;
                check.facts = facts;
                Some(value)
            }
            Err(failure) => {
                check.code = Some(failure.code);
                check.facts = *failure.facts;
                self.failed = true;
                None
            }
        }
    }

    /// Records a step that does not apply (security None's `tls`).
    pub fn skip(&mut self, step: Step, reason: SkipReason) {
        self.checks.push(Check {
            step,
            outcome: Outcome::Skipped,
            code: None,
            ms: 0,
            facts: Facts {
                skip: Some(reason),
                ..Facts::default()
            },
        });
    }

    /// Every step in order; those never reached are skipped, with the reason.
    fn finish(mut self, with_credentials: bool) -> Vec<Check> {
        // A step cut short by the total limit stays recorded as failed with its timed-out code.
        if let Some(start) = self.current
            && let Some(last) = self.checks.last_mut()
        {
            last.ms = start.elapsed().as_millis() as u64;
            self.failed = true;
        }
        let failed = self.failed;
        // The contract: every step after a failed one is skipped. With STARTTLS the greeting is read
        // before the upgrade, so a failed upgrade turns that (listed later) greeting into skipped.
        let mut after_failure = false;
        Step::walk(self.protocol)
            .into_iter()
            .map(|step| {
                if after_failure {
                    return skipped(step, SkipReason::EarlierFailure);
                }
                let check = self
                    .checks
                    .iter()
                    .find(|c| c.step == step)
                    .cloned()
                    .unwrap_or_else(|| {
                        let greeting_failed = self
                            .checks
                            .iter()
                            .any(|c| c.step == Step::Greeting && c.outcome == Outcome::Failed);
                        let reason = if step == Step::Tls && greeting_failed {
                            SkipReason::GreetingFirst
                        } else if !failed && !with_credentials {
                            SkipReason::NoCredentials
                        } else {
                            SkipReason::EarlierFailure
                        };
                        skipped(step, reason)
                    });
                after_failure = check.outcome == Outcome::Failed;
                check
            })
            .collect()
    }
}

fn skipped(step: Step, reason: SkipReason) -> Check {
    Check {
        step,
        outcome: Outcome::Skipped,
        code: None,
        ms: 0,
        facts: Facts {
            skip: Some(reason),
            ..Facts::default()
        },
    }
}

fn timeout_code(step: Step) -> CheckCode {
    match step {
        Step::Connect => CheckCode::ConnectTimeout,
        Step::Greeting => CheckCode::GreetingTimeout,
        _ => CheckCode::StepTimeout,
    }
}

/// True when no step failed.
pub fn is_ok(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.outcome != Outcome::Failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_snake_case_names() {
        for code in CheckCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.code());
        }
    }

    #[test]
    fn server_words_never_repeat_the_password() {
        let credentials = Credentials {
            login: "anna".to_owned(),
            password: "s3cret!".to_owned(),
        };
        assert_eq!(
            server_words("a3 NO wrong password s3cret!\r", Some(&credentials)),
            "a3 NO wrong password …"
        );
    }
}
