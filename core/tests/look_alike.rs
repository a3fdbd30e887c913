//! Issue 13, items 8 and 9: names and mailbox addresses that only look like another are refused,
//! invisible and control characters are refused in every text field, and logins and passwords are
//! bounded. These run natively (the server's rule) and, compiled to wasm32, in headless Chromium
//! and Firefox (the browser's rule, with the browser's own normalisation).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use mail_core::{
    CredentialError, Lang, MAX_LOGIN_CHARS, MAX_PASSWORD_CHARS, NameError, NameIndex, PersonError,
    address_key, check_credentials, check_name, check_name_in, check_new_person, check_sign_in,
    name_key,
};

const SERVICES: [&str; 4] = ["Gmail", "Yandex", "Mail.ru", "Почта Банка"];

/// Each trick of the issue, as typed for a new service beside the standard Gmail.
const LOOK_ALIKES_OF_GMAIL: [(&str, &str); 6] = [
    ("Gmаil", "Cyrillic а"),
    ("Gmai1", "digit one for l"),
    ("Ｇｍａｉｌ", "full-width letters"),
    ("GMAİL", "Turkish dotted capital I"),
    ("GMAIL", "capitals"),
    ("  gmail ", "spaces around"),
];

const INVISIBLE_IN_GMAIL: [(&str, char); 7] = [
    ("Gm\u{200B}ail", '\u{200B}'),
    ("Gm\u{AD}ail", '\u{AD}'),
    ("\u{FEFF}Gmail", '\u{FEFF}'),
    ("Gmail\u{202E}", '\u{202E}'),
    ("G\u{2066}mail\u{2069}", '\u{2066}'),
    ("Gm\u{200D}ail", '\u{200D}'),
    ("Gmail\u{FE0F}", '\u{FE0F}'),
];

#[test]
fn each_look_alike_of_gmail_is_refused_as_a_duplicate_naming_gmail_issue_13_item_8() {
    for (name, trick) in LOOK_ALIKES_OF_GMAIL {
        let error = check_name(name, SERVICES).expect_err(trick);
        let existing = match &error {
            NameError::Duplicate { existing } | NameError::LooksLike { existing } => existing,
            other => panic!("{trick}: {other:?}"),
        };
        assert_eq!(existing, "Gmail", "{trick}");
        assert_eq!(name_key(name), name_key("Gmail"), "{trick}");
    }
}

#[test]
fn case_only_is_duplicate_and_other_tricks_are_looks_like() {
    assert_eq!(
        check_name("GMAIL", SERVICES).unwrap_err().code(),
        "duplicate"
    );
    assert_eq!(
        check_name("Gmаil", SERVICES).unwrap_err().code(),
        "looks_like"
    );
    assert_eq!(
        check_name("Ｇｍａｉｌ", SERVICES).unwrap_err().code(),
        "looks_like"
    );
    assert_eq!(
        check_name("Mai1.ru", SERVICES).unwrap_err().code(),
        "looks_like"
    );
    assert_eq!(
        check_name("Яndex", SERVICES).map_err(|e| e.code()),
        Ok("Яndex".to_owned())
    );
}

#[test]
fn the_look_alike_message_names_the_existing_service_in_both_languages() {
    let error = check_name("Gmаil", SERVICES).unwrap_err();
    assert_eq!(
        error.message(Lang::En),
        "Name: looks like the existing service “Gmail” (letters from another alphabet, full-width letters or spacing look the same to users). Choose a name that differs in what one sees."
    );
    assert!(
        error
            .message(Lang::Ru)
            .starts_with("Название: выглядит как существующий сервис «Gmail»")
    );
}

#[test]
fn invisible_and_direction_characters_are_refused_with_their_own_code_issue_13_item_8() {
    for (name, character) in INVISIBLE_IN_GMAIL {
        assert_eq!(
            check_name(name, SERVICES),
            Err(NameError::InvisibleCharacter { character }),
            "{name:?}"
        );
        // Even without Gmail beside it.
        assert_eq!(
            check_name(name, []).unwrap_err().code(),
            "invisible_character"
        );
    }
    let message = check_name("Gm\u{200B}ail", [])
        .unwrap_err()
        .message(Lang::En);
    assert!(message.contains("U+200B"), "{message}");
    assert!(
        check_name("Gm\u{200B}ail", [])
            .unwrap_err()
            .message(Lang::Ru)
            .contains("U+200B")
    );
}

#[test]
fn names_that_only_resemble_are_still_distinct() {
    for name in [
        "Gmail Business",
        "Mail",
        "Yandex 360",
        "Почта",
        "Банк",
        "Outlook",
    ] {
        assert_eq!(check_name(name, SERVICES), Ok(name.to_owned()), "{name}");
    }
}

#[test]
fn control_characters_are_refused_in_a_name_issue_13_item_9() {
    for name in ["Gm\0ail", "Gmail\u{7}", "Gm\u{2028}ail", "a\u{85}b"] {
        assert_eq!(
            check_name(name, []),
            Err(NameError::ControlCharacter),
            "{name:?}"
        );
    }
}

#[test]
fn a_name_index_finds_every_duplicate_among_many_names_issue_13_item_2() {
    let mut names: Vec<String> = (0..20_000)
        .map(|i| format!("Branch office {i:05}"))
        .collect();
    // Three pairs, far apart: by case, by width, by alphabet.
    names.push("BRANCH OFFICE 00042".to_owned());
    names.push("Branch office 0００99".to_owned());
    names.push("Gmail".to_owned());
    names.push("Gmаil".to_owned());
    let index = NameIndex::new(&names);
    let refused: Vec<(usize, String)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| match check_name_in(name, &index, Some(i)) {
            Err(NameError::Duplicate { existing } | NameError::LooksLike { existing }) => {
                Some((i, existing))
            }
            Err(other) => panic!("{name}: {other:?}"),
            Ok(_) => None,
        })
        .collect();
    let expected = vec![
        (42, "BRANCH OFFICE 00042".to_owned()),
        (99, "Branch office 0００99".to_owned()),
        (20_000, "Branch office 00042".to_owned()),
        (20_001, "Branch office 00099".to_owned()),
        (20_002, "Gmаil".to_owned()),
        (20_003, "Gmail".to_owned()),
    ];
    assert_eq!(refused, expected);
    // The name being edited is not its own duplicate.
    assert_eq!(
        check_name_in("Gmail", &index, Some(20_002))
            .unwrap_err()
            .code(),
        "looks_like"
    );
    assert_eq!(
        check_name_in("Branch office 00007", &index, Some(7)),
        Ok("Branch office 00007".to_owned())
    );
}

#[test]
fn look_alike_mailbox_addresses_have_one_key_issue_13_item_8() {
    let key = address_key("anna@gmail.com");
    for address in [
        "Anna@Gmail.com",
        "аnna@gmail.com",
        "ａｎｎａ@gmail.com",
        " anna@gmail.com ",
    ] {
        assert_eq!(address_key(address), key, "{address}");
    }
    assert_ne!(address_key("anne@gmail.com"), key);
}

#[test]
fn invisible_characters_are_refused_in_a_mailbox_address_issue_13_item_8() {
    for (text, character) in [
        ("an\u{200B}na@gmail.com", '\u{200B}'),
        ("anna@gmail.com\u{202E}", '\u{202E}'),
    ] {
        assert_eq!(
            check_credentials(text, "secret"),
            vec![CredentialError::AddressInvisibleCharacter { character }],
            "{text:?}"
        );
    }
    assert_eq!(
        check_credentials("an\0na@gmail.com", "secret"),
        vec![CredentialError::AddressContainsSpace]
    );
    assert_eq!(
        check_credentials("anna@gmail.com", "se\0cret"),
        vec![CredentialError::PasswordControlCharacter]
    );
    assert_eq!(
        CredentialError::PasswordControlCharacter.field(),
        "password"
    );
}

#[test]
fn sign_in_refuses_what_no_account_can_have_issue_13_items_7_and_9() {
    assert_eq!(check_sign_in("anna", "demo-password"), vec![]);
    assert_eq!(
        check_sign_in("", "x"),
        vec![],
        "an empty login is only a wrong one"
    );
    let long = "a".repeat(MAX_LOGIN_CHARS + 1);
    assert_eq!(
        check_sign_in(&long, "x"),
        vec![PersonError::LoginTooLong {
            max: MAX_LOGIN_CHARS
        }]
    );
    assert_eq!(check_sign_in(&"a".repeat(MAX_LOGIN_CHARS), "x"), vec![]);
    assert_eq!(
        check_sign_in("an\0na", "x"),
        vec![PersonError::LoginContainsSpace]
    );
    assert_eq!(
        check_sign_in("anna", &"p".repeat(MAX_PASSWORD_CHARS + 1)),
        vec![PersonError::PasswordTooLong {
            max: MAX_PASSWORD_CHARS
        }]
    );
    assert_eq!(
        check_sign_in("anna", "pass\0word"),
        vec![PersonError::PasswordControlCharacter]
    );
    for error in check_sign_in(&long, "pass\0word") {
        for lang in Lang::ALL {
            assert!(!error.message(lang).is_empty());
        }
        assert_eq!(error.field_error(Lang::En).field, error.field());
    }
}

#[test]
fn a_new_person_is_refused_long_or_invisible_or_control_text_issue_13_items_7_and_9() {
    assert_eq!(
        check_new_person("anna", "Anna Petrova", "long enough"),
        vec![]
    );
    assert_eq!(
        check_new_person(&"a".repeat(255), "Anna", "long enough"),
        vec![PersonError::LoginTooLong { max: 254 }]
    );
    assert_eq!(
        check_new_person("an\u{200B}na", "An\u{202E}na", "long\u{0}enough"),
        vec![
            PersonError::LoginInvisibleCharacter {
                character: '\u{200B}'
            },
            PersonError::DisplayNameInvisibleCharacter {
                character: '\u{202E}'
            },
            PersonError::PasswordControlCharacter,
        ]
    );
    assert_eq!(
        check_new_person("anna", "Anna\nPetrova", "long enough"),
        vec![PersonError::DisplayNameControlCharacter]
    );
}
