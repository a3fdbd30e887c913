//! Validation of a whole service as the Add/Edit dialog submits it (SPEC A2, A3, 4): name and both
//! servers, with per-field errors for `ApiErrorBody.fields`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::address::{ServerCheck, parse_server};
use crate::api::{ApiErrorBody, FieldError};
use crate::messages::{Field, Lang, validation_failed_message};
use crate::service::{Protocol, Security, ServerEndpoint};
use crate::text::{first_control, first_invisible, look_alike_key};

/// The longest service name, in characters. The spec is silent; this keeps the list and the
/// picker readable while fitting any real provider's name.
pub const MAX_NAME_CHARS: usize = 100;

/// The key under which service names must be unique: names that look alike (case, width, spacing,
/// confusable letters such as a Cyrillic `а`) have one key, so "Yandex", " yandex " and "Yаndex"
/// are the same service. See [`look_alike_key`].
pub fn name_key(name: &str) -> String {
    look_alike_key(name.trim())
}

/// The names of a list of services by their [`name_key`], each key computed once: checking every
/// name of a list against all the others is one look-up a name, not a comparison a pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameIndex {
    names: Vec<String>,
    /// Per key, the first position with it and the second if any: enough to find a name other
    /// than the one at any given position.
    by_key: HashMap<String, (usize, Option<usize>)>,
}

impl NameIndex {
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> NameIndex {
        let mut index = NameIndex::default();
        for (position, name) in names.into_iter().enumerate() {
            let name = name.as_ref();
            index
                .by_key
                .entry(name_key(name))
                .and_modify(|(_, second)| {
                    second.get_or_insert(position);
                })
                .or_insert((position, None));
            index.names.push(name.trim().to_owned());
        }
        index
    }

    /// The name, other than the one at `except`, whose key is `key`.
    pub fn named(&self, key: &str, except: Option<usize>) -> Option<&str> {
        let &(first, second) = self.by_key.get(key)?;
        let position = if Some(first) == except {
            second?
        } else {
            first
        };
        Some(&self.names[position])
    }
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
    /// A character that shows nothing or turns the text around (zero-width space, soft hyphen,
    /// byte order mark, right-to-left override): it would make the name pass for another.
    InvisibleCharacter {
        character: char,
    },
    /// Another service has the same name but for case and surrounding spaces; `existing` is its
    /// name as stored.
    Duplicate {
        existing: String,
    },
    /// Another service's name looks the same ([`name_key`]: width, spacing, confusable letters).
    LooksLike {
        existing: String,
    },
}

impl NameError {
    pub const fn code(&self) -> &'static str {
        match self {
            NameError::Required => "required",
            NameError::TooLong { .. } => "too_long",
            NameError::ControlCharacter => "control_character",
            NameError::InvisibleCharacter { .. } => "invisible_character",
            NameError::Duplicate { .. } => "duplicate",
            NameError::LooksLike { .. } => "looks_like",
        }
    }
}

/// Checks a service name against the names of the *other* services (leave the edited service out).
pub fn check_name<'a>(
    name: &str,
    other_names: impl IntoIterator<Item = &'a str>,
) -> Result<String, NameError> {
    check_name_in(name, &NameIndex::new(other_names), None)
}

/// Checks a service name against the names of a list, leaving out the one at `except` (the
/// service itself, when it is in the list).
pub fn check_name_in(
    name: &str,
    others: &NameIndex,
    except: Option<usize>,
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
    if first_control(name).is_some() {
        return Err(NameError::ControlCharacter);
    }
    if let Some(character) = first_invisible(name) {
        return Err(NameError::InvisibleCharacter { character });
    }
    if let Some(existing) = others.named(&name_key(name), except) {
        let existing = existing.to_owned();
        return Err(if existing.to_lowercase() == name.to_lowercase() {
            NameError::Duplicate { existing }
        } else {
            NameError::LooksLike { existing }
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
    check_service_in(draft, &NameIndex::new(other_names), None)
}

/// Checks a draft against the names of a list, leaving out the one at `except` (see
/// [`check_name_in`]).
pub fn check_service_in(
    draft: &ServiceDraft,
    others: &NameIndex,
    except: Option<usize>,
) -> ServiceCheck {
    ServiceCheck {
        name: check_name_in(&draft.name, others, except),
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
