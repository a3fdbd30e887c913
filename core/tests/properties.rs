//! Properties of the server-string parser over generated input (native only: proptest).
//!
//! The case count of every property is `PROPTEST_CASES` when set; the long run over arbitrary
//! input (`arbitrary_input_never_panics`) defaults to a few thousand cases so the test command stays
//! quick. A longer run: `PROPTEST_CASES=200000 cargo test -p mail-core --release --test properties`.
#![cfg(not(target_arch = "wasm32"))]

use std::net::{Ipv4Addr, Ipv6Addr};

use mail_core::{Protocol, Security, ServerCheck, ServerWarning, parse_server};
use proptest::prelude::*;
use proptest::sample::select;

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn protocol() -> impl Strategy<Value = Protocol> {
    select(Protocol::ALL.to_vec())
}

fn security() -> impl Strategy<Value = Security> {
    select(Security::ALL.to_vec())
}

/// Server strings glued from the pieces real ones (and their typos) are made of, so generated
/// input reaches every branch of the parser, not only the first "invalid character" check.
fn address_like() -> impl Strategy<Value = String> {
    let pieces = vec![
        "a",
        "Z",
        "mail",
        "example",
        "com",
        "-",
        "--",
        "xn--",
        "xn--80a1acny",
        "xn--p1ai",
        "XN--",
        ".",
        ".",
        ".",
        ":",
        ":",
        "::",
        "[",
        "]",
        "/",
        "@",
        "%",
        "0",
        "00",
        "1",
        "25",
        "143",
        "255",
        "256",
        "465",
        "587",
        "993",
        "65535",
        "65536",
        "0x",
        "ff",
        "2001",
        "db8",
        "_",
        " ",
        "\n",
        "\t",
        "почта",
        "рф",
        "ß",
        "。",
        "ｍ",
        "١",
        "\u{200d}",
        "\u{feff}",
        "imap://",
        "imaps://",
        "smtp://",
        "smtps://",
        "https://",
        "?",
        "#",
        "é",
        "\u{0301}",
        "ǅ",
        "İ",
    ];
    prop::collection::vec(select(pieces), 0..14).prop_map(|pieces| pieces.concat())
}

fn label() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
        .chars()
        .collect();
    prop::collection::vec(select(chars), 1..12).prop_map(|c| c.into_iter().collect())
}

/// Mostly-valid addresses: names, IPv4, IPv6, with or without port, scheme, spaces, trailing dot.
fn address() -> impl Strategy<Value = String> {
    let host = prop_oneof![
        prop::collection::vec(label(), 1..5).prop_map(|labels| labels.join(".")),
        any::<[u8; 4]>().prop_map(|b| Ipv4Addr::from(b).to_string()),
        any::<[u8; 16]>().prop_map(|b| format!("[{}]", Ipv6Addr::from(b))),
        select(vec![
            "почта.рф",
            "Bücher.example",
            "ПОЧТА.РФ",
            "xn--80a1acny.xn--p1ai",
            "mail.例え.jp"
        ])
        .prop_map(String::from),
    ];
    let port = prop_oneof![
        Just(None),
        select(vec![25u16, 143, 465, 587, 993, 2525, 1143]).prop_map(Some),
        any::<u16>().prop_map(Some),
    ];
    let scheme = select(vec![
        "", "", "", "imap://", "imaps://", "smtp://", "SMTPS://",
    ]);
    (
        host,
        port,
        scheme,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(host, port, scheme, dot, slash, spaces)| {
            let dot = if dot && !host.ends_with(']') { "." } else { "" };
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let slash = if slash { "/" } else { "" };
            let text = format!("{scheme}{host}{dot}{port}{slash}");
            if spaces {
                format!(" \t{text}\r\n")
            } else {
                text
            }
        })
}

fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        any::<Vec<u8>>().prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        address_like(),
        address(),
    ]
}

/// The invariants every check keeps, whatever the input.
fn assert_consistent(check: &ServerCheck) {
    assert_eq!(check.is_valid(), check.endpoint().is_some(), "{check:?}");
    assert_eq!(check.is_valid(), check.address().is_some(), "{check:?}");
    if !check.is_valid() {
        assert!(check.warnings.is_empty(), "{check:?}");
    }
    if let Some(host) = &check.host {
        assert!(
            host.bytes().all(|b| b.is_ascii_hexdigit()
                || b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || b"-.:".contains(&b)),
            "{host:?}"
        );
        assert!(!host.is_empty() && host.len() <= 253, "{host:?}");
    }
    if let Some(port) = check.port {
        assert_ne!(port, 0);
    }
}

/// Re-parsing the normalised address gives the same check.
fn assert_reparses_to_itself(check: &ServerCheck) {
    let Some(address) = check.address() else {
        return;
    };
    let again = parse_server(check.protocol, check.security, &address);
    assert_eq!(
        again.address().as_deref(),
        Some(address.as_str()),
        "{check:?}"
    );
    assert_eq!(&again, check, "{address:?}");
    if let Some(unicode) = check.unicode_address() {
        let from_unicode = parse_server(check.protocol, check.security, &unicode);
        assert_eq!(&from_unicode, check, "{unicode:?}");
    }
}

/// Every fix leaves an address without errors, and without the warning it fixes.
fn assert_fixes_work(check: &ServerCheck) {
    for fix in check.errors.iter().filter_map(|e| e.fix()) {
        let fixed = parse_server(check.protocol, fix.security, &fix.address);
        assert!(fixed.is_valid(), "{fix:?}: {:?}", fixed.errors);
    }
    for warning in &check.warnings {
        for fix in [Some(warning.fix()), warning.alternative()]
            .into_iter()
            .flatten()
        {
            let fixed = parse_server(check.protocol, fix.security, &fix.address);
            assert!(fixed.is_valid(), "{fix:?}: {:?}", fixed.errors);
            assert!(
                !fixed
                    .warnings
                    .iter()
                    .map(ServerWarning::code)
                    .any(|c| c == warning.code()),
                "{fix:?}: {:?}",
                fixed.warnings
            );
        }
    }
}

proptest! {
    #![proptest_config(cases(4_000))]

    #[test]
    fn arbitrary_input_never_panics(input in any_input(), protocol in protocol(), security in security()) {
        let check = parse_server(protocol, security, &input);
        assert_consistent(&check);
    }
}

proptest! {
    #![proptest_config(cases(1_000))]

    #[test]
    fn normalised_address_reparses_to_itself(input in prop_oneof![address(), address_like()], protocol in protocol(), security in security()) {
        assert_reparses_to_itself(&parse_server(protocol, security, &input));
    }

    #[test]
    fn every_fix_gives_an_address_without_errors_or_that_warning(input in prop_oneof![address(), address_like()], protocol in protocol(), security in security()) {
        assert_fixes_work(&parse_server(protocol, security, &input));
    }

    #[test]
    fn checking_is_independent_of_surrounding_space_and_case(input in address(), protocol in protocol(), security in security()) {
        let check = parse_server(protocol, security, &input);
        let upper = parse_server(protocol, security, &format!("\n {} \n", input.to_uppercase()));
        if check.is_valid() && !input.contains(['ß', 'ı']) {
            assert_eq!(upper.endpoint(), check.endpoint(), "{input:?}");
        }
    }
}
