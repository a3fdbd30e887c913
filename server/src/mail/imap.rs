//! The few IMAP commands a check needs (CAPABILITY, STARTTLS, AUTHENTICATE PLAIN or LOGIN, EXAMINE,
//! LOGOUT), spoken over the connector's own stream.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_core::{Protocol, Security};

use super::Connector;
use super::check::{
    CheckCode, Credentials, Facts, Failure, SkipReason, Step, StepResult, Target, Walk,
    server_words, upgrade, upgrade_after_starttls,
};
use super::stream::{Io, MailStream};

/// The IMAP steps after `connect`.
pub async fn walk(
    connector: &Connector,
    target: &Target,
    credentials: Option<&Credentials>,
    io: Box<dyn Io>,
    walk: &mut Walk,
) -> Option<()> {
    let mut session = match target.security {
        Security::Tls => {
            let stream = walk.step(Step::Tls, upgrade(connector, target, io)).await?;
            let mut session = Imap::new(stream);
            walk.step(Step::Greeting, session.greeting()).await?;
            session
        }
        Security::StartTls => {
            let mut session = Imap::new(MailStream::new(io));
            walk.step(Step::Greeting, session.greeting()).await?;
            walk.step(Step::Tls, session.start_tls(connector, target))
                .await?
        }
        Security::None => {
            walk.skip(Step::Tls, SkipReason::NoEncryption);
            let mut session = Imap::new(MailStream::new(io));
            walk.step(Step::Greeting, session.greeting()).await?;
            session
        }
    };
    let capabilities = walk
        .step(Step::Capabilities, session.capabilities())
        .await?;
    if let Some(credentials) = credentials {
        walk.step(Step::SignIn, session.sign_in(credentials, &capabilities))
            .await?;
        walk.step(Step::Mailbox, session.examine_inbox()).await?;
    }
    session
        .stream
        .close(&format!("a{} LOGOUT", session.tag + 1))
        .await;
    Some(())
}

struct Imap {
    stream: MailStream,
    tag: u32,
}

/// What CAPABILITY listed, upper-cased.
pub struct Capabilities(Vec<String>);

impl Capabilities {
    fn has(&self, word: &str) -> bool {
        self.0.iter().any(|w| w == word)
    }

    /// The password sign-in methods the connector can use, best first.
    fn password_methods(&self) -> Vec<String> {
        let mut methods = Vec::new();
        if self.has("AUTH=PLAIN") {
            methods.push("PLAIN".to_owned());
        }
        if !self.has("LOGINDISABLED") {
            methods.push("LOGIN".to_owned());
        }
        methods
    }
}

/// A tagged answer: OK, NO or BAD, and its whole line.
struct Tagged {
    ok: bool,
    line: String,
}

impl Imap {
    fn new(stream: MailStream) -> Imap {
        Imap { stream, tag: 0 }
    }

    async fn greeting(&mut self) -> StepResult<()> {
        let line = self.stream.read_line().await.map_err(Failure::io)?;
        let facts = Facts {
            server_said: Some(server_words(&line, None)),
            ..Facts::default()
        };
        if line.starts_with("* OK") || line.starts_with("* PREAUTH") {
            Ok(((), facts))
        } else if line.starts_with("* BYE") {
            Err(Failure::with(CheckCode::ConnectionClosed, facts))
        } else {
            let other_protocol = is_smtp_reply(&line).then_some(Protocol::Smtp);
            Err(Failure::with(
                CheckCode::UnexpectedGreeting,
                Facts {
                    other_protocol,
                    ..facts
                },
            ))
        }
    }

    /// Sends one command and reads to its tagged answer; the untagged lines come back too.
    async fn command(&mut self, command: &str) -> Result<(Vec<String>, Tagged), Failure> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        self.stream
            .write_line(&format!("{tag} {command}"))
            .await
            .map_err(Failure::io)?;
        self.read_tagged(&tag).await
    }

    async fn read_tagged(&mut self, tag: &str) -> Result<(Vec<String>, Tagged), Failure> {
        let mut untagged = Vec::new();
        loop {
            let line = self.stream.read_line().await.map_err(Failure::io)?;
            if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
                let ok = rest.get(..2).is_some_and(|s| s.eq_ignore_ascii_case("OK"));
                return Ok((untagged, Tagged { ok, line }));
            }
            untagged.push(line);
        }
    }

    async fn capabilities(&mut self) -> StepResult<Capabilities> {
        let (untagged, tagged) = self.command("CAPABILITY").await?;
        if !tagged.ok {
            return Err(Failure::said(
                CheckCode::ConnectionClosed,
                &tagged.line,
                None,
            ));
        }
        let words = untagged
            .iter()
            .filter_map(|line| line.strip_prefix("* CAPABILITY "))
            .flat_map(|rest| rest.split_whitespace())
            .map(str::to_ascii_uppercase)
            .collect();
        let capabilities = Capabilities(words);
        let facts = Facts {
            methods: capabilities.password_methods(),
            ..Facts::default()
        };
        Ok((capabilities, facts))
    }

    /// The `tls` step with STARTTLS: only CAPABILITY and STARTTLS travel in clear text.
    async fn start_tls(mut self, connector: &Connector, target: &Target) -> StepResult<Imap> {
        let (capabilities, _) = self.capabilities().await?;
        if !capabilities.has("STARTTLS") {
            return Err(Failure::new(CheckCode::StarttlsUnsupported));
        }
        let (_, tagged) = self.command("STARTTLS").await?;
        if !tagged.ok {
            return Err(Failure::said(
                CheckCode::StarttlsUnsupported,
                &tagged.line,
                None,
            ));
        }
        let tag = self.tag;
        let (stream, facts) = upgrade_after_starttls(connector, target, self.stream).await?;
        Ok((Imap { stream, tag }, facts))
    }

    async fn sign_in(
        &mut self,
        credentials: &Credentials,
        capabilities: &Capabilities,
    ) -> StepResult<()> {
        let methods = capabilities.password_methods();
        let tagged = match methods.first().map(String::as_str) {
            Some("PLAIN") => self.authenticate_plain(credentials).await?,
            Some(_) => {
                let command = format!(
                    "LOGIN {} {}",
                    quoted(&credentials.login),
                    quoted(&credentials.password)
                );
                self.command(&command).await?.1
            }
            None => {
                return Err(Failure::with(
                    CheckCode::NoPasswordSignIn,
                    Facts {
                        methods,
                        ..Facts::default()
                    },
                ));
            }
        };
        if tagged.ok {
            Ok(((), Facts::default()))
        } else {
            Err(Failure::said(
                CheckCode::AuthFailed,
                &tagged.line,
                Some(credentials),
            ))
        }
    }

    async fn authenticate_plain(&mut self, credentials: &Credentials) -> Result<Tagged, Failure> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        self.stream
            .write_line(&format!("{tag} AUTHENTICATE PLAIN"))
            .await
            .map_err(Failure::io)?;
        loop {
            let line = self.stream.read_line().await.map_err(Failure::io)?;
            if line.starts_with('+') {
                break;
            }
            if line.starts_with(&format!("{tag} ")) {
                return Ok(Tagged { ok: false, line });
            }
        }
        let token = format!("\0{}\0{}", credentials.login, credentials.password);
        self.stream
            .write_line(&BASE64.encode(token))
            .await
            .map_err(Failure::io)?;
        Ok(self.read_tagged(&tag).await?.1)
    }

    /// Opens INBOX read-only, so the check changes nothing in it.
    async fn examine_inbox(&mut self) -> StepResult<()> {
        let (_, tagged) = self.command("EXAMINE INBOX").await?;
        if tagged.ok {
            Ok(((), Facts::default()))
        } else {
            Err(Failure::said(
                CheckCode::MailboxUnavailable,
                &tagged.line,
                None,
            ))
        }
    }
}

/// An IMAP quoted string: backslash and double quote escaped.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars().filter(|c| *c != '\r' && *c != '\n') {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// An SMTP server's reply line (`220 …`, `220-…`, `554 …`), seen where IMAP was expected.
pub fn is_smtp_reply(line: &str) -> bool {
    let bytes = line.as_bytes();
    bytes.len() >= 3
        && bytes[..3].iter().all(u8::is_ascii_digit)
        && bytes.get(3).is_none_or(|b| *b == b' ' || *b == b'-')
}
