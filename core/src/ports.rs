//! Which ports and which connection security go together for SMTP and IMAP (SPEC 4).
//!
//! SMTP: 465 = TLS, 587 = STARTTLS, 25 = None or STARTTLS.
//! IMAP: 993 = TLS, 143 = None or STARTTLS.

use crate::service::{Protocol, Security};

/// The ports a protocol is usually served on, most common first.
pub const fn usual_ports(protocol: Protocol) -> &'static [u16] {
    match protocol {
        Protocol::Smtp => &[465, 587, 25],
        Protocol::Imap => &[993, 143],
    }
}

pub fn is_usual_port(protocol: Protocol, port: u16) -> bool {
    usual_ports(protocol).contains(&port)
}

/// The port a mail client picks for a security, e.g. when the port is missing.
///
/// SMTP with STARTTLS is the submission port 587 rather than 25, which is for server-to-server
/// relay and blocked by many networks.
pub const fn usual_port(protocol: Protocol, security: Security) -> u16 {
    match (protocol, security) {
        (Protocol::Smtp, Security::None) => 25,
        (Protocol::Smtp, Security::StartTls) => 587,
        (Protocol::Smtp, Security::Tls) => 465,
        (Protocol::Imap, Security::None | Security::StartTls) => 143,
        (Protocol::Imap, Security::Tls) => 993,
    }
}

/// Whether a security is the one (or one of those) a usual port is served with. Any security
/// fits an unusual port: nothing is known about it.
pub fn security_fits_port(protocol: Protocol, port: u16, security: Security) -> bool {
    match (protocol, port) {
        (Protocol::Smtp, 465) | (Protocol::Imap, 993) => security == Security::Tls,
        (Protocol::Smtp, 587) => security == Security::StartTls,
        (Protocol::Smtp, 25) | (Protocol::Imap, 143) => security != Security::Tls,
        _ => true,
    }
}

/// The encrypted security a usual port is served with: TLS on 465 and 993, STARTTLS on 25, 587
/// and 143. `None` for an unusual port.
pub fn encrypted_security_for_port(protocol: Protocol, port: u16) -> Option<Security> {
    match (protocol, port) {
        (Protocol::Smtp, 465) | (Protocol::Imap, 993) => Some(Security::Tls),
        (Protocol::Smtp, 25 | 587) | (Protocol::Imap, 143) => Some(Security::StartTls),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_usual_port_of_every_security_is_usual_and_fits_it() {
        for protocol in [Protocol::Smtp, Protocol::Imap] {
            for security in Security::ALL {
                let port = usual_port(protocol, security);
                assert!(is_usual_port(protocol, port), "{protocol:?} {security:?}");
                assert!(
                    security_fits_port(protocol, port, security),
                    "{protocol:?} {security:?}"
                );
            }
        }
    }

    #[test]
    fn the_encrypted_security_of_a_usual_port_fits_it() {
        for protocol in [Protocol::Smtp, Protocol::Imap] {
            for &port in usual_ports(protocol) {
                let security = encrypted_security_for_port(protocol, port).unwrap();
                assert_ne!(security, Security::None);
                assert!(security_fits_port(protocol, port, security));
            }
        }
    }
}
