//! Validation of a whole service as the Add/Edit dialog submits it (SPEC A2, A3, 4): name and both
//! servers, with per-field errors for `ApiErrorBody.fields`.

use serde::{Deserialize, Serialize};

use crate::address::{ServerCheck, parse_server};
use crate::api::{ApiErrorBody, FieldError};
use crate::messages::{Field, Lang, validation_failed_message};
use crate::service::{Protocol, Security, ServerEndpoint};

/// The longest service name, in characters. The spec is silent; this keeps the list and the
/// picker readable while fitting any real provider's name.
pub const MAX_NAME_CHARS: usize = 100;

/// The folded form under which service names must be unique: trimmed and lower-cased, so
/// "Yandex" and " yandex " are the same service.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A server field as typed, with the security chosen beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerInput {
    /// `host:port`, or a pasted `imaps://…` URL.
    pub address: String,
    pub security: Security,
}

impl From<&ServerEndpoint> for ServerInput {
    fn from(endpoint: &ServerEndpoint) -> Self {
        ServerInput {
            address: endpoint.to_string(),
            security: endpoint.security,
        }
    }
}

/// What the Add/Edit service dialog submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceDraft {
    /// At most [`MAX_NAME_CHARS`] characters, judged without the white space around it.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub smtp: ServerInput,
    pub imap: ServerInput,
}

/// A service that passed [`validate_service`]: trimmed name, normalised endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidService {
    pub name: String,
    pub smtp: ServerEndpoint,
    pub imap: ServerEndpoint,
}

/// Why a service name cannot be saved. The `code` on the wire is stable snake_case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum NameError {
    Required,
    TooLong {
        max: usize,
    },
    /// Line breaks, tabs and the like inside the name.
    ControlCharacter,
    /// Another service has the same [`name_key`]; `existing` is its name as stored.
    Duplicate {
        existing: String,
    },
}

impl NameError {
    pub const fn code(&self) -> &'static str {
        match self {
            NameError::Required => "required",
            NameError::TooLong { .. } => "too_long",
            NameError::ControlCharacter => "control_character",
            NameError::Duplicate { .. } => "duplicate",
        }
    }
}

/// Checks a service name against the names of the *other* services (leave the edited service out).
pub fn check_name<'a>(
    name: &str,
    other_names: impl IntoIterator<Item = &'a str>,
) -> Result<String, NameError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NameError::Required);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong {
            max: MAX_NAME_CHARS,
        });
    }
    if name.chars().any(char::is_control) {
        return Err(NameError::ControlCharacter);
    }
    let key = name_key(name);
    if let Some(existing) = other_names.into_iter().find(|other| name_key(other) == key) {
        return Err(NameError::Duplicate {
            existing: existing.trim().to_owned(),
        });
    }
    Ok(name.to_owned())
}

/// Everything the dialog shows for one draft: the name's error and each server's check (with its
/// warnings, which do not block saving).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCheck {
    pub name: Result<String, NameError>,
    pub smtp: ServerCheck,
    pub imap: ServerCheck,
}

/// Checks a draft; `other_names` are the names of the other services.
pub fn check_service<'a>(
    draft: &ServiceDraft,
    other_names: impl IntoIterator<Item = &'a str>,
) -> ServiceCheck {
    ServiceCheck {
        name: check_name(&draft.name, other_names),
        smtp: parse_server(Protocol::Smtp, draft.smtp.security, &draft.smtp.address),
        imap: parse_server(Protocol::Imap, draft.imap.security, &draft.imap.address),
    }
}

impl ServiceCheck {
    pub fn is_valid(&self) -> bool {
        self.name.is_ok() && self.smtp.is_valid() && self.imap.is_valid()
    }

    /// One entry per error, with field `name`, `smtp` or `imap`, in the form's order.
    pub fn field_errors(&self, lang: Lang) -> Vec<FieldError> {
        let mut fields = Vec::new();
        if let Err(error) = &self.name {
            fields.push(FieldError {
                field: Field::Name.code().to_owned(),
                code: error.code().to_owned(),
                message: error.message(lang),
            });
        }
        for check in [&self.smtp, &self.imap] {
            fields.extend(check.errors.iter().map(|error| FieldError {
                field: Field::server(check.protocol).code().to_owned(),
                code: error.code().to_owned(),
                message: error.message(lang, check.protocol),
            }));
        }
        fields
    }

    /// The service to save, or the 422 body.
    pub fn into_result(self, lang: Lang) -> Result<ValidService, ApiErrorBody> {
        match (&self.name, self.smtp.endpoint(), self.imap.endpoint()) {
            (Ok(name), Some(smtp), Some(imap)) => Ok(ValidService {
                name: name.clone(),
                smtp,
                imap,
            }),
            _ => Err(ApiErrorBody::validation_failed(
                lang,
                self.field_errors(lang),
            )),
        }
    }
}

/// What the server calls before saving a service: the valid service, or the 422 body with one
/// field error per problem.
pub fn validate_service<'a>(
    draft: &ServiceDraft,
    other_names: impl IntoIterator<Item = &'a str>,
    lang: Lang,
) -> Result<ValidService, ApiErrorBody> {
    check_service(draft, other_names).into_result(lang)
}

impl ApiErrorBody {
    /// The 422 body: code `validation_failed` and the per-field errors.
    pub fn validation_failed(lang: Lang, fields: Vec<FieldError>) -> Self {
        ApiErrorBody {
            code: "validation_failed".to_owned(),
            message: validation_failed_message(lang).to_owned(),
            fields,
        }
    }
}
