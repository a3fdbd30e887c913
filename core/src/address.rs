//! The server field `host:port`: parsing, normalising, and the port ↔ security checks (SPEC 4).
//!
//! [`parse_server`] is the one entry point. The browser calls it on every keystroke and the server
//! again before saving, so both judge an address the same way. Errors block saving; warnings do not,
//! and each warning carries a [`Fix`] the UI can apply in one click.
//!
//! # Pasted URLs and the chosen security
//! `imaps://host` and `smtps://host` say "TLS" in so many words, so they set the security to TLS
//! whatever was chosen: [`ServerCheck::security`] is then `Tls`, and the UI should show that in its
//! "Connection security" control. `imap://` and `smtp://` do not set it: many programs write them
//! for any IMAP or SMTP URL, including `smtp://host:465` meaning TLS, so the chosen security stands
//! and the usual port ↔ security warnings apply. Without a port, a URL gets the usual port of its
//! scheme: `imaps://` 993, `imap://` 143, `smtps://` 465, `smtp://` 587 (25 when the chosen security
//! is None). A URL of the other protocol (`imaps://` in the SMTP field) is an error. A single
//! trailing `/` is dropped, with or without a scheme; anything else after the port is a path and an
//! error.

use serde::{Deserialize, Serialize};

use crate::host::{self, Host};
use crate::messages::Lang;
use crate::ports::{encrypted_security_for_port, is_usual_port, security_fits_port, usual_port};
use crate::service::{Protocol, Security, ServerEndpoint};

/// Checks a server string as typed or pasted into the SMTP or IMAP field, with the security chosen
/// beside it.
pub fn parse_server(protocol: Protocol, security: Security, input: &str) -> ServerCheck {
    let mut check = ServerCheck {
        protocol,
        host: None,
        unicode_host: None,
        port: None,
        security,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    check.parse(input);
    if check.errors.is_empty() {
        check.add_port_warnings();
    }
    check
}

/// What [`parse_server`] made of a server string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCheck {
    pub protocol: Protocol,
    /// The normalised host, once the host part is valid: a lower-case ASCII name (Unicode labels in
    /// punycode), an IPv4 address, or an IPv6 address without brackets.
    pub host: Option<String>,
    /// The Unicode form of a host with punycode labels (`почта.рф` for `xn--80a1acny.xn--p1ai`), so
    /// the UI can show both.
    pub unicode_host: Option<String>,
    /// The port, once valid; a pasted URL without a port gets its scheme's usual port.
    pub port: Option<u16>,
    /// The security the endpoint will have: the chosen one, or TLS for an `imaps://` or `smtps://`
    /// URL (see the module documentation).
    pub security: Security,
    /// Any error blocks saving.
    pub errors: Vec<ServerError>,
    /// Only computed for an address without errors.
    pub warnings: Vec<ServerWarning>,
}

impl ServerCheck {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The endpoint to store, when the address is valid.
    pub fn endpoint(&self) -> Option<ServerEndpoint> {
        match (&self.host, self.port) {
            (Some(host), Some(port)) if self.is_valid() => {
                Some(ServerEndpoint::new(host.clone(), port, self.security))
            }
            _ => None,
        }
    }

    /// The normalised `host:port` text (IPv6 in brackets), when the address is valid: what the
    /// field should show once the user leaves it.
    pub fn address(&self) -> Option<String> {
        match (&self.host, self.port) {
            (Some(host), Some(port)) if self.is_valid() => Some(host_port(host, port)),
            _ => None,
        }
    }

    /// `host:port` with the Unicode form of the host, when it has one and the address is valid.
    pub fn unicode_address(&self) -> Option<String> {
        match (&self.unicode_host, self.port) {
            (Some(host), Some(port)) if self.is_valid() => Some(host_port(host, port)),
            _ => None,
        }
    }

    /// The machine-readable summary printed by `mail-services check-server`.
    pub fn report(&self, lang: Lang) -> ServerReport {
        ServerReport {
            valid: self.is_valid(),
            host: self.host.clone(),
            unicode_host: self.unicode_host.clone(),
            port: self.port,
            security: self.security,
            errors: self
                .errors
                .iter()
                .map(|e| ReportedError {
                    code: e.code().to_owned(),
                    message: e.message(lang, self.protocol),
                    fix: e.fix().cloned(),
                })
                .collect(),
            warnings: self
                .warnings
                .iter()
                .map(|w| ReportedWarning {
                    code: w.code().to_owned(),
                    message: w.message(lang, self.protocol),
                    fix: w.fix().clone(),
                    alternative: w.alternative().cloned(),
                })
                .collect(),
        }
    }

    fn fail(&mut self, error: ServerError) {
        self.errors.push(error);
    }

    fn parse(&mut self, input: &str) {
        let text = input.trim();
        if text.is_empty() {
            return self.fail(ServerError::Required);
        }
        if text.contains(char::is_whitespace) {
            return self.fail(ServerError::ContainsSpace);
        }
        let (scheme, rest) = split_scheme(text);
        let mut default_port = None;
        if let Some(scheme) = scheme {
            let Some((protocol, tls)) = url_scheme(scheme) else {
                return self.fail(ServerError::UnsupportedScheme {
                    scheme: scheme.to_ascii_lowercase(),
                });
            };
            if protocol != self.protocol {
                return self.fail(ServerError::WrongProtocolScheme {
                    scheme: scheme.to_ascii_lowercase(),
                });
            }
            let port_security = if tls {
                self.security = Security::Tls;
                Security::Tls
            } else if self.security == Security::Tls {
                // A plain-scheme URL's default port is never the implicit-TLS one.
                Security::StartTls
            } else {
                self.security
            };
            default_port = Some(usual_port(protocol, port_security));
        }
        let authority = match rest.find(['/', '?', '#']) {
            Some(slash) if &rest[slash..] == "/" => &rest[..slash],
            Some(_) => return self.fail(ServerError::Path),
            None => rest,
        };
        if authority.contains('@') {
            return self.fail(ServerError::UserPart);
        }
        let (host, port) = match split_host_port(authority) {
            Ok(parts) => parts,
            Err(error) => return self.fail(error),
        };
        match host {
            Ok(Host { ascii, unicode }) => {
                self.host = Some(ascii);
                self.unicode_host = unicode;
            }
            Err(error) => self.errors.push(error),
        }
        match (port, default_port) {
            (None | Some(""), Some(port)) => self.port = Some(port),
            (None | Some(""), None) => {
                let port = usual_port(self.protocol, self.security);
                let fix = self.host.as_deref().map(|host| Fix {
                    address: host_port(host, port),
                    security: self.security,
                });
                self.errors.push(ServerError::MissingPort {
                    usual_port: port,
                    security: self.security,
                    fix,
                });
            }
            (Some(text), _) => match parse_port(text) {
                Ok(port) => self.port = Some(port),
                Err(error) => self.errors.push(error),
            },
        }
    }

    /// SPEC 4: None is a warning; a usual port with a security it is not served with is a warning;
    /// an unusual port is a warning. Each offers the most likely fix.
    fn add_port_warnings(&mut self) {
        let (Some(host), Some(port)) = (self.host.as_deref(), self.port) else {
            return;
        };
        let (protocol, security) = (self.protocol, self.security);
        let at = |port| host_port(host, port);
        if security == Security::None {
            // Keep the port: the server is there. On an unusual port STARTTLS is the likelier one.
            let secure = encrypted_security_for_port(protocol, port).unwrap_or(Security::StartTls);
            self.warnings.push(ServerWarning::NoEncryption {
                port,
                fix: Fix {
                    address: at(port),
                    security: secure,
                },
            });
        } else if !security_fits_port(protocol, port, security) {
            // The port was typed, often copied from the provider's page, while the security may be
            // the control's default: so the fix follows the port, and the other way is offered too.
            let expected = encrypted_security_for_port(protocol, port).unwrap_or(security);
            let other_port = usual_port(protocol, security);
            self.warnings.push(ServerWarning::SecurityPortMismatch {
                port,
                security,
                fix: Fix {
                    address: at(port),
                    security: expected,
                },
                alternative: Fix {
                    address: at(other_port),
                    security,
                },
            });
        }
        if !is_usual_port(protocol, port) {
            let usual = usual_port(protocol, security);
            self.warnings.push(ServerWarning::UnusualPort {
                port,
                fix: Fix {
                    address: at(usual),
                    security,
                },
            });
        }
    }
}

/// A one-click correction: put `address` in the field and choose `security`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Normalised `host:port`.
    pub address: String,
    pub security: Security,
}

/// Why a server string cannot be saved. The `code` on the wire is stable snake_case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ServerError {
    /// Nothing but spaces.
    Required,
    /// Spaces inside the address.
    ContainsSpace,
    /// A URL scheme that is not smtp, smtps, imap or imaps (lower-case here).
    UnsupportedScheme {
        scheme: String,
    },
    /// `imap://` or `imaps://` in the SMTP field, or the other way round.
    WrongProtocolScheme {
        scheme: String,
    },
    /// `user@host`: the login belongs to the mailbox, not the server.
    UserPart,
    /// Something after `host:port` other than one trailing `/`.
    Path,
    /// Nothing before the port.
    MissingHost,
    /// A character that no host name has.
    InvalidCharacter {
        character: char,
    },
    /// Two dots in a row, or a dot at the start.
    EmptyLabel,
    /// A label longer than 63 characters (in ASCII form).
    LabelTooLong {
        length: usize,
    },
    /// A label that starts or ends with a hyphen.
    LabelHyphen {
        label: String,
    },
    /// A name longer than 253 characters (in ASCII form).
    NameTooLong {
        length: usize,
    },
    /// A Unicode name that UTS-46 refuses, or a malformed `xn--` label.
    InvalidUnicodeName,
    /// All-digit last label, so an IPv4 address, but not four parts.
    Ipv4WrongPartCount {
        count: usize,
    },
    Ipv4PartNotNumber {
        part: String,
    },
    /// `010.1.1.1`: ambiguous, some programs read it as octal.
    Ipv4LeadingZero {
        part: String,
    },
    Ipv4PartTooBig {
        part: String,
    },
    /// `[fe80::1%eth0]`.
    Ipv6ZoneId,
    InvalidIpv6,
    /// `2001:db8::1:993`: the port cannot be told from the address.
    Ipv6WithoutBrackets,
    /// `fix` is the address with the usual port for the chosen security, when the host is valid.
    MissingPort {
        usual_port: u16,
        security: Security,
        fix: Option<Fix>,
    },
    /// The port is not a number.
    InvalidPort {
        text: String,
    },
    /// 0, or more than 65535.
    PortOutOfRange {
        text: String,
    },
    /// `host:465:587`.
    SecondPort,
}

impl ServerError {
    /// The stable code, the same as the `code` tag in JSON.
    pub const fn code(&self) -> &'static str {
        match self {
            ServerError::Required => "required",
            ServerError::ContainsSpace => "contains_space",
            ServerError::UnsupportedScheme { .. } => "unsupported_scheme",
            ServerError::WrongProtocolScheme { .. } => "wrong_protocol_scheme",
            ServerError::UserPart => "user_part",
            ServerError::Path => "path",
            ServerError::MissingHost => "missing_host",
            ServerError::InvalidCharacter { .. } => "invalid_character",
            ServerError::EmptyLabel => "empty_label",
            ServerError::LabelTooLong { .. } => "label_too_long",
            ServerError::LabelHyphen { .. } => "label_hyphen",
            ServerError::NameTooLong { .. } => "name_too_long",
            ServerError::InvalidUnicodeName => "invalid_unicode_name",
            ServerError::Ipv4WrongPartCount { .. } => "ipv4_wrong_part_count",
            ServerError::Ipv4PartNotNumber { .. } => "ipv4_part_not_number",
            ServerError::Ipv4LeadingZero { .. } => "ipv4_leading_zero",
            ServerError::Ipv4PartTooBig { .. } => "ipv4_part_too_big",
            ServerError::Ipv6ZoneId => "ipv6_zone_id",
            ServerError::InvalidIpv6 => "invalid_ipv6",
            ServerError::Ipv6WithoutBrackets => "ipv6_without_brackets",
            ServerError::MissingPort { .. } => "missing_port",
            ServerError::InvalidPort { .. } => "invalid_port",
            ServerError::PortOutOfRange { .. } => "port_out_of_range",
            ServerError::SecondPort => "second_port",
        }
    }

    /// The one-click correction, where there is one (a missing port).
    pub fn fix(&self) -> Option<&Fix> {
        match self {
            ServerError::MissingPort { fix, .. } => fix.as_ref(),
            _ => None,
        }
    }
}

/// What may be wrong with a valid server string. The `code` on the wire is stable snake_case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ServerWarning {
    /// Security None: the password and mail travel in clear text. The fix keeps the port and
    /// chooses the encryption it is served with (STARTTLS on an unusual port).
    NoEncryption { port: u16, fix: Fix },
    /// A usual port with a security it is not served with (SMTP 465 with STARTTLS). The fix
    /// chooses the port's security; the alternative keeps the security and changes the port.
    SecurityPortMismatch {
        port: u16,
        security: Security,
        fix: Fix,
        alternative: Fix,
    },
    /// Not one of the protocol's usual ports. The fix is the usual port for the chosen security.
    UnusualPort { port: u16, fix: Fix },
}

impl ServerWarning {
    /// The stable code, the same as the `code` tag in JSON.
    pub const fn code(&self) -> &'static str {
        match self {
            ServerWarning::NoEncryption { .. } => "no_encryption",
            ServerWarning::SecurityPortMismatch { .. } => "security_port_mismatch",
            ServerWarning::UnusualPort { .. } => "unusual_port",
        }
    }

    /// The correction the UI offers as one click.
    pub fn fix(&self) -> &Fix {
        match self {
            ServerWarning::NoEncryption { fix, .. }
            | ServerWarning::SecurityPortMismatch { fix, .. }
            | ServerWarning::UnusualPort { fix, .. } => fix,
        }
    }

    /// A second correction, where the user may as well have meant the other thing.
    pub fn alternative(&self) -> Option<&Fix> {
        match self {
            ServerWarning::SecurityPortMismatch { alternative, .. } => Some(alternative),
            _ => None,
        }
    }
}

/// The JSON object printed by `mail-services check-server`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerReport {
    pub valid: bool,
    /// Normalised ASCII host, IPv6 without brackets.
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unicode_host: Option<String>,
    pub port: Option<u16>,
    pub security: Security,
    pub errors: Vec<ReportedError>,
    pub warnings: Vec<ReportedWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedWarning {
    pub code: String,
    pub message: String,
    pub fix: Fix,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<Fix>,
}

impl ServerEndpoint {
    /// Checks a stored or submitted endpoint as if its `host:port` had been typed.
    pub fn check(&self, protocol: Protocol) -> ServerCheck {
        parse_server(protocol, self.security, &self.to_string())
    }
}

/// `host:port`, an IPv6 host in brackets; the same text as `ServerEndpoint`'s `Display`.
fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `scheme://rest`, when the text starts with something shaped like a URL scheme.
fn split_scheme(text: &str) -> (Option<&str>, &str) {
    if let Some((scheme, rest)) = text.split_once("://") {
        let mut chars = scheme.chars();
        if chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return (Some(scheme), rest);
        }
    }
    (None, text)
}

/// The protocol of a mail URL scheme and whether it means TLS from the first byte.
fn url_scheme(scheme: &str) -> Option<(Protocol, bool)> {
    [
        ("smtp", Protocol::Smtp, false),
        ("smtps", Protocol::Smtp, true),
        ("imap", Protocol::Imap, false),
        ("imaps", Protocol::Imap, true),
    ]
    .into_iter()
    .find(|(name, _, _)| scheme.eq_ignore_ascii_case(name))
    .map(|(_, protocol, tls)| (protocol, tls))
}

/// Splits `host:port`, `host`, `[v6]:port` or `[v6]`; the host is parsed, the port only found.
fn split_host_port(
    authority: &str,
) -> Result<(Result<Host, ServerError>, Option<&str>), ServerError> {
    if let Some(after) = authority.strip_prefix('[') {
        let Some(end) = after.find(']') else {
            return Err(ServerError::InvalidIpv6);
        };
        let port = match &after[end + 1..] {
            "" => None,
            tail => Some(tail.strip_prefix(':').ok_or(ServerError::InvalidIpv6)?),
        };
        return Ok((host::parse_ipv6(&after[..end]), port));
    }
    let mut colons = authority.match_indices(':');
    match (colons.next(), colons.next()) {
        (None, _) => Ok((host::parse_name_or_ipv4(authority), None)),
        (Some((colon, _)), None) => Ok((
            host::parse_name_or_ipv4(&authority[..colon]),
            Some(&authority[colon + 1..]),
        )),
        (Some(_), Some(_)) if looks_like_ipv6(authority) => Err(ServerError::Ipv6WithoutBrackets),
        (Some(_), Some(_)) => Err(ServerError::SecondPort),
    }
}

/// Hex digits and colons, with a `::` or eight groups (a zone after `%` aside): not a name with
/// two ports.
fn looks_like_ipv6(text: &str) -> bool {
    let address = text.split_once('%').map_or(text, |(address, _)| address);
    address
        .bytes()
        .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        && (address.contains("::") || address.matches(':').count() >= 7)
}

/// 1–65535; leading zeros are harmless here and dropped.
fn parse_port(text: &str) -> Result<u16, ServerError> {
    if text.contains(':') {
        return Err(ServerError::SecondPort);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ServerError::InvalidPort {
            text: text.to_owned(),
        });
    }
    match text.trim_start_matches('0').parse::<u16>() {
        Ok(port) => Ok(port),
        Err(_) => Err(ServerError::PortOutOfRange {
            text: text.to_owned(),
        }),
    }
}
