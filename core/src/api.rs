//! The JSON bodies the server and the browser exchange.

use serde::{Deserialize, Serialize};

use crate::mailbox::BusinessProcessPreference;
use crate::service::{MailService, ServiceId};
use crate::validation::{ServerInput, ServiceDraft};

/// Everything on the "Email service settings" page, saved as one document (SPEC A8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsDocument {
    /// Bumped by every save; a save must name the version it started from.
    pub version: i64,
    /// "Allow entering details of the mail server manually" (SPEC A6).
    pub allow_manual_entry: bool,
    /// Whether business processes may send mail from users' personal addresses (SPEC A7).
    pub business_process_sending: bool,
    /// In the administrator's order.
    pub services: Vec<MailService>,
}

/// The one error body of the whole API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// Stable snake_case code, e.g. `not_found`, `validation_failed`.
    pub code: String,
    /// A sentence for people, saying what went wrong and how to fix it: in English, or in Russian
    /// when the request's `Accept-Language` prefers it.
    pub message: String,
    /// Per-field problems, so the app can show each beside its field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Path of the field, e.g. `services[2].smtp`.
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ApiErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

/// A password on its way in: write-only, never printed by `Debug`, never serialised back out by
/// the server (the server only says whether one is stored).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Password))]
#[serde(transparent)]
pub struct Password(String);

impl Password {
    pub fn new(password: impl Into<String>) -> Self {
        Password(password.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

pub type UserId = i64;

/// What a signed-in person may do (SPEC section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    User,
}

impl Role {
    pub const fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        [Role::Admin, Role::User]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// The signed-in person: `GET /api/session`, and the answer to signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

/// `POST /api/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// An empty login is only a wrong one (401); a longer one than any account can have is 422.
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub login: String,
    pub password: Password,
}

/// `PUT /api/admin/settings` with `If-Match: "<version>"`: the whole page as the administrator
/// wants it (SPEC A8). Services are listed in the wanted order; a saved corporate service missing
/// from the list is deleted (SPEC A4); every standard service must be listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsUpdate {
    pub allow_manual_entry: bool,
    pub business_process_sending: bool,
    pub services: Vec<ServiceUpdate>,
}

/// One service in a [`SettingsUpdate`]. Standard services can only be hidden or shown, so that is
/// all their variant carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServiceUpdate {
    Standard {
        id: ServiceId,
        hidden: bool,
    },
    /// `id` is `None` for a service added on the page (SPEC A2), set for an edited one (SPEC A3).
    Corporate {
        id: Option<ServiceId>,
        draft: ServiceDraft,
        hidden: bool,
    },
}

/// `GET /api/admin/services/{id}/mailboxes`: whose mailboxes use a service, for the delete
/// confirmation (SPEC A4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceUsage {
    pub service_id: ServiceId,
    pub mailboxes: Vec<ServiceMailbox>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceMailbox {
    pub user_display_name: String,
    pub user_login: String,
    pub address: String,
}

/// `GET /api/mail/picker`: what a user may connect a new mailbox through (SPEC U1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Picker {
    /// Services that are not hidden, in the administrator's order.
    pub services: Vec<PickerService>,
    /// Whether "Other" (servers entered by hand) is offered (SPEC A6).
    pub other_allowed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickerService {
    pub id: ServiceId,
    pub name: String,
}

/// `POST /api/mail/mailboxes` (SPEC U2, U3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectMailbox {
    /// The mailbox address or login: at most [`crate::MAX_ADDRESS_CHARS`] characters, judged
    /// without the white space around it.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 254))]
    pub address: String,
    /// At most [`crate::MAX_PASSWORD_CHARS`] characters.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Password, min_length = 1, max_length = 1024)
    )]
    pub password: Password,
    pub server: ConnectThrough,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectThrough {
    /// A service from the picker.
    Service { id: ServiceId },
    /// "Other": servers typed by the user, judged like the admin dialog's.
    Manual {
        smtp: ServerInput,
        imap: ServerInput,
    },
}

/// `GET`/`PUT /api/mail/business-process-sending` (SPEC U5, A7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessProcessSending {
    pub preference: BusinessProcessPreference,
    /// The company setting, read-only here.
    pub company_allows: bool,
    /// What is in effect for this user.
    pub effective: bool,
}

/// The body of `PUT /api/mail/business-process-sending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetBusinessProcessPreference {
    pub preference: BusinessProcessPreference,
}

/// `GET /api/admin/sign-in-lockouts`: a login or a client whose next sign-in attempt is refused
/// for a while after failed ones; the administrator can clear it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignInLockout {
    /// The person's login when the attempts named one; `None` for a login nobody has, or for a
    /// lock-out of the client over all logins.
    pub login: Option<String>,
    /// Names the login in `DELETE`; `None` when the client is locked out whatever the login.
    pub login_hash: Option<String>,
    /// The client's address (an IPv6 client by its /64), or `unknown`.
    pub client: String,
    /// Failed attempts within the window.
    pub failures: i64,
    /// Unix time (seconds) by which the lock-out ends at the latest.
    pub locked_until: i64,
}
