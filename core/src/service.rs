//! Email services and their SMTP/IMAP endpoints (SPEC A1).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The two mail protocols a service is reached by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Smtp,
    Imap,
}

impl Protocol {
    pub const ALL: [Protocol; 2] = [Protocol::Smtp, Protocol::Imap];

    pub const fn label(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
            Protocol::Imap => "IMAP",
        }
    }

    /// The stable code used on the wire: `smtp`, `imap`.
    pub const fn code(self) -> &'static str {
        match self {
            Protocol::Smtp => "smtp",
            Protocol::Imap => "imap",
        }
    }
}

/// A code that names none of the values (command-line flags parse through `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected one of: {}", self.expected.join(", "))
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Protocol {
    type Err = UnknownCode;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Protocol::ALL
            .into_iter()
            .find(|p| code.eq_ignore_ascii_case(p.code()))
            .ok_or(UnknownCode {
                expected: &["smtp", "imap"],
            })
    }
}

impl FromStr for Security {
    type Err = UnknownCode;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Security::from_code(&code.to_ascii_lowercase()).ok_or(UnknownCode {
            expected: &["none", "starttls", "tls"],
        })
    }
}

/// Connection security ("Защита соединения"): none, STARTTLS upgrade, or TLS from the first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Security {
    None,
    #[serde(rename = "starttls")]
    StartTls,
    Tls,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::None, Security::StartTls, Security::Tls];

    /// The stable code used on the wire and in the database.
    pub const fn code(self) -> &'static str {
        match self {
            Security::None => "none",
            Security::StartTls => "starttls",
            Security::Tls => "tls",
        }
    }

    pub fn from_code(code: &str) -> Option<Security> {
        Security::ALL.into_iter().find(|s| s.code() == code)
    }

    /// How the UI names it.
    pub const fn label(self) -> &'static str {
        match self {
            Security::None => "None",
            Security::StartTls => "STARTTLS",
            Security::Tls => "TLS",
        }
    }
}

/// Where one protocol of a service is reached: an already normalised host, a port and the security.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerEndpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl ServerEndpoint {
    pub fn new(host: impl Into<String>, port: u16, security: Security) -> Self {
        Self {
            host: host.into(),
            port,
            security,
        }
    }
}

/// `host:port`, with an IPv6 host in brackets so the port stays unambiguous.
impl fmt::Display for ServerEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

pub type ServiceId = i64;

/// Shipped with the product, or added by the organisation's administrators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    Standard,
    Corporate,
}

/// One row of "Email service settings".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailService {
    pub id: ServiceId,
    pub name: String,
    pub kind: ServiceKind,
    pub smtp: ServerEndpoint,
    pub imap: ServerEndpoint,
    /// Hidden services are not offered to users for new connections (SPEC A5).
    pub hidden: bool,
    /// The administrator's order; the picker lists services in it.
    pub position: i64,
    /// How many mailboxes are connected through this service (SPEC A1).
    pub mailbox_count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn endpoint_displays_as_host_colon_port() {
        let e = ServerEndpoint::new("smtp.gmail.com", 465, Security::Tls);
        assert_eq!(e.to_string(), "smtp.gmail.com:465");
    }

    #[test]
    fn ipv6_endpoint_displays_in_brackets() {
        let e = ServerEndpoint::new("2001:db8::1", 993, Security::Tls);
        assert_eq!(e.to_string(), "[2001:db8::1]:993");
    }

    #[test]
    fn security_codes_round_trip_and_match_serde() {
        for s in Security::ALL {
            assert_eq!(Security::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(Security::from_code("ssl"), None);
    }

    #[test]
    fn protocol_and_security_parse_from_their_codes_ignoring_case() {
        assert_eq!("IMAP".parse::<Protocol>(), Ok(Protocol::Imap));
        assert_eq!("StartTLS".parse::<Security>(), Ok(Security::StartTls));
        assert_eq!(
            "ssl".parse::<Security>().unwrap_err().to_string(),
            "expected one of: none, starttls, tls"
        );
        for p in Protocol::ALL {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.code())
            );
        }
    }
}
