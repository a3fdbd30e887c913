//! A user's mailbox connections and their business-process sending preference (SPEC U2–U5).

use serde::{Deserialize, Serialize};

use crate::service::{ServerEndpoint, ServiceId};
use crate::text::{first_control, first_invisible, is_control, look_alike_key};

pub type MailboxId = i64;

/// The longest mailbox address or login accepted, in characters (an email address is at most 254).
pub const MAX_ADDRESS_CHARS: usize = 254;
/// The longest mailbox password accepted, in characters.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// What is wrong with the mailbox address (or login) and password entered to connect a mailbox
/// (SPEC U2). The field and code on the wire are stable; the messages are in `messages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialError {
    AddressRequired,
    AddressTooLong {
        max: usize,
    },
    /// Spaces, line breaks or other control characters inside the address.
    AddressContainsSpace,
    /// A character that shows nothing or turns the text around (zero-width space, right-to-left
    /// override): the address would pass for another one.
    AddressInvisibleCharacter {
        character: char,
    },
    PasswordRequired,
    PasswordTooLong {
        max: usize,
    },
    /// NUL, line breaks and other control characters cannot be typed into a password field.
    PasswordControlCharacter,
}

impl CredentialError {
    /// The field's name in `ApiErrorBody.fields`.
    pub const fn field(self) -> &'static str {
        match self {
            CredentialError::AddressRequired
            | CredentialError::AddressTooLong { .. }
            | CredentialError::AddressContainsSpace
            | CredentialError::AddressInvisibleCharacter { .. } => "address",
            CredentialError::PasswordRequired
            | CredentialError::PasswordTooLong { .. }
            | CredentialError::PasswordControlCharacter => "password",
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            CredentialError::AddressRequired | CredentialError::PasswordRequired => "required",
            CredentialError::AddressTooLong { .. } | CredentialError::PasswordTooLong { .. } => {
                "too_long"
            }
            CredentialError::AddressContainsSpace => "contains_space",
            CredentialError::AddressInvisibleCharacter { .. } => "invisible_character",
            CredentialError::PasswordControlCharacter => "control_character",
        }
    }
}

/// At most one error for the address (judged trimmed) and one for the password, in that order.
pub fn check_credentials(address: &str, password: &str) -> Vec<CredentialError> {
    let address = address.trim();
    let address_error = if address.is_empty() {
        Some(CredentialError::AddressRequired)
    } else if address.chars().count() > MAX_ADDRESS_CHARS {
        Some(CredentialError::AddressTooLong {
            max: MAX_ADDRESS_CHARS,
        })
    } else if address.chars().any(|c| c.is_whitespace() || is_control(c)) {
        Some(CredentialError::AddressContainsSpace)
    } else {
        first_invisible(address)
            .map(|character| CredentialError::AddressInvisibleCharacter { character })
    };
    let password_error = if password.is_empty() {
        Some(CredentialError::PasswordRequired)
    } else if password.chars().count() > MAX_PASSWORD_CHARS {
        Some(CredentialError::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else if first_control(password).is_some() {
        Some(CredentialError::PasswordControlCharacter)
    } else {
        None
    };
    address_error.into_iter().chain(password_error).collect()
}

/// The key under which one person's mailbox addresses must be unique: addresses that look alike
/// (case, width, a Cyrillic `а` for a Latin `a`) are one mailbox. See [`look_alike_key`].
pub fn address_key(address: &str) -> String {
    look_alike_key(address.trim())
}

/// One mailbox a user connected, as "My mailboxes" lists it. The password is write-only: only
/// whether one is stored ever leaves the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailboxConnection {
    pub id: MailboxId,
    /// The mailbox address or login the user entered.
    pub address: String,
    pub server: MailboxServer,
    pub status: MailboxStatus,
    pub has_password: bool,
}

/// Through which servers a mailbox is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MailboxServer {
    /// A service from the administrator's list; it picks up the service's current endpoints
    /// (SPEC A3). `name` is kept so the record still reads well once the service is deleted.
    Service { id: ServiceId, name: String },
    /// "Other": servers the user entered (SPEC U3).
    Manual {
        smtp: ServerEndpoint,
        imap: ServerEndpoint,
    },
}

/// Whether a connection can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MailboxStatus {
    Active,
    /// Disconnected because the administrator deleted its service (SPEC A4); the record and any
    /// mail already received stay, and the owner is notified.
    ServerDeleted,
}

impl MailboxStatus {
    pub const fn code(self) -> &'static str {
        match self {
            MailboxStatus::Active => "active",
            MailboxStatus::ServerDeleted => "server_deleted",
        }
    }

    pub fn from_code(code: &str) -> Option<MailboxStatus> {
        [MailboxStatus::Active, MailboxStatus::ServerDeleted]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A user's own choice about business processes sending mail from their address (SPEC U5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BusinessProcessPreference {
    /// Follow the company setting (SPEC A7).
    #[default]
    Inherit,
    Allow,
    Deny,
}

impl BusinessProcessPreference {
    pub const ALL: [BusinessProcessPreference; 3] = [
        BusinessProcessPreference::Inherit,
        BusinessProcessPreference::Allow,
        BusinessProcessPreference::Deny,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            BusinessProcessPreference::Inherit => "inherit",
            BusinessProcessPreference::Allow => "allow",
            BusinessProcessPreference::Deny => "deny",
        }
    }

    pub fn from_code(code: &str) -> Option<BusinessProcessPreference> {
        BusinessProcessPreference::ALL
            .into_iter()
            .find(|p| p.code() == code)
    }

    /// Whether business processes may send from this user's mailboxes, given the company setting.
    pub const fn allows(self, company_allows: bool) -> bool {
        match self {
            BusinessProcessPreference::Inherit => company_allows,
            BusinessProcessPreference::Allow => true,
            BusinessProcessPreference::Deny => false,
        }
    }
}
