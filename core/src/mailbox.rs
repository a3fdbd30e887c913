//! A user's mailbox connections and their business-process sending preference (SPEC U2–U5).

use serde::{Deserialize, Serialize};

use crate::service::{ServerEndpoint, ServiceId};

pub type MailboxId = i64;

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
