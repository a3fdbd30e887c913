//! The one door to mail servers (SPEC C1): every feature that talks IMAP or SMTP goes through the
//! [`Connector`], which resolves the host itself, judges every address, connects to the judged
//! address, verifies TLS, and bounds each step in time.
//!
//! The host name is used only for TLS (SNI and the certificate check), never to connect, so a DNS
//! answer that changes between the check and the connection cannot slip past the policy.
//! [`check::check_server`] walks the steps of one server and returns them as data.

pub mod check;
mod imap;
pub mod messages;
pub mod policy;
pub mod rate;
pub mod resolve;
mod smtp;
mod stream;
pub mod tls;

use std::path::PathBuf;
use std::time::Duration;

pub use check::{Check, CheckCode, Credentials, Outcome, Step, Target, check_server};
pub use policy::{AddressPolicy, Origin};

/// The operator's connector settings, shared by every command that talks to mail servers.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ConnectorArgs {
    /// Addresses the mail connector may contact beyond the public internet (and private networks
    /// for administrators' services): CIDR networks or addresses, comma-separated, e.g.
    /// `10.8.0.0/16,fd00::/8`. Listed addresses may also use any port for a person's own server.
    #[arg(long, env = "MAIL_SERVICES_MAIL_HOSTS_ALLOW", value_name = "CIDR,…")]
    pub mail_hosts_allow: Option<String>,
    /// A PEM file of CA certificates to trust besides the system bundle (a corporate CA).
    #[arg(long, env = "MAIL_SERVICES_MAIL_CA_FILE", value_name = "PEM")]
    pub mail_ca_file: Option<PathBuf>,
}

/// How long each part of a conversation with a mail server may take (SPEC C1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub step: Duration,
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(5),
            step: Duration::from_secs(10),
            total: Duration::from_secs(30),
        }
    }
}

/// The configured connector: address policy, trusted certificates, resolver and timeouts. Build it
/// once and share it (it is cheap to clone).
#[derive(Clone)]
pub struct Connector {
    pub policy: AddressPolicy,
    pub tls: tls::TlsTrust,
    pub resolver: resolve::Resolver,
    pub timeouts: Timeouts,
}

impl Connector {
    /// The connector from the operator's flags, with the default timeouts.
    pub fn from_args(args: &ConnectorArgs) -> anyhow::Result<Connector> {
        let allow = match &args.mail_hosts_allow {
            Some(text) => policy::parse_allow_list(text)
                .map_err(|e| anyhow::anyhow!("--mail-hosts-allow: {e}"))?,
            None => Vec::new(),
        };
        Ok(Connector {
            policy: AddressPolicy::new(allow),
            tls: tls::TlsTrust::load(args.mail_ca_file.as_deref())?,
            resolver: resolve::Resolver::system(),
            timeouts: Timeouts::default(),
        })
    }
}
