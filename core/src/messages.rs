//! Every sentence a person reads about invalid input, in English and Russian: each names its field
//! and says how to fix the problem.
//!
//! The texts live here, together, so they can be reviewed and translated in one place; the codes
//! beside them (in `address` and `validation`) are what programs match on.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::address::{Fix, ServerError, ServerWarning};
use crate::host::{MAX_LABEL_LENGTH, MAX_NAME_LENGTH};
use crate::mailbox::CredentialError;
use crate::people::PersonError;
use crate::plural::Counted;
use crate::ports::usual_ports;
use crate::service::{Protocol, Security};
use crate::text::is_invisible;
use crate::validation::NameError;

/// The interface language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| code.eq_ignore_ascii_case(l.code()))
    }

    /// The preferred of English and Russian in an `Accept-Language` header; English when neither
    /// is named.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best = (Lang::En, 0.0_f32);
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            let Some(lang) = Lang::from_code(primary) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0));
            if quality > best.1 {
                best = (lang, quality);
            }
        }
        best.0
    }
}

impl std::str::FromStr for Lang {
    type Err = crate::service::UnknownCode;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Lang::from_code(code).ok_or(crate::service::UnknownCode {
            expected: &["en", "ru"],
        })
    }
}

/// An input of the service dialog (or of the user's "Other" server form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Name,
    Smtp,
    Imap,
}

impl Field {
    pub const fn server(protocol: Protocol) -> Field {
        match protocol {
            Protocol::Smtp => Field::Smtp,
            Protocol::Imap => Field::Imap,
        }
    }

    /// The field's name in `ApiErrorBody.fields`.
    pub const fn code(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Smtp => "smtp",
            Field::Imap => "imap",
        }
    }

    /// How the form labels the field.
    pub const fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Field::Name, Lang::En) => "Name",
            (Field::Name, Lang::Ru) => "Название",
            (Field::Smtp, Lang::En) => "SMTP server",
            (Field::Smtp, Lang::Ru) => "SMTP сервер",
            (Field::Imap, Lang::En) => "IMAP server",
            (Field::Imap, Lang::Ru) => "IMAP сервер",
        }
    }
}

impl Security {
    /// How the "Connection security" / "Защита соединения" control names the choice.
    pub const fn label_in(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Security::None, Lang::Ru) => "Нет",
            (security, _) => security.label(),
        }
    }
}

/// "Connection security" / "Защита соединения": the control beside each server field.
pub const fn security_control_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Connection security",
        Lang::Ru => "Защита соединения",
    }
}

/// The top-level message of a 422 answer whose details are per field.
pub const fn validation_failed_message(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Some fields need correcting: see the message beside each.",
        Lang::Ru => "Исправьте поля, отмеченные ниже: пояснение — рядом с каждым.",
    }
}

fn example(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Smtp => "smtp.example.com:465",
        Protocol::Imap => "imap.example.com:993",
    }
}

/// A character as a person can read it: control and invisible characters by code point.
fn shown(character: char, lang: Lang) -> String {
    if character.is_control() || character.is_whitespace() || is_invisible(character) {
        format!("U+{:04X}", u32::from(character))
    } else {
        quoted(&character.to_string(), lang)
    }
}

/// Echoed input or a name, in the language's quotation marks: “…” or «…».
pub fn quoted(text: &str, lang: Lang) -> String {
    // Echoed input is cut short: a message is a sentence, not a copy of a pasted page.
    const MAX: usize = 40;
    let mut cut: String = text.chars().take(MAX).collect();
    if text.chars().nth(MAX).is_some() {
        cut.push('…');
    }
    match lang {
        Lang::En => format!("“{cut}”"),
        Lang::Ru => format!("«{cut}»"),
    }
}

/// "64 characters long", "длиной 64 символа".
const CHARACTERS: Counted = Counted {
    en: ["character", "characters"],
    ru: ["символ", "символа", "символов"],
};

/// After "at most": "не более 254 символов", "до 21 символа" (the genitive in Russian).
const AT_MOST_CHARACTERS: Counted = Counted {
    en: ["character", "characters"],
    ru: ["символа", "символов", "символов"],
};

/// A length in characters; `usize` always fits in `u64` on the targets this crate is built for.
fn characters(length: usize, forms: &Counted, lang: Lang) -> String {
    forms.count(length as u64, lang)
}

fn port_list(protocol: Protocol) -> String {
    let mut list = String::new();
    for (i, port) in usual_ports(protocol).iter().enumerate() {
        if i > 0 {
            list.push_str(", ");
        }
        let _ = write!(list, "{port}");
    }
    list
}

impl ServerError {
    /// A sentence naming the field (from the protocol) and saying how to fix the address.
    pub fn message(&self, lang: Lang, protocol: Protocol) -> String {
        let field = Field::server(protocol).label(lang);
        let ex = example(protocol);
        let p = protocol.label();
        let other = match protocol {
            Protocol::Smtp => Protocol::Imap.label(),
            Protocol::Imap => Protocol::Smtp.label(),
        };
        let text = match (self, lang) {
            (ServerError::Required, Lang::En) => format!("enter the server address as host:port, for example {ex}."),
            (ServerError::Required, Lang::Ru) => format!("укажите адрес сервера в виде хост:порт, например {ex}."),
            (ServerError::ContainsSpace, Lang::En) => {
                format!("remove the spaces inside the address and enter it as host:port, for example {ex}.")
            }
            (ServerError::ContainsSpace, Lang::Ru) => {
                format!("уберите пробелы внутри адреса и введите его в виде хост:порт, например {ex}.")
            }
            (ServerError::UnsupportedScheme { scheme }, Lang::En) => format!(
                "{} is not a mail server address. Enter host:port, for example {ex}.",
                quoted(&format!("{scheme}://"), lang)
            ),
            (ServerError::UnsupportedScheme { scheme }, Lang::Ru) => format!(
                "{} — это не адрес почтового сервера. Введите хост:порт, например {ex}.",
                quoted(&format!("{scheme}://"), lang)
            ),
            (ServerError::WrongProtocolScheme { scheme }, Lang::En) => format!(
                "{} is the address of an {other} server. Enter the {p} server here, for example {ex}.",
                quoted(&format!("{scheme}://"), lang)
            ),
            (ServerError::WrongProtocolScheme { scheme }, Lang::Ru) => format!(
                "{} — адрес {other}-сервера, а здесь нужен {p}-сервер. Введите его адрес, например {ex}.",
                quoted(&format!("{scheme}://"), lang)
            ),
            (ServerError::UserPart, Lang::En) => format!(
                "remove the user name and “@”: enter only host:port, for example {ex}. The login is asked for when a mailbox is connected."
            ),
            (ServerError::UserPart, Lang::Ru) => format!(
                "уберите имя пользователя и «@»: укажите только хост:порт, например {ex}. Логин вводится при подключении почтового ящика."
            ),
            (ServerError::Path, Lang::En) => {
                format!("remove everything after the port (such as “/inbox”): enter only host:port, for example {ex}.")
            }
            (ServerError::Path, Lang::Ru) => {
                format!("уберите всё, что стоит после порта (например, «/inbox»): укажите только хост:порт, например {ex}.")
            }
            (ServerError::MissingHost, Lang::En) => {
                format!("the server name is missing. Enter it before the port, for example {ex}.")
            }
            (ServerError::MissingHost, Lang::Ru) => {
                format!("не указано имя сервера. Введите его перед портом, например {ex}.")
            }
            (ServerError::InvalidCharacter { character }, Lang::En) => format!(
                "{} cannot be part of a server name. Use only letters, digits, hyphens and dots, as in {ex}.",
                shown(*character, lang)
            ),
            (ServerError::InvalidCharacter { character }, Lang::Ru) => format!(
                "символ {} недопустим в имени сервера. Используйте только буквы, цифры, дефисы и точки, как в {ex}.",
                shown(*character, lang)
            ),
            (ServerError::EmptyLabel, Lang::En) => {
                "the server name has two dots in a row or starts with a dot. Remove the extra dot.".to_owned()
            }
            (ServerError::EmptyLabel, Lang::Ru) => {
                "в имени сервера две точки подряд или точка в начале. Уберите лишнюю точку.".to_owned()
            }
            (ServerError::LabelTooLong { length }, Lang::En) => format!(
                "a part of the server name between dots is {} long (international names are counted in their xn-- form); at most {MAX_LABEL_LENGTH} are allowed. Check the name for a missing dot.",
                characters(*length, &CHARACTERS, lang)
            ),
            (ServerError::LabelTooLong { length }, Lang::Ru) => format!(
                "часть имени сервера между точками длиной {} (международные имена считаются в форме xn--), а допускается не более {MAX_LABEL_LENGTH}. Проверьте, не пропущена ли точка.",
                characters(*length, &CHARACTERS, lang)
            ),
            (ServerError::LabelHyphen { label }, Lang::En) => format!(
                "the part {} starts or ends with a hyphen, which a server name cannot. Remove the hyphen.",
                quoted(label, lang)
            ),
            (ServerError::LabelHyphen { label }, Lang::Ru) => format!(
                "часть {} начинается или заканчивается дефисом, а в имени сервера так нельзя. Уберите дефис.",
                quoted(label, lang)
            ),
            (ServerError::NameTooLong { length }, Lang::En) => format!(
                "the server name is {} long (international names are counted in their xn-- form); at most {MAX_NAME_LENGTH} are allowed. Check that only the server name was entered.",
                characters(*length, &CHARACTERS, lang)
            ),
            (ServerError::NameTooLong { length }, Lang::Ru) => format!(
                "имя сервера длиной {} (международные имена считаются в форме xn--), а допускается не более {MAX_NAME_LENGTH}. Проверьте, что введено только имя сервера.",
                characters(*length, &CHARACTERS, lang)
            ),
            (ServerError::InvalidUnicodeName, Lang::En) => {
                "this is not a valid international domain name. Check its spelling, or enter its ASCII (xn--) form.".to_owned()
            }
            (ServerError::InvalidUnicodeName, Lang::Ru) => {
                "это недопустимое международное доменное имя. Проверьте написание или введите его ASCII-форму (xn--).".to_owned()
            }
            (ServerError::Ipv4WrongPartCount { count }, Lang::En) => format!(
                "a name cannot end with a number, so this is read as an IPv4 address, which has four numbers separated by dots (like 192.0.2.10), not {count}. Correct the address or enter the server's name."
            ),
            (ServerError::Ipv4WrongPartCount { count }, Lang::Ru) => format!(
                "имя не может оканчиваться числом, поэтому это прочитано как IPv4-адрес, а в нём четыре числа через точку (например, 192.0.2.10), а не {count}. Исправьте адрес или введите имя сервера."
            ),
            (ServerError::Ipv4PartNotNumber { part }, Lang::En) => format!(
                "{} is not a decimal number. An IPv4 address is four numbers from 0 to 255 separated by dots, and a server name cannot end with a number.",
                quoted(part, lang)
            ),
            (ServerError::Ipv4PartNotNumber { part }, Lang::Ru) => format!(
                "{} — не десятичное число. IPv4-адрес — это четыре числа от 0 до 255 через точку, а имя сервера не может оканчиваться числом.",
                quoted(part, lang)
            ),
            (ServerError::Ipv4LeadingZero { part }, Lang::En) => format!(
                "the number {} in the IPv4 address starts with 0, which some programs read as an octal number. Remove the leading zeros.",
                quoted(part, lang)
            ),
            (ServerError::Ipv4LeadingZero { part }, Lang::Ru) => format!(
                "число {} в IPv4-адресе начинается с 0, и некоторые программы читают его как восьмеричное. Уберите ведущие нули.",
                quoted(part, lang)
            ),
            (ServerError::Ipv4PartTooBig { part }, Lang::En) => format!(
                "{} is too big for an IPv4 address: each of its four numbers is from 0 to 255. Correct the address.",
                quoted(part, lang)
            ),
            (ServerError::Ipv4PartTooBig { part }, Lang::Ru) => format!(
                "{} — слишком большое число для IPv4-адреса: каждое из четырёх чисел — от 0 до 255. Исправьте адрес.",
                quoted(part, lang)
            ),
            (ServerError::Ipv6ZoneId, Lang::En) => {
                "remove the zone (from “%” on) from the IPv6 address: it only means something on one computer.".to_owned()
            }
            (ServerError::Ipv6ZoneId, Lang::Ru) => {
                "уберите из IPv6-адреса зону (часть от «%»): она имеет смысл только на одном компьютере.".to_owned()
            }
            (ServerError::InvalidIpv6, Lang::En) => {
                "this is not a valid IPv6 address. Enter it in square brackets, then a colon and the port, for example [2001:db8::1]:993.".to_owned()
            }
            (ServerError::InvalidIpv6, Lang::Ru) => {
                "это недопустимый IPv6-адрес. Введите его в квадратных скобках, затем двоеточие и порт, например [2001:db8::1]:993.".to_owned()
            }
            (ServerError::Ipv6WithoutBrackets, Lang::En) => {
                "put the IPv6 address in square brackets before the port, for example [2001:db8::1]:993.".to_owned()
            }
            (ServerError::Ipv6WithoutBrackets, Lang::Ru) => {
                "заключите IPv6-адрес в квадратные скобки перед портом, например [2001:db8::1]:993.".to_owned()
            }
            (ServerError::MissingPort { usual_port, security, fix }, Lang::En) => {
                let address = fix.as_ref().map_or_else(|| format!("host:{usual_port}"), |f| f.address.clone());
                format!(
                    "the port is missing. Add it after a colon: with “{}” it is usually {usual_port}, as in {address}.",
                    security.label_in(lang)
                )
            }
            (ServerError::MissingPort { usual_port, security, fix }, Lang::Ru) => {
                let address = fix.as_ref().map_or_else(|| format!("хост:{usual_port}"), |f| f.address.clone());
                format!(
                    "не указан порт. Добавьте его через двоеточие: при защите «{}» обычно это {usual_port}, например {address}.",
                    security.label_in(lang)
                )
            }
            (ServerError::InvalidPort { text }, Lang::En) => format!(
                "the port {} is not a number. Enter a number from 1 to 65535 after the colon, for example {ex}.",
                quoted(text, lang)
            ),
            (ServerError::InvalidPort { text }, Lang::Ru) => format!(
                "порт {} — не число. Укажите после двоеточия число от 1 до 65535, например {ex}.",
                quoted(text, lang)
            ),
            (ServerError::PortOutOfRange { text }, Lang::En) => {
                format!("there is no port {}. Enter a port from 1 to 65535, for example {ex}.", quoted(text, lang))
            }
            (ServerError::PortOutOfRange { text }, Lang::Ru) => {
                format!("порта {} не бывает. Укажите порт от 1 до 65535, например {ex}.", quoted(text, lang))
            }
            (ServerError::SecondPort, Lang::En) => format!("the address has more than one port. Keep one, as in {ex}."),
            (ServerError::SecondPort, Lang::Ru) => format!("в адресе больше одного порта. Оставьте один, как в {ex}."),
        };
        format!("{field}: {text}")
    }
}

impl ServerWarning {
    /// A sentence naming the field (from the protocol) and saying what the fix would do.
    pub fn message(&self, lang: Lang, protocol: Protocol) -> String {
        let field = Field::server(protocol).label(lang);
        let control = security_control_label(lang);
        let p = protocol.label();
        let sec = |fix: &Fix| fix.security.label_in(lang);
        let text = match (self, lang) {
            (ServerWarning::NoEncryption { fix, .. }, Lang::En) => format!(
                "with {control} “None” the password and mail travel unencrypted. Choose “{}” if the server supports it.",
                sec(fix)
            ),
            (ServerWarning::NoEncryption { fix, .. }, Lang::Ru) => format!(
                "без защиты соединения («Нет») пароль и письма передаются в открытом виде. Выберите «{}» в поле «{control}», если сервер это поддерживает.",
                sec(fix)
            ),
            (
                ServerWarning::SecurityPortMismatch {
                    port,
                    security,
                    fix,
                    alternative,
                },
                Lang::En,
            ) => format!(
                "port {port} is used with “{}”, not “{}”. Choose “{}” in {control}, or change the address to {}.",
                sec(fix),
                security.label_in(lang),
                sec(fix),
                alternative.address
            ),
            (
                ServerWarning::SecurityPortMismatch {
                    port,
                    security,
                    fix,
                    alternative,
                },
                Lang::Ru,
            ) => format!(
                "порт {port} используется с защитой «{}», а не «{}». Выберите «{}» в поле «{control}» или измените адрес на {}.",
                sec(fix),
                security.label_in(lang),
                sec(fix),
                alternative.address
            ),
            (ServerWarning::UnusualPort { port, fix }, Lang::En) => format!(
                "port {port} is not a usual {p} port ({}). Keep it if your provider gave it; otherwise use {} for “{}”.",
                port_list(protocol),
                fix.address,
                sec(fix)
            ),
            (ServerWarning::UnusualPort { port, fix }, Lang::Ru) => format!(
                "порт {port} нестандартный для {p} (обычно {}). Оставьте его, если так указал провайдер; иначе используйте {} для «{}».",
                port_list(protocol),
                fix.address,
                sec(fix)
            ),
        };
        format!("{field}: {text}")
    }
}

impl NameError {
    /// A sentence naming the Name field and saying how to fix it.
    pub fn message(&self, lang: Lang) -> String {
        let field = Field::Name.label(lang);
        let text = match (self, lang) {
            (NameError::Required, Lang::En) => {
                "enter the service's name, as users will see it in their list.".to_owned()
            }
            (NameError::Required, Lang::Ru) => {
                "укажите название сервиса — под ним пользователи увидят его в списке.".to_owned()
            }
            (NameError::TooLong { max }, Lang::En) => format!(
                "shorten the name to at most {}.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (NameError::TooLong { max }, Lang::Ru) => format!(
                "сократите название до {}.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (NameError::ControlCharacter, Lang::En) => {
                "remove line breaks, tabs and other control characters from the name.".to_owned()
            }
            (NameError::ControlCharacter, Lang::Ru) => {
                "уберите из названия переводы строк, табуляции и другие управляющие символы."
                    .to_owned()
            }
            (NameError::InvisibleCharacter { character }, Lang::En) => format!(
                "remove the invisible character {} (it shows nothing or turns the text around, so the name could pass for another); if the name was pasted, type it instead.",
                shown(*character, lang)
            ),
            (NameError::InvisibleCharacter { character }, Lang::Ru) => format!(
                "уберите невидимый символ {} (он не отображается или меняет направление текста, и название можно принять за другое); если название вставлено, наберите его вручную.",
                shown(*character, lang)
            ),
            (NameError::LooksLike { existing }, Lang::En) => format!(
                "looks like the existing service {} (letters from another alphabet, full-width letters or spacing look the same to users). Choose a name that differs in what one sees.",
                quoted(existing, lang)
            ),
            (NameError::LooksLike { existing }, Lang::Ru) => format!(
                "выглядит как существующий сервис {} (буквы другого алфавита, широкие буквы или пробелы для пользователей выглядят так же). Выберите название, которое отличается на вид.",
                quoted(existing, lang)
            ),
            (NameError::Duplicate { existing }, Lang::En) => format!(
                "there is already a service named {} (names are compared ignoring case). Choose another name.",
                quoted(existing, lang)
            ),
            (NameError::Duplicate { existing }, Lang::Ru) => format!(
                "сервис с названием {} уже есть (регистр букв не учитывается). Выберите другое название.",
                quoted(existing, lang)
            ),
        };
        format!("{field}: {text}")
    }
}

impl CredentialError {
    /// A sentence saying how to fix the mailbox address or password; it is shown beside its field.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CredentialError::AddressRequired, Lang::En) => {
                "Enter the mailbox address or login.".to_owned()
            }
            (CredentialError::AddressRequired, Lang::Ru) => {
                "Укажите адрес или логин почтового ящика.".to_owned()
            }
            (CredentialError::AddressTooLong { max }, Lang::En) => format!(
                "The mailbox address is too long: use at most {}.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (CredentialError::AddressTooLong { max }, Lang::Ru) => format!(
                "Адрес почтового ящика слишком длинный: допускается не более {}.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (CredentialError::AddressContainsSpace, Lang::En) => {
                "Remove the spaces and line breaks from the mailbox address.".to_owned()
            }
            (CredentialError::AddressContainsSpace, Lang::Ru) => {
                "Уберите пробелы и переводы строк из адреса почтового ящика.".to_owned()
            }
            (CredentialError::AddressInvisibleCharacter { character }, Lang::En) => format!(
                "Remove the invisible character {} from the mailbox address; if it was pasted, type it instead.",
                shown(*character, lang)
            ),
            (CredentialError::AddressInvisibleCharacter { character }, Lang::Ru) => format!(
                "Уберите невидимый символ {} из адреса почтового ящика; если адрес вставлен, наберите его вручную.",
                shown(*character, lang)
            ),
            (CredentialError::PasswordControlCharacter, Lang::En) => {
                "Remove the control characters (such as line breaks or NUL) from the password."
                    .to_owned()
            }
            (CredentialError::PasswordControlCharacter, Lang::Ru) => {
                "Уберите из пароля управляющие символы (например, переводы строк или NUL)."
                    .to_owned()
            }
            (CredentialError::PasswordRequired, Lang::En) => {
                "Enter the mailbox password.".to_owned()
            }
            (CredentialError::PasswordRequired, Lang::Ru) => {
                "Укажите пароль почтового ящика.".to_owned()
            }
            (CredentialError::PasswordTooLong { max }, Lang::En) => format!(
                "The password is too long: use at most {}.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (CredentialError::PasswordTooLong { max }, Lang::Ru) => format!(
                "Пароль слишком длинный: допускается не более {}. Проверьте, что вставлен только пароль.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
        }
    }
}

impl PersonError {
    /// A sentence saying how to fix the login, display name or password; shown beside its field.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PersonError::LoginRequired, Lang::En) => "Enter the login.".to_owned(),
            (PersonError::LoginRequired, Lang::Ru) => "Укажите логин.".to_owned(),
            (PersonError::LoginTooLong { max }, Lang::En) => format!(
                "The login is too long: no login has more than {}. Check that only the login was entered.",
                characters(*max, &CHARACTERS, lang)
            ),
            (PersonError::LoginTooLong { max }, Lang::Ru) => format!(
                "Логин слишком длинный: допускается не более {}. Проверьте, что введён только логин.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (PersonError::LoginContainsSpace, Lang::En) => {
                "Remove the spaces, line breaks and other control characters from the login: it is one word.".to_owned()
            }
            (PersonError::LoginContainsSpace, Lang::Ru) => {
                "Уберите из логина пробелы, переводы строк и другие управляющие символы: логин — одно слово.".to_owned()
            }
            (PersonError::LoginInvisibleCharacter { character }, Lang::En) => format!(
                "Remove the invisible character {} from the login; if it was pasted, type it instead.",
                shown(*character, lang)
            ),
            (PersonError::LoginInvisibleCharacter { character }, Lang::Ru) => format!(
                "Уберите невидимый символ {} из логина; если логин вставлен, наберите его вручную.",
                shown(*character, lang)
            ),
            (PersonError::DisplayNameTooLong { max }, Lang::En) => format!(
                "Shorten the name to at most {}.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (PersonError::DisplayNameTooLong { max }, Lang::Ru) => format!(
                "Сократите имя до {}.",
                characters(*max, &AT_MOST_CHARACTERS, lang)
            ),
            (PersonError::DisplayNameControlCharacter, Lang::En) => {
                "Remove line breaks, tabs and other control characters from the name.".to_owned()
            }
            (PersonError::DisplayNameControlCharacter, Lang::Ru) => {
                "Уберите из имени переводы строк, табуляции и другие управляющие символы.".to_owned()
            }
            (PersonError::DisplayNameInvisibleCharacter { character }, Lang::En) => format!(
                "Remove the invisible character {} from the name; if it was pasted, type it instead.",
                shown(*character, lang)
            ),
            (PersonError::DisplayNameInvisibleCharacter { character }, Lang::Ru) => format!(
                "Уберите невидимый символ {} из имени; если имя вставлено, наберите его вручную.",
                shown(*character, lang)
            ),
            // The same sentences as for a mailbox's password.
            (PersonError::PasswordTooLong { max }, _) => {
                CredentialError::PasswordTooLong { max: *max }.message(lang)
            }
            (PersonError::PasswordControlCharacter, _) => {
                CredentialError::PasswordControlCharacter.message(lang)
            }
        }
    }
}
