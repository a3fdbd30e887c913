//! The standard email services shipped with the product, with their published IMAP/SMTP settings (SPEC A1).

use crate::service::{Security, ServerEndpoint};

/// A service the product ships; `key` identifies it across renames and releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardService {
    pub key: &'static str,
    pub name: &'static str,
    pub smtp: (&'static str, u16, Security),
    pub imap: (&'static str, u16, Security),
}

impl StandardService {
    pub fn smtp(&self) -> ServerEndpoint {
        ServerEndpoint::new(self.smtp.0, self.smtp.1, self.smtp.2)
    }

    pub fn imap(&self) -> ServerEndpoint {
        ServerEndpoint::new(self.imap.0, self.imap.1, self.imap.2)
    }
}

use Security::{StartTls, Tls};

/// In the order the picker offers them until an administrator reorders.
pub const STANDARD_SERVICES: &[StandardService] = &[
    StandardService {
        key: "gmail",
        name: "Gmail",
        smtp: ("smtp.gmail.com", 465, Tls),
        imap: ("imap.gmail.com", 993, Tls),
    },
    StandardService {
        key: "outlook_com",
        name: "Outlook.com",
        smtp: ("smtp-mail.outlook.com", 587, StartTls),
        imap: ("outlook.office365.com", 993, Tls),
    },
    StandardService {
        key: "office365",
        name: "Office 365",
        smtp: ("smtp.office365.com", 587, StartTls),
        imap: ("outlook.office365.com", 993, Tls),
    },
    StandardService {
        key: "yahoo",
        name: "Yahoo",
        smtp: ("smtp.mail.yahoo.com", 465, Tls),
        imap: ("imap.mail.yahoo.com", 993, Tls),
    },
    StandardService {
        key: "yandex",
        name: "Yandex",
        smtp: ("smtp.yandex.ru", 465, Tls),
        imap: ("imap.yandex.ru", 993, Tls),
    },
    StandardService {
        key: "mail_ru",
        name: "Mail.ru",
        smtp: ("smtp.mail.ru", 465, Tls),
        imap: ("imap.mail.ru", 993, Tls),
    },
    StandardService {
        key: "rambler",
        name: "Rambler",
        smtp: ("smtp.rambler.ru", 465, Tls),
        imap: ("imap.rambler.ru", 993, Tls),
    },
    StandardService {
        key: "icloud",
        name: "iCloud",
        smtp: ("smtp.mail.me.com", 587, StartTls),
        imap: ("imap.mail.me.com", 993, Tls),
    },
    StandardService {
        key: "zoho",
        name: "Zoho",
        smtp: ("smtp.zoho.com", 465, Tls),
        imap: ("imap.zoho.com", 993, Tls),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::Protocol;
    use std::collections::HashSet;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_nine_standard_services_of_spec_a1_are_shipped() {
        let names: Vec<_> = STANDARD_SERVICES.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "Gmail",
                "Outlook.com",
                "Office 365",
                "Yahoo",
                "Yandex",
                "Mail.ru",
                "Rambler",
                "iCloud",
                "Zoho"
            ]
        );
    }

    #[test]
    fn standard_keys_and_names_are_unique() {
        let keys: HashSet<_> = STANDARD_SERVICES.iter().map(|s| s.key).collect();
        let names: HashSet<_> = STANDARD_SERVICES
            .iter()
            .map(|s| s.name.to_lowercase())
            .collect();
        assert_eq!(keys.len(), STANDARD_SERVICES.len());
        assert_eq!(names.len(), STANDARD_SERVICES.len());
    }

    #[test]
    fn standard_services_use_encrypted_usual_ports() {
        for s in STANDARD_SERVICES {
            let smtp = s.smtp();
            let imap = s.imap();
            assert!(
                matches!((smtp.port, smtp.security), (465, Tls) | (587, StartTls)),
                "{}",
                s.name
            );
            assert_eq!((imap.port, imap.security), (993, Tls), "{}", s.name);
        }
    }

    #[test]
    fn standard_services_pass_the_server_checks_without_warnings() {
        for s in STANDARD_SERVICES {
            for (protocol, endpoint) in [(Protocol::Smtp, s.smtp()), (Protocol::Imap, s.imap())] {
                let check = endpoint.check(protocol);
                assert!(
                    check.errors.is_empty() && check.warnings.is_empty(),
                    "{}: {check:?}",
                    s.name
                );
                assert_eq!(check.endpoint(), Some(endpoint));
            }
        }
    }
}
