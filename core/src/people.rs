//! What the people who sign in type about themselves: bounds and characters of logins, display names
//! and passwords (issue 13, items 7 and 9), for signing in and for `mail-services user add`.

use crate::api::FieldError;
use crate::mailbox::MAX_PASSWORD_CHARS;
use crate::messages::Lang;
use crate::text::{first_control, first_invisible};

/// The longest login, in characters: an email address is at most 254, and a login can be one.
pub const MAX_LOGIN_CHARS: usize = 254;
/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 200;

/// What is wrong with a login, display name or password. The field and code on the wire are
/// stable; the messages are in `messages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonError {
    LoginRequired,
    LoginTooLong {
        max: usize,
    },
    /// Spaces, line breaks, NUL and other control characters: a login is one word.
    LoginContainsSpace,
    LoginInvisibleCharacter {
        character: char,
    },
    DisplayNameTooLong {
        max: usize,
    },
    DisplayNameControlCharacter,
    DisplayNameInvisibleCharacter {
        character: char,
    },
    PasswordTooLong {
        max: usize,
    },
    PasswordControlCharacter,
}

impl PersonError {
    /// The field's name in `ApiErrorBody.fields`.
    pub const fn field(self) -> &'static str {
        match self {
            PersonError::LoginRequired
            | PersonError::LoginTooLong { .. }
            | PersonError::LoginContainsSpace
            | PersonError::LoginInvisibleCharacter { .. } => "login",
            PersonError::DisplayNameTooLong { .. }
            | PersonError::DisplayNameControlCharacter
            | PersonError::DisplayNameInvisibleCharacter { .. } => "display_name",
            PersonError::PasswordTooLong { .. } | PersonError::PasswordControlCharacter => {
                "password"
            }
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            PersonError::LoginRequired => "required",
            PersonError::LoginTooLong { .. }
            | PersonError::DisplayNameTooLong { .. }
            | PersonError::PasswordTooLong { .. } => "too_long",
            PersonError::LoginContainsSpace => "contains_space",
            PersonError::DisplayNameControlCharacter | PersonError::PasswordControlCharacter => {
                "control_character"
            }
            PersonError::LoginInvisibleCharacter { .. }
            | PersonError::DisplayNameInvisibleCharacter { .. } => "invisible_character",
        }
    }

    /// The error beside its field, in `lang`.
    pub fn field_error(self, lang: Lang) -> FieldError {
        FieldError {
            field: self.field().to_owned(),
            code: self.code().to_owned(),
            message: self.message(lang),
        }
    }
}

fn check_login(login: &str) -> Option<PersonError> {
    let login = login.trim();
    if login.is_empty() {
        Some(PersonError::LoginRequired)
    } else if login.chars().count() > MAX_LOGIN_CHARS {
        Some(PersonError::LoginTooLong {
            max: MAX_LOGIN_CHARS,
        })
    } else if login.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some(PersonError::LoginContainsSpace)
    } else {
        first_invisible(login).map(|character| PersonError::LoginInvisibleCharacter { character })
    }
}

fn check_password(password: &str) -> Option<PersonError> {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        Some(PersonError::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else if first_control(password).is_some() {
        Some(PersonError::PasswordControlCharacter)
    } else {
        None
    }
}

/// What the server refuses before judging a sign-in (`POST /api/session`): a login or password no
/// account can have, so that neither megabytes nor a NUL byte reach the password hash or the
/// database. An empty login is left to the ordinary "wrong login or password".
pub fn check_sign_in(login: &str, password: &str) -> Vec<PersonError> {
    let login_error = check_login(login).filter(|e| *e != PersonError::LoginRequired);
    login_error
        .into_iter()
        .chain(check_password(password))
        .collect()
}

/// What `mail-services user add` refuses: at most one error for each of login, display name and
/// password, in that order. (The password's minimum length is the server's rule.)
pub fn check_new_person(login: &str, display_name: &str, password: &str) -> Vec<PersonError> {
    let display_name = display_name.trim();
    let display_name_error = if display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        Some(PersonError::DisplayNameTooLong {
            max: MAX_DISPLAY_NAME_CHARS,
        })
    } else if first_control(display_name).is_some() {
        Some(PersonError::DisplayNameControlCharacter)
    } else {
        first_invisible(display_name)
            .map(|character| PersonError::DisplayNameInvisibleCharacter { character })
    };
    check_login(login)
        .into_iter()
        .chain(display_name_error)
        .chain(check_password(password))
        .collect()
}
