//! The host part of a server string: DNS names, Unicode domains, IPv4 and IPv6 addresses (SPEC 4).

use std::net::Ipv6Addr;

use crate::address::ServerError;
use crate::uts46;

/// The longest label (the part between dots) of a DNS name, in its ASCII form.
pub const MAX_LABEL_LENGTH: usize = 63;
/// The longest DNS name, in its ASCII form without the trailing dot.
pub const MAX_NAME_LENGTH: usize = 253;

/// A valid host in the form it is stored in.
#[derive(Debug)]
pub(crate) struct Host {
    /// Lower-case ASCII: a DNS name (Unicode labels in punycode), an IPv4 address, or an IPv6
    /// address without brackets.
    pub ascii: String,
    /// The Unicode form of a name with punycode labels, for showing beside the ASCII one.
    pub unicode: Option<String>,
}

/// A host typed without brackets: a DNS name, possibly Unicode, or an IPv4 address.
///
/// One trailing dot (the DNS root) is dropped. A name whose last label is all digits is taken as an
/// IPv4 address, so `256.1.1.1` and `1.2.3` are malformed addresses rather than names.
pub(crate) fn parse_name_or_ipv4(text: &str) -> Result<Host, ServerError> {
    let text = without_root_dot(text);
    if text.is_empty() {
        return Err(ServerError::MissingHost);
    }
    // The common case stays allocation-free until the one lower-cased copy.
    if text.is_ascii() && !has_punycode_label(text) {
        check_ascii_host(text)?;
        return Ok(Host {
            ascii: text.to_ascii_lowercase(),
            unicode: None,
        });
    }
    // Outside a label only letters, digits, hyphens and dots may be typed, in ASCII as in the
    // Unicode labels' own scripts; anything else is named before the name is mapped.
    if let Some(character) = text
        .chars()
        .find(|&c| c.is_ascii() && !is_host_character(c))
    {
        return Err(ServerError::InvalidCharacter { character });
    }
    // UTS-46 (non-transitional, as browsers do): case folding, NFC, full-width forms and the
    // ideographic full stop "。" mapped, labels to punycode; `xn--` labels typed in ASCII are
    // decoded and checked. The ASCII rules below then apply to the result, so a label's length
    // limit counts its punycode form, as the DNS does.
    let mapped = uts46::to_ascii(text).ok_or(ServerError::InvalidUnicodeName)?;
    let ascii = without_root_dot(&mapped);
    if ascii.is_empty() {
        return Err(ServerError::MissingHost);
    }
    check_ascii_host(ascii)?;
    let ascii = ascii.to_ascii_lowercase();
    let unicode = if has_punycode_label(&ascii) {
        uts46::to_unicode(&ascii).filter(|unicode| *unicode != ascii)
    } else {
        None
    };
    Ok(Host { ascii, unicode })
}

/// The text between the brackets of `[2001:db8::1]:993`.
pub(crate) fn parse_ipv6(text: &str) -> Result<Host, ServerError> {
    // A zone (`fe80::1%eth0`) names a network interface of one computer: meaningless elsewhere.
    if text.contains('%') {
        return Err(ServerError::Ipv6ZoneId);
    }
    // The standard library's form is the canonical one of RFC 5952: lower case, longest run of
    // zeros compressed.
    let address: Ipv6Addr = text.parse().map_err(|_| ServerError::InvalidIpv6)?;
    Ok(Host {
        ascii: address.to_string(),
        unicode: None,
    })
}

fn without_root_dot(text: &str) -> &str {
    text.strip_suffix('.').unwrap_or(text)
}

fn has_punycode_label(text: &str) -> bool {
    text.split('.')
        .any(|label| label.len() >= 4 && label.as_bytes()[..4].eq_ignore_ascii_case(b"xn--"))
}

/// What an ASCII host may hold: letters, digits, hyphens and dots.
fn is_host_character(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.'
}

/// The rules of SPEC 4 for an ASCII host: letters, digits, hyphens and dots; labels of 1–63
/// characters with no hyphen at either end; at most 253 characters; all-digit last label = IPv4.
fn check_ascii_host(text: &str) -> Result<(), ServerError> {
    if let Some(character) = text.chars().find(|&c| !is_host_character(c)) {
        return Err(ServerError::InvalidCharacter { character });
    }
    let last = text.rsplit('.').next().unwrap_or_default();
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return check_ipv4(text);
    }
    for label in text.split('.') {
        if label.is_empty() {
            return Err(ServerError::EmptyLabel);
        }
        if label.len() > MAX_LABEL_LENGTH {
            return Err(ServerError::LabelTooLong {
                length: label.len(),
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(ServerError::LabelHyphen {
                label: label.to_ascii_lowercase(),
            });
        }
    }
    if text.len() > MAX_NAME_LENGTH {
        return Err(ServerError::NameTooLong { length: text.len() });
    }
    Ok(())
}

/// Four decimal parts 0–255. A leading zero is refused rather than ignored: some programs read
/// `010` as octal 8, so the address is ambiguous.
fn check_ipv4(text: &str) -> Result<(), ServerError> {
    let count = text.split('.').count();
    if count != 4 {
        return Err(ServerError::Ipv4WrongPartCount { count });
    }
    for part in text.split('.') {
        if part.is_empty() {
            return Err(ServerError::EmptyLabel);
        }
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ServerError::Ipv4PartNotNumber {
                part: part.to_owned(),
            });
        }
        if part.len() > 1 && part.starts_with('0') {
            return Err(ServerError::Ipv4LeadingZero {
                part: part.to_owned(),
            });
        }
        if part.len() > 3 || part.parse::<u16>().is_ok_and(|n| n > 255) {
            return Err(ServerError::Ipv4PartTooBig {
                part: part.to_owned(),
            });
        }
    }
    Ok(())
}
