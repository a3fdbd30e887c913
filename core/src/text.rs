//! What a typed text may hold (no control, invisible or text-direction characters), and the key
//! under which texts that look alike are one (issue 13, items 8 and 9).
//!
//! The key is NFKC, lower case, one space between words, then the Unicode TR39 *skeleton*, which
//! maps each character to the one it is confused with (Cyrillic `а` → `a`, `0` → `O`, `m` → `rn`).
//! Natively (the server) the whole skeleton comes from `unicode-security` and NFKC from
//! `unicode-normalization`. In the browser NFKC and NFD are the browser's own
//! (`String.prototype.normalize`) and the skeleton is the part of it that maps onto ASCII
//! (`confusables.rs`, checked against `unicode-security` by a test): the full tables would add
//! tens of kilobytes to the wasm. So the browser may miss an exotic look-alike that the server
//! refuses on save, never the other way round.

/// A character that may not be part of any text field: control characters (Cc: NUL, tab, line
/// breaks) and the line and paragraph separators.
pub fn is_control(character: char) -> bool {
    character.is_control() || matches!(character, '\u{2028}' | '\u{2029}')
}

/// Characters that show nothing or reorder what follows, so that a text holding one looks like
/// another: Unicode's Default_Ignorable_Code_Point (zero-width space, soft hyphen, joiners,
/// variation selectors, Hangul fillers, tags) and the format characters (Cf: the byte order mark,
/// bidirectional embeddings, overrides and isolates). Unicode 16; sorted, inclusive ranges.
const INVISIBLE: &[(char, char)] = &[
    ('\u{AD}', '\u{AD}'),
    ('\u{34F}', '\u{34F}'),
    ('\u{600}', '\u{605}'),
    ('\u{61C}', '\u{61C}'),
    ('\u{6DD}', '\u{6DD}'),
    ('\u{70F}', '\u{70F}'),
    ('\u{890}', '\u{891}'),
    ('\u{8E2}', '\u{8E2}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{206F}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
];

/// Whether a character is invisible or controls text direction (see [`INVISIBLE`]).
pub fn is_invisible(character: char) -> bool {
    INVISIBLE
        .binary_search_by(|&(first, last)| {
            if last < character {
                std::cmp::Ordering::Less
            } else if first > character {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The first control character in a text.
pub fn first_control(text: &str) -> Option<char> {
    text.chars().find(|&c| is_control(c))
}

/// The first invisible or text-direction character in a text.
pub fn first_invisible(text: &str) -> Option<char> {
    text.chars().find(|&c| is_invisible(c))
}

/// The key under which two texts look alike: `Gmail`, ` GMAIL `, `Ｇｍａｉｌ`, `Gmаil` with a Cyrillic
/// `а` and `GMAİL` all have the key of `gmail`. Only for comparing: it is not readable text.
pub fn look_alike_key(text: &str) -> String {
    let folded = nfkc(text).to_lowercase();
    let spaced = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut key = String::with_capacity(spaced.len());
    let mut previous = None;
    for character in skeleton(&spaced).chars() {
        // `İ` lower-cases to `i` and a combining dot above, which shows as a plain `i`.
        if character == '\u{307}' && matches!(previous, Some('i' | 'j')) {
            continue;
        }
        previous = Some(character);
        key.push(character);
    }
    // Prototypes may be capitals (`0` → `O`): fold again so that `g0` and `go` meet.
    key.to_lowercase()
}

#[cfg(not(target_arch = "wasm32"))]
fn nfkc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn skeleton(text: &str) -> String {
    unicode_security::skeleton(text).collect()
}

#[cfg(target_arch = "wasm32")]
fn nfkc(text: &str) -> String {
    js_sys::JsString::from(text).normalize("NFKC").into()
}

#[cfg(target_arch = "wasm32")]
fn skeleton(text: &str) -> String {
    let decomposed: String = js_sys::JsString::from(text).normalize("NFD").into();
    let mut skeleton = String::with_capacity(decomposed.len());
    for character in decomposed.chars() {
        match crate::confusables::ascii_prototype(character) {
            Some(prototype) => skeleton.push_str(prototype),
            None => skeleton.push(character),
        }
    }
    skeleton
}
