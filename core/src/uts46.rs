//! UTS-46 processing of internationalised domain names (`почта.рф` ⇄ `xn--80a1acny.xn--p1ai`), the
//! non-transitional processing browsers use for URLs.
//!
//! Natively (the server, the command line) the `idna` crate does it with its own Unicode tables.
//! In the browser the same algorithm is already there: the URL parser's "domain to ASCII"
//! (WHATWG URL) is UTS-46 ToASCII with the options `idna` is called with below, so the app borrows
//! it instead of shipping ~155 kB of tables (54 kB gzipped, a third of the size budget). The core's
//! test cases run against both, natively and in headless Chromium and Firefox, and the server
//! checks every saved address again with `idna`.
//!
//! The caller must have refused every ASCII character other than letters, digits, `-` and `.`:
//! in a URL, `/`, `:`, `@`, `?` and `#` would end the host rather than be judged as part of it.

/// The ASCII (punycode) form of a host, or `None` when it is not a valid international name.
/// Characters that map to ones a URL's host may not hold (full-width `／`, the ideographic space)
/// are refused, as the browser's URL parser refuses them.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn to_ascii(text: &str) -> Option<String> {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    Uts46::new()
        .to_ascii(
            text.as_bytes(),
            AsciiDenyList::URL,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .ok()
        .map(|ascii| ascii.into_owned())
}

/// The Unicode form of an ASCII host, or `None` when one of its punycode labels is malformed.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn to_unicode(ascii: &str) -> Option<String> {
    use idna::uts46::{AsciiDenyList, Hyphens, Uts46};
    let (unicode, result) =
        Uts46::new().to_unicode(ascii.as_bytes(), AsciiDenyList::EMPTY, Hyphens::Allow);
    result.ok().map(|()| unicode.into_owned())
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// The browser's WHATWG URL parser.
        #[wasm_bindgen(js_name = URL)]
        type Url;

        #[wasm_bindgen(constructor, catch, js_class = URL)]
        fn new(url: &str) -> Result<Url, JsValue>;

        #[wasm_bindgen(method, getter, js_class = URL)]
        fn hostname(this: &Url) -> String;
    }

    /// A last label of letters, so that the URL parser never takes the name for an IPv4 address
    /// and reads it its own way (`0x7f.1` as 127.0.0.1): the core judges numeric names itself.
    const LAST_LABEL: &str = ".x";

    pub(crate) fn to_ascii(text: &str) -> Option<String> {
        let ascii = map(text)?;
        // Some browsers pass `xn--` labels through unchecked (Chromium takes `xn--a`, which
        // decodes to a control character). UTS-46 wants each one to decode to a valid label:
        // valid exactly when mapping the decoded label gives the same punycode back.
        let labels_valid = ascii.split('.').all(|label| {
            !is_punycode(label)
                || decode(label).is_some_and(|unicode| map(&unicode).as_deref() == Some(label))
        });
        labels_valid.then_some(ascii)
    }

    /// Only called on a host [`to_ascii`] produced, whose punycode labels are checked already.
    pub(crate) fn to_unicode(ascii: &str) -> Option<String> {
        let labels = ascii
            .split('.')
            .map(|label| {
                if is_punycode(label) {
                    decode(label)
                } else {
                    Some(label.to_owned())
                }
            })
            .collect::<Option<Vec<String>>>()?;
        Some(labels.join("."))
    }

    /// The URL parser's domain to ASCII.
    fn map(text: &str) -> Option<String> {
        let url = Url::new(&format!("http://{text}{LAST_LABEL}/")).ok()?;
        url.hostname().strip_suffix(LAST_LABEL).map(str::to_owned)
    }

    fn is_punycode(label: &str) -> bool {
        label.starts_with("xn--")
    }

    fn decode(label: &str) -> Option<String> {
        idna::punycode::decode_to_string(&label["xn--".len()..])
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use browser::{to_ascii, to_unicode};
