//! SPEC 4, rule by rule: the server field `host:port`, its normalisation, errors, warnings and fixes.
//! These run natively and, compiled to wasm32, in headless Chromium.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use mail_core::Protocol::{Imap, Smtp};
use mail_core::{
    Fix, Lang, Protocol, Security as S, ServerCheck, ServerError, ServerWarning, parse_server,
};

fn codes(check: &ServerCheck) -> Vec<&str> {
    check.errors.iter().map(ServerError::code).collect()
}

fn warning_codes(check: &ServerCheck) -> Vec<&'static str> {
    check.warnings.iter().map(ServerWarning::code).collect()
}

/// Valid, and normalised to `expected` (`host:port`, IPv6 in brackets).
#[track_caller]
fn assert_accepted(protocol: Protocol, security: S, input: &str, expected: &str) -> ServerCheck {
    let check = parse_server(protocol, security, input);
    assert!(
        check.is_valid(),
        "{input:?} should be accepted: {:?}",
        check.errors
    );
    assert_eq!(check.address().as_deref(), Some(expected), "{input:?}");
    assert_eq!(
        check.endpoint().map(|e| e.to_string()).as_deref(),
        Some(expected),
        "{input:?}"
    );
    check
}

/// Refused, and the first error has `code`.
#[track_caller]
fn assert_refused(protocol: Protocol, security: S, input: &str, code: &str) -> ServerCheck {
    let check = parse_server(protocol, security, input);
    assert_eq!(
        codes(&check).first().copied(),
        Some(code),
        "{input:?}: {:?}",
        check.errors
    );
    assert_eq!(check.endpoint(), None, "{input:?}");
    assert_eq!(check.address(), None, "{input:?}");
    check
}

fn fix(address: &str, security: S) -> Fix {
    Fix {
        address: address.to_owned(),
        security,
    }
}

// ---- host: DNS names ----

#[test]
fn dns_name_of_letters_digits_and_hyphens_is_accepted() {
    for (input, expected) in [
        ("smtp.myserver.com:465", "smtp.myserver.com:465"),
        ("mail-1.example.com:465", "mail-1.example.com:465"),
        ("123mail.example:465", "123mail.example:465"),
        ("1.example.com:465", "1.example.com:465"),
        (
            "r3---sn-abc.googlevideo.com:465",
            "r3---sn-abc.googlevideo.com:465",
        ),
    ] {
        assert_accepted(Smtp, S::Tls, input, expected);
    }
}

#[test]
fn single_label_intranet_name_is_accepted() {
    assert_accepted(Imap, S::Tls, "exchange:993", "exchange:993");
    assert_accepted(Smtp, S::Tls, "localhost:465", "localhost:465");
}

#[test]
fn name_is_stored_lower_case() {
    for input in [
        "SMTP.MyServer.COM:465",
        "Smtp.myserver.com:465",
        "sMtP.MYSERVER.com:465",
    ] {
        let check = assert_accepted(Smtp, S::Tls, input, "smtp.myserver.com:465");
        assert_eq!(check.host.as_deref(), Some("smtp.myserver.com"));
        assert_eq!(check.unicode_host, None);
    }
}

#[test]
fn trailing_dot_of_a_name_is_dropped() {
    for input in [
        "smtp.myserver.com.:465",
        "smtp.myserver.com.",
        "smtps://smtp.myserver.com./",
    ] {
        let check = parse_server(Smtp, S::Tls, input);
        assert_eq!(
            check.host.as_deref(),
            Some("smtp.myserver.com"),
            "{input:?}"
        );
    }
    assert_refused(Smtp, S::Tls, "smtp.myserver.com..:465", "empty_label");
}

#[test]
fn label_of_63_characters_is_accepted_and_64_refused() {
    let ok = format!("{}.example.com", "a".repeat(63));
    assert_accepted(Smtp, S::Tls, &format!("{ok}:465"), &format!("{ok}:465"));
    let check = assert_refused(
        Smtp,
        S::Tls,
        &format!("{}.example.com:465", "a".repeat(64)),
        "label_too_long",
    );
    assert_eq!(check.errors[0], ServerError::LabelTooLong { length: 64 });
}

#[test]
fn name_of_253_characters_is_accepted_and_254_refused() {
    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253
    let name = |last: usize| format!("{a}.{a}.{a}.{}", "b".repeat(last), a = "a".repeat(63));
    let ok = name(61);
    assert_eq!(ok.len(), 253);
    assert_accepted(Smtp, S::Tls, &format!("{ok}:465"), &format!("{ok}:465"));
    assert_accepted(Smtp, S::Tls, &format!("{ok}.:465"), &format!("{ok}:465"));
    let check = assert_refused(Smtp, S::Tls, &format!("{}:465", name(62)), "name_too_long");
    assert_eq!(check.errors[0], ServerError::NameTooLong { length: 254 });
}

#[test]
fn label_starting_or_ending_with_hyphen_is_refused() {
    for (input, label) in [
        ("-mail.example.com:465", "-mail"),
        ("mail-.example.com:465", "mail-"),
        ("mail.example.com-:465", "com-"),
        ("mail.-.com:465", "-"),
        ("Mail.EXAMPLE-.com:465", "example-"),
    ] {
        let check = assert_refused(Smtp, S::Tls, input, "label_hyphen");
        assert_eq!(
            check.errors[0],
            ServerError::LabelHyphen {
                label: label.to_owned()
            }
        );
    }
}

#[test]
fn empty_label_is_refused() {
    for input in [
        "mail..example.com:465",
        ".mail.example.com:465",
        "mail.example.com..:465",
        "..:465",
        "1..2.3:465",
    ] {
        assert_refused(Smtp, S::Tls, input, "empty_label");
    }
}

#[test]
fn character_outside_letters_digits_hyphens_and_dots_is_refused() {
    for (input, character) in [
        ("mail_server.example.com:465", '_'),
        ("mail!.example.com:465", '!'),
        ("mail,example.com:465", ','),
        ("mail.example.com]:465", ']'),
        ("mail\u{0}.example.com:465", '\u{0}'),
        ("почта_1.рф:465", '_'),
    ] {
        let check = assert_refused(Smtp, S::Tls, input, "invalid_character");
        assert_eq!(
            check.errors[0],
            ServerError::InvalidCharacter { character },
            "{input:?}"
        );
    }
}

#[test]
fn nothing_before_the_port_is_a_missing_host() {
    for input in [":465", ".:465", "smtps://:465", "smtps:///"] {
        assert_refused(Smtp, S::Tls, input, "missing_host");
    }
}

// ---- host: Unicode domains ----

#[test]
fn unicode_domain_is_stored_as_punycode_and_shown_in_unicode() {
    for (input, ascii, unicode) in [
        ("почта.рф:993", "xn--80a1acny.xn--p1ai", "почта.рф"),
        ("ПОЧТА.РФ:993", "xn--80a1acny.xn--p1ai", "почта.рф"),
        (
            "mail.почта.рф.:993",
            "mail.xn--80a1acny.xn--p1ai",
            "mail.почта.рф",
        ),
        (
            "bücher.example:993",
            "xn--bcher-kva.example",
            "bücher.example",
        ),
        ("Straße.de:993", "xn--strae-oqa.de", "straße.de"),
    ] {
        let check = assert_accepted(Imap, S::Tls, input, &format!("{ascii}:993"));
        assert_eq!(check.host.as_deref(), Some(ascii));
        assert_eq!(check.unicode_host.as_deref(), Some(unicode), "{input:?}");
        assert_eq!(check.unicode_address(), Some(format!("{unicode}:993")));
        assert!(check.warnings.is_empty());
    }
}

#[test]
fn punycode_name_typed_in_ascii_is_accepted_and_shown_in_unicode() {
    let check = assert_accepted(
        Imap,
        S::Tls,
        "XN--80A1ACNY.xn--p1ai:993",
        "xn--80a1acny.xn--p1ai:993",
    );
    assert_eq!(check.unicode_host.as_deref(), Some("почта.рф"));
}

#[test]
fn full_width_forms_and_ideographic_full_stops_are_mapped() {
    let check = assert_accepted(
        Smtp,
        S::Tls,
        "ｍａｉｌ。ｅｘａｍｐｌｅ。ｃｏｍ:465",
        "mail.example.com:465",
    );
    assert_eq!(check.unicode_host, None);
    assert_accepted(Smtp, S::Tls, "１９２．０．２．１０:465", "192.0.2.10:465");
}

#[test]
fn label_limits_apply_to_the_punycode_form() {
    // 50 Cyrillic letters: under 63 characters as typed, 68 once in punycode.
    let label = "абвгдежзийклмнопрстуфхцчшщъыьэюяяюэьыъщшчцхфутсрпо";
    assert_eq!(label.chars().count(), 50);
    let check = assert_refused(Imap, S::Tls, &format!("{label}.рф:993"), "label_too_long");
    assert_eq!(check.errors[0], ServerError::LabelTooLong { length: 68 });
    let short: String = label.chars().take(40).collect();
    assert!(parse_server(Imap, S::Tls, &format!("{short}.рф:993")).is_valid());
}

#[test]
fn malformed_international_name_is_refused() {
    for input in [
        "xn--a.example:993",
        "xn--80a1acny-.рф:993",
        "a\u{0663}1.example:993",
    ] {
        let check = parse_server(Imap, S::Tls, input);
        assert!(!check.is_valid(), "{input:?}");
    }
    assert_refused(Imap, S::Tls, "xn--a.example:993", "invalid_unicode_name");
}

/// The browser app maps names with the browser's URL parser, the server with the idna crate
/// (core/src/uts46.rs): both must agree on every UTS-46 corner, so these run in both.
#[test]
fn international_names_map_alike_natively_and_in_the_browser() {
    let accepted = [
        ("faß.de", "xn--fa-hia.de"),
        ("ΣΑΣ.gr", "xn--mxa9ab.gr"),
        ("☕.example", "xn--53h.example"),
        ("a\u{94d}\u{200d}b.example", "xn--ab-fsf014u.example"),
        ("１２７.０.０.１", "127.0.0.1"),
        ("مثال.إختبار", "xn--mgbh0fb.xn--kgbechtv"),
        ("xn--zca.de", "xn--zca.de"),
        ("XN--80A1ACNY.XN--P1AI", "xn--80a1acny.xn--p1ai"),
        ("xn--80a1acny.рф", "xn--80a1acny.xn--p1ai"),
        ("ﬁ.example", "fi.example"),
        ("℡.example", "tel.example"),
        ("a\u{300}.example", "xn--0ca.example"),
        ("Ⅻ.example", "xii.example"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("点。中国", "xn--3px.xn--fiqs8s"),
        ("a\u{ad}b.example", "ab.example"),
    ];
    for (input, ascii) in accepted {
        assert_accepted(
            Imap,
            S::Tls,
            &format!("{input}:993"),
            &format!("{ascii}:993"),
        );
    }
    let unicode = parse_server(Imap, S::Tls, "xn--55qx5d.cn:993").unicode_host;
    assert_eq!(unicode.as_deref(), Some("公司.cn"));
    for (input, code) in [
        ("a\u{200d}b.example", "invalid_unicode_name"),
        ("1مثال.example", "invalid_unicode_name"),
        ("⒈.example", "invalid_unicode_name"),
        ("\u{300}a.example", "invalid_unicode_name"),
        ("xn--.example", "invalid_unicode_name"),
        ("xn--a.example", "invalid_unicode_name"),
        // Full-width look-alikes of what ends a URL's host (the URL parser maps, then refuses
        // them); Unicode spaces are named as spaces before any mapping.
        ("a／b.example", "invalid_unicode_name"),
        ("a＠b.example", "invalid_unicode_name"),
        ("a：b.example", "invalid_unicode_name"),
        ("a\u{3000}b.example", "contains_space"),
        ("a\u{a0}b.example", "contains_space"),
        // The browser's URL parser would read these as 127.0.0.1; SPEC 4 refuses them.
        ("０x7f.1", "ipv4_wrong_part_count"),
        ("０x7f.0.0.1", "ipv4_part_not_number"),
        ("пример.р!ф", "invalid_character"),
        ("пример.р*ф", "invalid_character"),
    ] {
        assert_refused(Imap, S::Tls, &format!("{input}:993"), code);
    }
}

// ---- host: IPv4 ----

#[test]
fn ipv4_address_is_accepted() {
    for input in [
        "192.0.2.10:993",
        "0.0.0.0:993",
        "255.255.255.255:993",
        "10.0.0.1.:993",
    ] {
        let check = parse_server(Imap, S::Tls, input);
        assert!(check.is_valid(), "{input:?}: {:?}", check.errors);
    }
    assert_accepted(Imap, S::Tls, "192.0.2.10:993", "192.0.2.10:993");
}

#[test]
fn ipv4_part_with_leading_zero_is_refused() {
    for (input, part) in [
        ("010.1.1.1:993", "010"),
        ("1.01.1.1:993", "01"),
        ("1.1.1.00:993", "00"),
    ] {
        let check = assert_refused(Imap, S::Tls, input, "ipv4_leading_zero");
        assert_eq!(
            check.errors[0],
            ServerError::Ipv4LeadingZero {
                part: part.to_owned()
            }
        );
    }
}

#[test]
fn ipv4_part_above_255_is_refused() {
    for (input, part) in [
        ("256.1.1.1:993", "256"),
        ("1.1.1.999:993", "999"),
        ("1.1.1.1234567890123:993", "1234567890123"),
    ] {
        let check = assert_refused(Imap, S::Tls, input, "ipv4_part_too_big");
        assert_eq!(
            check.errors[0],
            ServerError::Ipv4PartTooBig {
                part: part.to_owned()
            }
        );
    }
}

#[test]
fn name_whose_last_label_is_all_digits_is_a_malformed_ipv4() {
    for (input, count) in [
        ("1.2.3:993", 3),
        ("1.2.3.4.5:993", 5),
        ("mail.1:993", 2),
        ("8:993", 1),
    ] {
        let check = assert_refused(Imap, S::Tls, input, "ipv4_wrong_part_count");
        assert_eq!(check.errors[0], ServerError::Ipv4WrongPartCount { count });
    }
}

#[test]
fn ipv4_part_that_is_not_a_decimal_number_is_refused() {
    for input in ["0x7f.0.0.1:993", "1a.2.3.4:993", "mail.example.3.4:993"] {
        assert_refused(Imap, S::Tls, input, "ipv4_part_not_number");
    }
}

// ---- host: IPv6 ----

#[test]
fn ipv6_address_in_brackets_is_accepted_and_stored_without_them() {
    let check = assert_accepted(Imap, S::Tls, "[2001:db8::1]:993", "[2001:db8::1]:993");
    assert_eq!(check.host.as_deref(), Some("2001:db8::1"));
    assert_accepted(Imap, S::Tls, "[::1]:993", "[::1]:993");
    assert_accepted(
        Imap,
        S::Tls,
        "[::ffff:192.0.2.1]:993",
        "[::ffff:192.0.2.1]:993",
    );
    assert_accepted(Imap, S::Tls, "imaps://[2001:db8::1]/", "[2001:db8::1]:993");
}

#[test]
fn ipv6_address_is_stored_in_its_canonical_form() {
    for input in [
        "[2001:0DB8:0000:0000:0000:0000:0000:0001]:993",
        "[2001:DB8::1]:993",
        "[2001:db8:0::1]:993",
    ] {
        let check = assert_accepted(Imap, S::Tls, input, "[2001:db8::1]:993");
        assert_eq!(check.host.as_deref(), Some("2001:db8::1"));
    }
}

#[test]
fn ipv6_zone_id_is_refused() {
    for input in [
        "[fe80::1%eth0]:993",
        "[fe80::1%25eth0]:993",
        "[fe80::1%]:993",
    ] {
        assert_refused(Imap, S::Tls, input, "ipv6_zone_id");
    }
}

#[test]
fn ipv6_address_without_brackets_is_refused() {
    for input in [
        "2001:db8::1:993",
        "2001:db8::1",
        "::1",
        "fe80::1%eth0:993",
        "2001:db8:0:0:0:0:0:1",
    ] {
        assert_refused(Imap, S::Tls, input, "ipv6_without_brackets");
    }
}

#[test]
fn malformed_ipv6_is_refused() {
    for input in [
        "[2001:db8:::1]:993",
        "[::1:993",
        "[192.0.2.1]:993",
        "[::1]993",
        "[]:993",
        "[mail.example.com]:993",
    ] {
        assert_refused(Imap, S::Tls, input, "invalid_ipv6");
    }
}

// ---- port ----

#[test]
fn missing_port_is_an_error_whose_fix_is_the_usual_port_for_the_security() {
    for (protocol, security, input, address) in [
        (Smtp, S::Tls, "smtp.example.com", "smtp.example.com:465"),
        (
            Smtp,
            S::StartTls,
            "smtp.example.com",
            "smtp.example.com:587",
        ),
        (Smtp, S::None, "smtp.example.com", "smtp.example.com:25"),
        (Imap, S::Tls, "imap.example.com", "imap.example.com:993"),
        (
            Imap,
            S::StartTls,
            "Imap.Example.com:",
            "imap.example.com:143",
        ),
        (Imap, S::None, "imap.example.com", "imap.example.com:143"),
        (Imap, S::Tls, "[2001:db8::1]", "[2001:db8::1]:993"),
        (Imap, S::Tls, "почта.рф", "xn--80a1acny.xn--p1ai:993"),
    ] {
        let check = assert_refused(protocol, security, input, "missing_port");
        assert_eq!(
            check.errors[0].fix(),
            Some(&fix(address, security)),
            "{input:?}"
        );
        let fixed = parse_server(protocol, security, address);
        assert!(fixed.is_valid(), "{address}");
    }
}

#[test]
fn missing_port_of_an_invalid_host_offers_no_fix() {
    let check = parse_server(Smtp, S::Tls, "-smtp.example.com");
    assert_eq!(codes(&check), ["label_hyphen", "missing_port"]);
    assert_eq!(check.errors[1].fix(), None);
}

#[test]
fn port_from_1_to_65535_is_accepted() {
    for (input, port) in [
        ("mail.example.com:1", 1),
        ("mail.example.com:65535", 65535),
        ("mail.example.com:0993", 993),
    ] {
        assert_eq!(
            parse_server(Imap, S::Tls, input).port,
            Some(port),
            "{input:?}"
        );
    }
}

#[test]
fn port_outside_1_to_65535_is_refused() {
    for input in [
        "mail.example.com:0",
        "mail.example.com:000",
        "mail.example.com:65536",
        "mail.example.com:99999999999999999999",
    ] {
        assert_refused(Imap, S::Tls, input, "port_out_of_range");
    }
}

#[test]
fn port_that_is_not_a_number_is_refused() {
    for input in [
        "mail.example.com:imaps",
        "mail.example.com:-993",
        "mail.example.com:+993",
        "mail.example.com:99３",
    ] {
        assert_refused(Imap, S::Tls, input, "invalid_port");
    }
}

#[test]
fn second_port_is_refused() {
    for input in [
        "mail.example.com:993:143",
        "mail.example.com::993",
        "[::1]:993:143",
        "imaps://mail.example.com:993:993/",
    ] {
        assert_refused(Imap, S::Tls, input, "second_port");
    }
}

#[test]
fn host_and_port_errors_are_both_reported() {
    let check = parse_server(Imap, S::Tls, "010.1.1.1:99999");
    assert_eq!(codes(&check), ["ipv4_leading_zero", "port_out_of_range"]);
    assert_eq!(check.port, None);
}

// ---- no user part, no path ----

#[test]
fn user_part_is_refused() {
    for input in [
        "user@mail.example.com:993",
        "imaps://user@mail.example.com/",
        "user:secret@mail.example.com:993",
        "@mail.example.com:993",
    ] {
        assert_refused(Imap, S::Tls, input, "user_part");
    }
}

#[test]
fn path_after_the_address_is_refused() {
    for input in [
        "mail.example.com:993/inbox",
        "imaps://mail.example.com/INBOX",
        "imaps://mail.example.com//",
        "mail.example.com:993?tls=1",
        "mail.example.com:993#x",
        "/mail.example.com:993",
    ] {
        assert_refused(Imap, S::Tls, input, "path");
    }
}

// ---- forgiving input ----

#[test]
fn empty_input_is_required() {
    for input in ["", "   ", "\n", "\t\r\n "] {
        assert_refused(Smtp, S::Tls, input, "required");
    }
}

#[test]
fn surrounding_spaces_and_line_breaks_are_trimmed() {
    for input in [
        "  smtp.example.com:465",
        "smtp.example.com:465\n",
        "\r\n\tsmtp.example.com:465 \r\n",
        "\u{a0}smtp.example.com:465\u{3000}",
    ] {
        assert_accepted(Smtp, S::Tls, input, "smtp.example.com:465");
    }
}

#[test]
fn space_inside_the_address_is_refused() {
    for input in [
        "smtp.example.com :465",
        "smtp.example.com: 465",
        "smtp. example.com:465",
        "smtp.example.com:465\nimap.example.com:993",
    ] {
        assert_refused(Smtp, S::Tls, input, "contains_space");
    }
}

#[test]
fn pasted_mail_url_is_understood() {
    for (protocol, chosen, input, address, security) in [
        (
            Imap,
            S::Tls,
            "imaps://imap.example.com",
            "imap.example.com:993",
            S::Tls,
        ),
        (
            Imap,
            S::Tls,
            "imaps://imap.example.com/",
            "imap.example.com:993",
            S::Tls,
        ),
        (
            Imap,
            S::StartTls,
            "imap://imap.example.com",
            "imap.example.com:143",
            S::StartTls,
        ),
        (
            Imap,
            S::None,
            "imap://imap.example.com/",
            "imap.example.com:143",
            S::None,
        ),
        (
            Smtp,
            S::Tls,
            "smtps://smtp.example.com",
            "smtp.example.com:465",
            S::Tls,
        ),
        (
            Smtp,
            S::StartTls,
            "smtp://smtp.example.com:587",
            "smtp.example.com:587",
            S::StartTls,
        ),
        (
            Smtp,
            S::StartTls,
            "smtp://smtp.example.com:587/",
            "smtp.example.com:587",
            S::StartTls,
        ),
        (
            Smtp,
            S::StartTls,
            "smtp://smtp.example.com",
            "smtp.example.com:587",
            S::StartTls,
        ),
        (
            Smtp,
            S::None,
            "smtp://smtp.example.com",
            "smtp.example.com:25",
            S::None,
        ),
        (
            Imap,
            S::Tls,
            " IMAPS://Imap.Example.COM:993/ \n",
            "imap.example.com:993",
            S::Tls,
        ),
        (
            Imap,
            S::Tls,
            "imaps://почта.рф/",
            "xn--80a1acny.xn--p1ai:993",
            S::Tls,
        ),
    ] {
        let check = assert_accepted(protocol, chosen, input, address);
        assert_eq!(check.security, security, "{input:?}");
        assert_eq!(check.endpoint().unwrap().security, security, "{input:?}");
    }
}

#[test]
fn tls_url_scheme_sets_tls_whatever_security_was_chosen() {
    for chosen in S::ALL {
        let check = assert_accepted(
            Imap,
            chosen,
            "imaps://imap.example.com",
            "imap.example.com:993",
        );
        assert_eq!(check.security, S::Tls);
        assert!(
            check.warnings.is_empty(),
            "{chosen:?}: {:?}",
            check.warnings
        );
        assert_eq!(
            parse_server(Smtp, chosen, "smtps://smtp.example.com").security,
            S::Tls
        );
    }
}

#[test]
fn plain_url_scheme_keeps_the_chosen_security() {
    // smtp://host:465 is how many programs write SMTP over TLS.
    let check = assert_accepted(
        Smtp,
        S::Tls,
        "smtp://smtp.example.com:465",
        "smtp.example.com:465",
    );
    assert_eq!(check.security, S::Tls);
    assert!(check.warnings.is_empty());
    // Without a port, a plain scheme never means the implicit-TLS port: the mismatch is a warning.
    let check = assert_accepted(
        Imap,
        S::Tls,
        "imap://imap.example.com",
        "imap.example.com:143",
    );
    assert_eq!(check.security, S::Tls);
    assert_eq!(warning_codes(&check), ["security_port_mismatch"]);
    assert_eq!(
        check.warnings[0].fix(),
        &fix("imap.example.com:143", S::StartTls)
    );
}

#[test]
fn url_of_the_other_protocol_is_refused() {
    for (protocol, input, scheme) in [
        (Smtp, "imaps://imap.example.com", "imaps"),
        (Smtp, "IMAP://imap.example.com:143", "imap"),
        (Imap, "smtps://smtp.example.com/", "smtps"),
        (Imap, "smtp://smtp.example.com:587", "smtp"),
    ] {
        let check = assert_refused(protocol, S::Tls, input, "wrong_protocol_scheme");
        assert_eq!(
            check.errors[0],
            ServerError::WrongProtocolScheme {
                scheme: scheme.to_owned()
            }
        );
    }
}

#[test]
fn url_that_is_not_a_mail_url_is_refused() {
    for (input, scheme) in [
        ("https://mail.example.com/", "https"),
        ("HTTP://mail.example.com", "http"),
        ("ssl://mail.example.com:993", "ssl"),
    ] {
        let check = assert_refused(Imap, S::Tls, input, "unsupported_scheme");
        assert_eq!(
            check.errors[0],
            ServerError::UnsupportedScheme {
                scheme: scheme.to_owned()
            }
        );
    }
}

// ---- security ↔ port ----

#[test]
fn usual_port_with_its_security_has_no_warning() {
    for (protocol, port, security) in [
        (Smtp, 465, S::Tls),
        (Smtp, 587, S::StartTls),
        (Smtp, 25, S::StartTls),
        (Imap, 993, S::Tls),
        (Imap, 143, S::StartTls),
    ] {
        let check = parse_server(protocol, security, &format!("mail.example.com:{port}"));
        assert!(
            check.is_valid() && check.warnings.is_empty(),
            "{protocol:?} {port} {security:?}: {:?}",
            check.warnings
        );
    }
}

#[test]
fn security_that_does_not_fit_a_usual_port_is_a_warning_whose_fix_follows_the_port() {
    for (protocol, port, chosen, fixed, alternative_port) in [
        (Smtp, 465, S::StartTls, S::Tls, 587),
        (Smtp, 587, S::Tls, S::StartTls, 465),
        (Smtp, 25, S::Tls, S::StartTls, 465),
        (Imap, 993, S::StartTls, S::Tls, 143),
        (Imap, 143, S::Tls, S::StartTls, 993),
    ] {
        let input = format!("mail.example.com:{port}");
        let check = assert_accepted(protocol, chosen, &input, &input);
        assert_eq!(
            check.warnings,
            [ServerWarning::SecurityPortMismatch {
                port,
                security: chosen,
                fix: fix(&input, fixed),
                alternative: fix(&format!("mail.example.com:{alternative_port}"), chosen),
            }],
            "{protocol:?} {port} {chosen:?}"
        );
    }
}

#[test]
fn no_encryption_is_a_warning_whose_fix_keeps_the_port() {
    for (protocol, port, fixed) in [
        (Smtp, 25, S::StartTls),
        (Smtp, 465, S::Tls),
        (Smtp, 587, S::StartTls),
        (Imap, 143, S::StartTls),
        (Imap, 993, S::Tls),
    ] {
        let input = format!("mail.example.com:{port}");
        let check = assert_accepted(protocol, S::None, &input, &input);
        assert_eq!(
            check.warnings,
            [ServerWarning::NoEncryption {
                port,
                fix: fix(&input, fixed)
            }],
            "{protocol:?} {port}"
        );
    }
}

#[test]
fn unusual_port_is_a_warning_whose_fix_is_the_usual_port_for_the_security() {
    for (protocol, security, port, usual) in [
        (Smtp, S::Tls, 2465, 465),
        (Smtp, S::StartTls, 2525, 587),
        (Imap, S::Tls, 1993, 993),
        (Imap, S::StartTls, 1143, 143),
        (Smtp, S::Tls, 993, 465),
        (Imap, S::Tls, 465, 993),
    ] {
        let check = assert_accepted(
            protocol,
            security,
            &format!("mail.example.com:{port}"),
            &format!("mail.example.com:{port}"),
        );
        assert_eq!(
            check.warnings,
            [ServerWarning::UnusualPort {
                port,
                fix: fix(&format!("mail.example.com:{usual}"), security)
            }]
        );
    }
}

#[test]
fn no_encryption_on_an_unusual_port_gives_both_warnings() {
    let check = assert_accepted(Imap, S::None, "[::1]:1143", "[::1]:1143");
    assert_eq!(warning_codes(&check), ["no_encryption", "unusual_port"]);
    assert_eq!(check.warnings[0].fix(), &fix("[::1]:1143", S::StartTls));
    assert_eq!(check.warnings[1].fix(), &fix("[::1]:143", S::None));
}

#[test]
fn applying_a_fix_clears_its_warning_and_leaves_no_error() {
    for (protocol, security, input) in [
        (Smtp, S::None, "smtp.example.com:587"),
        (Smtp, S::StartTls, "smtp.example.com:465"),
        (Imap, S::None, "imap.example.com:7993"),
        (Imap, S::Tls, "imap.example.com:143"),
    ] {
        let check = parse_server(protocol, security, input);
        assert!(!check.warnings.is_empty());
        for warning in &check.warnings {
            for f in [Some(warning.fix()), warning.alternative()]
                .into_iter()
                .flatten()
            {
                let fixed = parse_server(protocol, f.security, &f.address);
                assert!(fixed.is_valid(), "{f:?}");
                assert!(
                    !warning_codes(&fixed).contains(&warning.code()),
                    "{f:?}: {:?}",
                    fixed.warnings
                );
            }
        }
    }
}

#[test]
fn warnings_do_not_block_saving_but_errors_do() {
    let warned = parse_server(Smtp, S::None, "smtp.example.com:2525");
    assert!(warned.is_valid());
    assert_eq!(warned.warnings.len(), 2);
    assert!(warned.endpoint().is_some());
    let refused = parse_server(Smtp, S::Tls, "smtp.example.com");
    assert!(!refused.is_valid());
    assert_eq!(refused.endpoint(), None);
}

// ---- errors and warnings as data ----

fn every_error() -> Vec<ServerError> {
    vec![
        ServerError::Required,
        ServerError::ContainsSpace,
        ServerError::UnsupportedScheme {
            scheme: "https".into(),
        },
        ServerError::WrongProtocolScheme {
            scheme: "imaps".into(),
        },
        ServerError::UserPart,
        ServerError::Path,
        ServerError::MissingHost,
        ServerError::InvalidCharacter { character: '_' },
        ServerError::InvalidCharacter { character: '\n' },
        ServerError::EmptyLabel,
        ServerError::LabelTooLong { length: 64 },
        ServerError::LabelHyphen {
            label: "-mail".into(),
        },
        ServerError::NameTooLong { length: 254 },
        ServerError::InvalidUnicodeName,
        ServerError::Ipv4WrongPartCount { count: 3 },
        ServerError::Ipv4PartNotNumber {
            part: "0x7f".into(),
        },
        ServerError::Ipv4LeadingZero { part: "010".into() },
        ServerError::Ipv4PartTooBig { part: "256".into() },
        ServerError::Ipv6ZoneId,
        ServerError::InvalidIpv6,
        ServerError::Ipv6WithoutBrackets,
        ServerError::MissingPort {
            usual_port: 465,
            security: S::Tls,
            fix: Some(fix("smtp.example.com:465", S::Tls)),
        },
        ServerError::MissingPort {
            usual_port: 465,
            security: S::Tls,
            fix: None,
        },
        ServerError::InvalidPort {
            text: "imaps".into(),
        },
        ServerError::PortOutOfRange {
            text: "65536".into(),
        },
        ServerError::SecondPort,
    ]
}

fn every_warning() -> Vec<ServerWarning> {
    vec![
        ServerWarning::NoEncryption {
            port: 143,
            fix: fix("imap.example.com:143", S::StartTls),
        },
        ServerWarning::SecurityPortMismatch {
            port: 465,
            security: S::StartTls,
            fix: fix("smtp.example.com:465", S::Tls),
            alternative: fix("smtp.example.com:587", S::StartTls),
        },
        ServerWarning::UnusualPort {
            port: 2525,
            fix: fix("smtp.example.com:587", S::StartTls),
        },
    ]
}

#[test]
fn error_and_warning_codes_are_their_json_tags_and_round_trip() {
    for error in every_error() {
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], error.code());
        assert_eq!(serde_json::from_value::<ServerError>(json).unwrap(), error);
    }
    for warning in every_warning() {
        let json = serde_json::to_value(&warning).unwrap();
        assert_eq!(json["code"], warning.code());
        assert_eq!(
            serde_json::from_value::<ServerWarning>(json).unwrap(),
            warning
        );
    }
    let codes: std::collections::HashSet<_> = every_error().iter().map(ServerError::code).collect();
    assert_eq!(codes.len(), 24, "one example per error kind");
}

#[test]
fn every_message_names_its_field_in_both_languages() {
    for protocol in [Smtp, Imap] {
        for (lang, field) in [
            (Lang::En, format!("{} server: ", protocol.label())),
            (Lang::Ru, format!("{} сервер: ", protocol.label())),
        ] {
            let messages = every_error()
                .into_iter()
                .map(|e| e.message(lang, protocol))
                .chain(
                    every_warning()
                        .into_iter()
                        .map(|w| w.message(lang, protocol)),
                );
            for message in messages {
                assert!(message.starts_with(&field), "{message}");
                assert!(message.ends_with('.'), "{message}");
                assert!(
                    !message.contains("{") && !message.contains("}"),
                    "{message}"
                );
                if lang == Lang::Ru {
                    assert!(
                        message.chars().any(|c| ('а'..='я').contains(&c)),
                        "{message}"
                    );
                }
            }
        }
    }
}

#[test]
fn messages_say_how_to_fix_in_the_products_words() {
    let missing = parse_server(Smtp, S::Tls, "smtp.example.com");
    assert_eq!(
        missing.errors[0].message(Lang::En, Smtp),
        "SMTP server: the port is missing. Add it after a colon: with “TLS” it is usually 465, as in smtp.example.com:465."
    );
    let none = parse_server(Imap, S::None, "imap.example.com:143");
    assert_eq!(
        none.warnings[0].message(Lang::Ru, Imap),
        "IMAP сервер: без защиты соединения («Нет») пароль и письма передаются в открытом виде. \
         Выберите «STARTTLS» в поле «Защита соединения», если сервер это поддерживает."
    );
    let mismatch = parse_server(Smtp, S::StartTls, "smtp.example.com:465");
    assert_eq!(
        mismatch.warnings[0].message(Lang::En, Smtp),
        "SMTP server: port 465 is used with “TLS”, not “STARTTLS”. Choose “TLS” in Connection security, \
         or change the address to smtp.example.com:587."
    );
    let zero = parse_server(Imap, S::Tls, "010.1.1.1:993");
    assert!(zero.errors[0].message(Lang::En, Imap).contains("“010”"));
    // Echoed input is shortened.
    let long = parse_server(
        Imap,
        S::Tls,
        &format!("mail.example.com:{}", "x".repeat(500)),
    );
    assert!(long.errors[0].message(Lang::En, Imap).len() < 200);
}

#[test]
fn report_has_the_check_server_command_shape() {
    let report = parse_server(Imap, S::None, " IMAPS://[2001:DB8::1]/ ").report(Lang::En);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "valid": true, "host": "2001:db8::1", "port": 993, "security": "tls", "errors": [], "warnings": []
        })
    );
    let report = parse_server(Smtp, S::None, "почта.рф").report(Lang::En);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["host"], "xn--80a1acny.xn--p1ai");
    assert_eq!(json["unicode_host"], "почта.рф");
    assert_eq!(json["port"], serde_json::Value::Null);
    assert_eq!(json["errors"][0]["code"], "missing_port");
    assert_eq!(
        json["errors"][0]["fix"],
        serde_json::json!({"address": "xn--80a1acny.xn--p1ai:25", "security": "none"})
    );
    let report = parse_server(Smtp, S::StartTls, "smtp.example.com:465").report(Lang::Ru);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["warnings"][0]["code"], "security_port_mismatch");
    assert_eq!(
        json["warnings"][0]["fix"],
        serde_json::json!({"address": "smtp.example.com:465", "security": "tls"})
    );
    assert!(
        json["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("SMTP сервер: ")
    );
}
