//! The few SMTP commands a check needs (EHLO, STARTTLS, AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO,
//! RSET, QUIT), spoken over the connector's own stream; nothing is ever sent as a message.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_core::{Protocol, Security};

use super::Connector;
use super::check::{
    CheckCode, Credentials, Facts, Failure, SkipReason, Step, StepResult, Target, Walk,
    server_words, upgrade, upgrade_after_starttls,
};
use super::stream::{Io, MailStream};

/// The name the connector gives in EHLO.
const HELLO_NAME: &str = "localhost";

/// The SMTP steps after `connect`.
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
            let mut session = Smtp { stream };
            walk.step(Step::Greeting, session.greeting()).await?;
            session
        }
        Security::StartTls => {
            let mut session = Smtp {
                stream: MailStream::new(io),
            };
            walk.step(Step::Greeting, session.greeting()).await?;
            walk.step(Step::Tls, session.start_tls(connector, target))
                .await?
        }
        Security::None => {
            walk.skip(Step::Tls, SkipReason::NoEncryption);
            let mut session = Smtp {
                stream: MailStream::new(io),
            };
            walk.step(Step::Greeting, session.greeting()).await?;
            session
        }
    };
    let extensions = walk.step(Step::Capabilities, session.ehlo()).await?;
    if let Some(credentials) = credentials {
        walk.step(Step::SignIn, session.sign_in(credentials, &extensions))
            .await?;
        walk.step(Step::Envelope, session.envelope(credentials, target))
            .await?;
    }
    session.stream.close("QUIT").await;
    Some(())
}

struct Smtp {
    stream: MailStream,
}

/// A reply: its code and the text of every line.
struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn last_line(&self) -> String {
        format!(
            "{} {}",
            self.code,
            self.lines.last().map_or("", String::as_str)
        )
    }
}

/// What EHLO listed, upper-cased keywords with their parameters.
pub struct Extensions(Vec<Vec<String>>);

impl Extensions {
    fn has(&self, keyword: &str) -> bool {
        self.0
            .iter()
            .any(|e| e.first().is_some_and(|k| k == keyword))
    }

    /// The password sign-in methods of `AUTH` the connector can use, best first.
    fn password_methods(&self) -> Vec<String> {
        let offered: Vec<&String> = self
            .0
            .iter()
            .filter(|e| e.first().is_some_and(|k| k == "AUTH"))
            .flat_map(|e| e.iter().skip(1))
            .collect();
        ["PLAIN", "LOGIN"]
            .into_iter()
            .filter(|m| offered.iter().any(|o| o == m))
            .map(str::to_owned)
            .collect()
    }
}

impl Smtp {
    async fn read_reply(&mut self) -> Result<Reply, Failure> {
        let mut lines = Vec::new();
        loop {
            let line = self.stream.read_line().await.map_err(Failure::io)?;
            let bytes = line.as_bytes();
            let code = line
                .get(..3)
                .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|c| c.parse::<u16>().ok());
            let Some(code) = code else {
                return Err(Failure::said(CheckCode::ConnectionClosed, &line, None));
            };
            lines.push(line.get(4..).unwrap_or("").to_owned());
            if bytes.get(3) != Some(&b'-') {
                return Ok(Reply { code, lines });
            }
        }
    }

    async fn command(&mut self, command: &str) -> Result<Reply, Failure> {
        self.stream.write_line(command).await.map_err(Failure::io)?;
        self.read_reply().await
    }

    async fn greeting(&mut self) -> StepResult<()> {
        let first = self.stream.read_line().await.map_err(Failure::io)?;
        let facts = Facts {
            server_said: Some(server_words(&first, None)),
            ..Facts::default()
        };
        if first.starts_with("* ") {
            return Err(Failure::with(
                CheckCode::UnexpectedGreeting,
                Facts {
                    other_protocol: Some(Protocol::Imap),
                    ..facts
                },
            ));
        }
        if !first.starts_with("220") {
            return Err(Failure::with(CheckCode::UnexpectedGreeting, facts));
        }
        let mut last = first;
        while last.as_bytes().get(3) == Some(&b'-') {
            last = self.stream.read_line().await.map_err(Failure::io)?;
        }
        Ok(((), facts))
    }

    async fn ehlo(&mut self) -> StepResult<Extensions> {
        let reply = self.command(&format!("EHLO {HELLO_NAME}")).await?;
        if reply.code != 250 {
            return Err(Failure::said(
                CheckCode::ConnectionClosed,
                &reply.last_line(),
                None,
            ));
        }
        let extensions = Extensions(
            reply
                .lines
                .iter()
                .skip(1)
                .map(|line| {
                    line.split_whitespace()
                        .map(str::to_ascii_uppercase)
                        .collect()
                })
                .collect(),
        );
        let facts = Facts {
            methods: extensions.password_methods(),
            ..Facts::default()
        };
        Ok((extensions, facts))
    }

    /// The `tls` step with STARTTLS: only EHLO and STARTTLS travel in clear text.
    async fn start_tls(mut self, connector: &Connector, target: &Target) -> StepResult<Smtp> {
        let (extensions, _) = self.ehlo().await?;
        if !extensions.has("STARTTLS") {
            return Err(Failure::new(CheckCode::StarttlsUnsupported));
        }
        let reply = self.command("STARTTLS").await?;
        if reply.code != 220 {
            return Err(Failure::said(
                CheckCode::StarttlsUnsupported,
                &reply.last_line(),
                None,
            ));
        }
        let (stream, facts) = upgrade_after_starttls(connector, target, self.stream).await?;
        Ok((Smtp { stream }, facts))
    }

    async fn sign_in(
        &mut self,
        credentials: &Credentials,
        extensions: &Extensions,
    ) -> StepResult<()> {
        let methods = extensions.password_methods();
        let reply = match methods.first().map(String::as_str) {
            Some("PLAIN") => {
                let token = format!("\0{}\0{}", credentials.login, credentials.password);
                self.command(&format!("AUTH PLAIN {}", BASE64.encode(token)))
                    .await?
            }
            Some(_) => self.auth_login(credentials).await?,
            None => {
                return Err(Failure::new(CheckCode::NoPasswordSignIn));
            }
        };
        if reply.code == 235 {
            Ok(((), Facts::default()))
        } else {
            Err(Failure::said(
                CheckCode::AuthFailed,
                &reply.last_line(),
                Some(credentials),
            ))
        }
    }

    async fn auth_login(&mut self, credentials: &Credentials) -> Result<Reply, Failure> {
        let reply = self.command("AUTH LOGIN").await?;
        if reply.code != 334 {
            return Ok(reply);
        }
        let reply = self.command(&BASE64.encode(&credentials.login)).await?;
        if reply.code != 334 {
            return Ok(reply);
        }
        self.command(&BASE64.encode(&credentials.password)).await
    }

    /// MAIL FROM and RCPT TO with the login's address, then RSET: nothing is sent.
    async fn envelope(&mut self, credentials: &Credentials, target: &Target) -> StepResult<()> {
        let address = if credentials.login.contains('@') {
            credentials.login.clone()
        } else {
            format!("{}@{}", credentials.login, target.host)
        };
        let reply = self.command(&format!("MAIL FROM:<{address}>")).await?;
        if reply.code != 250 {
            return Err(Failure::said(
                CheckCode::SenderRefused,
                &reply.last_line(),
                Some(credentials),
            ));
        }
        let reply = self.command(&format!("RCPT TO:<{address}>")).await?;
        let _ = self.command("RSET").await;
        if reply.code != 250 && reply.code != 251 {
            return Err(Failure::said(
                CheckCode::RecipientRefused,
                &reply.last_line(),
                Some(credentials),
            ));
        }
        Ok(((), Facts::default()))
    }
}
