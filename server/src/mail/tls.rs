//! TLS to mail servers: exactly the system's CA bundle plus the operator's CA file, and each
//! handshake failure told apart (wrong name, unknown issuer, expired, not TLS at all).
//!
//! Only the bundle file is read, not the whole `/etc/ssl/certs` folder: Debian's `ssl-cert` puts a
//! self-signed "snakeoil" certificate for `localhost` there, which must not be trusted.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

use super::stream::Io;

/// The system's bundle of trusted CAs on Debian and its derivatives.
pub const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The trusted roots, in a client configuration built once.
#[derive(Clone)]
pub struct TlsTrust {
    config: Arc<ClientConfig>,
}

/// What went wrong in a TLS handshake, in the terms of the check's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsFailure {
    /// The certificate does not name the host; `presented` are the names it has, when known.
    NameMismatch {
        presented: Vec<String>,
    },
    Untrusted,
    Expired,
    /// The server answered with something that is not TLS (a plain-text greeting).
    NotTls,
    /// Any other failure, in rustls' words.
    Other(String),
}

impl TlsTrust {
    /// The system bundle (when present) and the certificates of `ca_file`.
    pub fn load(ca_file: Option<&Path>) -> anyhow::Result<TlsTrust> {
        let mut roots = RootCertStore::empty();
        if Path::new(SYSTEM_BUNDLE).is_file() {
            let certificates = CertificateDer::pem_file_iter(SYSTEM_BUNDLE)
                .with_context(|| format!("cannot read {SYSTEM_BUNDLE}"))?
                .filter_map(Result::ok);
            roots.add_parsable_certificates(certificates);
        } else {
            tracing::warn!(
                bundle = SYSTEM_BUNDLE,
                "no system CA bundle: only --mail-ca-file is trusted"
            );
        }
        if let Some(file) = ca_file {
            let certificates = CertificateDer::pem_file_iter(file)
                .with_context(|| format!("--mail-ca-file: cannot read {}", file.display()))?
                .collect::<Result<Vec<_>, _>>()
                .with_context(|| format!("--mail-ca-file: {} is not PEM", file.display()))?;
            let (added, _) = roots.add_parsable_certificates(certificates);
            anyhow::ensure!(
                added > 0,
                "--mail-ca-file: {} holds no CA certificate",
                file.display()
            );
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("the TLS provider supports no protocol version")?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(TlsTrust {
            config: Arc::new(config),
        })
    }

    /// The TLS handshake over `io`, verifying the certificate for `host` (a name or an IP address).
    pub async fn handshake(&self, io: Box<dyn Io>, host: &str) -> Result<Box<dyn Io>, TlsFailure> {
        let name = ServerName::try_from(host.to_owned())
            .map_err(|e| TlsFailure::Other(format!("{host:?} is not a TLS server name: {e}")))?;
        match TlsConnector::from(self.config.clone())
            .connect(name, io)
            .await
        {
            Ok(tls) => Ok(Box::new(tls)),
            Err(error) => Err(classify(&error)),
        }
    }
}

fn classify(error: &std::io::Error) -> TlsFailure {
    let Some(tls) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    else {
        return match error.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                TlsFailure::Other("the server closed the connection".to_owned())
            }
            _ => TlsFailure::Other(error.to_string()),
        };
    };
    match tls {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::NotValidForName => TlsFailure::NameMismatch {
                presented: Vec::new(),
            },
            CertificateError::NotValidForNameContext { presented, .. } => {
                TlsFailure::NameMismatch {
                    presented: presented.iter().map(|name| plain_name(name)).collect(),
                }
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                TlsFailure::Expired
            }
            _ => TlsFailure::Untrusted,
        },
        rustls::Error::InvalidMessage(_) => TlsFailure::NotTls,
        other => TlsFailure::Other(other.to_string()),
    }
}

/// rustls writes the presented names as `DnsName("mail.example.com")` or `IpAddress(192.0.2.1)`;
/// a person needs only the name.
fn plain_name(presented: &str) -> String {
    let inner = presented
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or(presented);
    inner.trim_matches('"').to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn presented_names_are_shown_plain() {
        assert_eq!(
            super::plain_name("DnsName(\"mail.other.com\")"),
            "mail.other.com"
        );
        assert_eq!(super::plain_name("IpAddress(192.0.2.1)"), "192.0.2.1");
        assert_eq!(super::plain_name("mail.other.com"), "mail.other.com");
    }
}
