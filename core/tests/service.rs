//! A whole service as the Add/Edit dialog submits it (SPEC A2, A3, 4), the mailbox types (SPEC U2–U5)
//! and the interface language. These run natively and, compiled to wasm32, in headless Chromium.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use mail_core::{
    ApiErrorBody, BusinessProcessPreference, CredentialError, Lang, MAX_ADDRESS_CHARS,
    MAX_PASSWORD_CHARS, MailboxConnection, MailboxServer, MailboxStatus, NameError, Security as S,
    ServerEndpoint, ServerError, ServerInput, ServiceDraft, ValidService, check_credentials,
    check_name, check_service, name_key, validate_service,
};

fn draft(name: &str, smtp: &str, imap: &str) -> ServiceDraft {
    ServiceDraft {
        name: name.to_owned(),
        smtp: ServerInput {
            address: smtp.to_owned(),
            security: S::Tls,
        },
        imap: ServerInput {
            address: imap.to_owned(),
            security: S::Tls,
        },
    }
}

const OTHERS: [&str; 3] = ["Gmail", "Yandex", "Почта Банка"];

#[test]
fn valid_service_is_trimmed_and_normalised_spec_a2() {
    let service = validate_service(
        &draft(
            "  Contoso Mail \n",
            " SMTP.Contoso.com:465",
            "imaps://IMAP.contoso.com/",
        ),
        OTHERS,
        Lang::En,
    )
    .unwrap();
    assert_eq!(
        service,
        ValidService {
            name: "Contoso Mail".into(),
            smtp: ServerEndpoint::new("smtp.contoso.com", 465, S::Tls),
            imap: ServerEndpoint::new("imap.contoso.com", 993, S::Tls),
        }
    );
}

#[test]
fn service_name_is_required() {
    for name in ["", "   ", "\n\t"] {
        assert_eq!(
            check_name(name, OTHERS),
            Err(NameError::Required),
            "{name:?}"
        );
    }
}

#[test]
fn service_names_are_unique_ignoring_case_and_surrounding_spaces_spec_a2() {
    for name in ["gmail", "GMAIL", " Gmail ", "ПОЧТА БАНКА"] {
        assert!(
            matches!(check_name(name, OTHERS), Err(NameError::Duplicate { .. })),
            "{name:?}"
        );
    }
    assert_eq!(
        check_name("yandex", OTHERS),
        Err(NameError::Duplicate {
            existing: "Yandex".into()
        })
    );
    assert_eq!(check_name("Gmail Work", OTHERS), Ok("Gmail Work".into()));
}

#[test]
fn edited_service_may_keep_its_own_name_spec_a3() {
    // The caller leaves the edited service out of the other names.
    let others = OTHERS.iter().copied().filter(|n| *n != "Yandex");
    assert_eq!(check_name("YANDEX", others), Ok("YANDEX".into()));
}

#[test]
fn service_name_has_a_length_limit_and_no_control_characters() {
    assert_eq!(check_name(&"я".repeat(100), OTHERS), Ok("я".repeat(100)));
    assert_eq!(
        check_name(&"я".repeat(101), OTHERS),
        Err(NameError::TooLong { max: 100 })
    );
    assert_eq!(
        check_name("Contoso\nMail", OTHERS),
        Err(NameError::ControlCharacter)
    );
    assert_eq!(
        check_name("Contoso\tMail", OTHERS),
        Err(NameError::ControlCharacter)
    );
}

#[test]
fn name_key_trims_and_folds_case() {
    assert_eq!(name_key("  Почта Банка "), name_key("почта банка"));
    assert_ne!(name_key("Почта Банка"), name_key("Почта"));
    assert_eq!(name_key("GMail"), name_key("gmail"));
}

#[test]
fn every_invalid_field_gets_its_own_error_spec_4() {
    let body = validate_service(
        &draft(" gmail ", "smtp.contoso.com", "user@imap.contoso.com:993"),
        OTHERS,
        Lang::En,
    )
    .unwrap_err();
    assert_eq!(body.code, "validation_failed");
    let fields: Vec<_> = body
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "duplicate"),
            ("smtp", "missing_port"),
            ("imap", "user_part")
        ]
    );
    assert!(body.fields[0].message.starts_with("Name: "));
    assert!(body.fields[1].message.starts_with("SMTP server: "));
    assert!(body.fields[2].message.starts_with("IMAP server: "));
    let json: ApiErrorBody = serde_json::from_str(&serde_json::to_string(&body).unwrap()).unwrap();
    assert_eq!(json, body);
}

#[test]
fn field_errors_are_in_the_interface_language() {
    let body = validate_service(&draft("", "", ""), OTHERS, Lang::Ru).unwrap_err();
    let messages: Vec<_> = body.fields.iter().map(|f| f.message.as_str()).collect();
    assert!(messages[0].starts_with("Название: "), "{messages:?}");
    assert!(messages[1].starts_with("SMTP сервер: "), "{messages:?}");
    assert!(messages[2].starts_with("IMAP сервер: "), "{messages:?}");
    assert!(!body.message.is_empty());
}

#[test]
fn warnings_do_not_block_saving_a_service() {
    let mut d = draft(
        "Legacy",
        "smtp.legacy.example:25",
        "imap.legacy.example:143",
    );
    d.smtp.security = S::None;
    d.imap.security = S::None;
    let check = check_service(&d, OTHERS);
    assert!(check.is_valid());
    assert_eq!(check.smtp.warnings.len(), 1);
    assert_eq!(check.imap.warnings.len(), 1);
    assert!(check.into_result(Lang::En).is_ok());
}

#[test]
fn a_stored_endpoint_round_trips_through_the_dialog() {
    let endpoint = ServerEndpoint::new("2001:db8::1", 993, S::Tls);
    let input = ServerInput::from(&endpoint);
    assert_eq!(input.address, "[2001:db8::1]:993");
    let d = ServiceDraft {
        name: "v6".into(),
        smtp: ServerInput::from(&ServerEndpoint::new("mail.example", 465, S::Tls)),
        imap: input,
    };
    assert_eq!(validate_service(&d, [], Lang::En).unwrap().imap, endpoint);
}

#[test]
fn mailbox_connection_carries_no_password_and_says_why_it_is_disconnected_spec_a4_u4() {
    let mailbox = MailboxConnection {
        id: 7,
        address: "ivan@contoso.com".into(),
        server: MailboxServer::Service {
            id: 3,
            name: "Contoso Mail".into(),
        },
        status: MailboxStatus::ServerDeleted,
        has_password: true,
    };
    let json = serde_json::to_value(&mailbox).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "id": 7, "address": "ivan@contoso.com",
            "server": {"kind": "service", "id": 3, "name": "Contoso Mail"},
            "status": "server_deleted", "has_password": true
        })
    );
    assert_eq!(
        serde_json::from_value::<MailboxConnection>(json).unwrap(),
        mailbox
    );
    let manual = MailboxServer::Manual {
        smtp: ServerEndpoint::new("smtp.example.com", 587, S::StartTls),
        imap: ServerEndpoint::new("imap.example.com", 993, S::Tls),
    };
    assert_eq!(serde_json::to_value(&manual).unwrap()["kind"], "manual");
    for status in [MailboxStatus::Active, MailboxStatus::ServerDeleted] {
        assert_eq!(MailboxStatus::from_code(status.code()), Some(status));
        assert_eq!(serde_json::to_value(status).unwrap(), status.code());
    }
}

#[test]
fn business_process_preference_inherits_the_company_setting_spec_u5() {
    use BusinessProcessPreference::{Allow, Deny, Inherit};
    assert_eq!(BusinessProcessPreference::default(), Inherit);
    for company in [true, false] {
        assert_eq!(Inherit.allows(company), company);
        assert!(Allow.allows(company));
        assert!(!Deny.allows(company));
    }
    for p in BusinessProcessPreference::ALL {
        assert_eq!(BusinessProcessPreference::from_code(p.code()), Some(p));
        assert_eq!(serde_json::to_value(p).unwrap(), p.code());
    }
}

#[test]
fn interface_language_follows_accept_language() {
    for (header, lang) in [
        ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", Lang::Ru),
        ("en-GB,en;q=0.9,ru;q=0.8", Lang::En),
        ("de-DE,ru;q=0.5", Lang::Ru),
        ("de-DE,fr", Lang::En),
        ("", Lang::En),
        ("ru;q=0.3,en;q=0.6", Lang::En),
    ] {
        assert_eq!(Lang::from_accept_language(header), lang, "{header:?}");
    }
    assert_eq!(Lang::from_code("RU"), Some(Lang::Ru));
    assert_eq!(serde_json::to_value(Lang::Ru).unwrap(), "ru");
}

#[test]
fn a_mailbox_needs_an_address_without_spaces_and_a_password_spec_u2() {
    use CredentialError::*;
    assert_eq!(check_credentials(" anna@example.com ", "secret"), []);
    assert_eq!(
        check_credentials("  ", ""),
        [AddressRequired, PasswordRequired]
    );
    assert_eq!(
        check_credentials("anna @example.com", "x"),
        [AddressContainsSpace]
    );
    assert_eq!(
        check_credentials("anna\t@example.com", "x"),
        [AddressContainsSpace]
    );
    let long_address = "a".repeat(MAX_ADDRESS_CHARS + 1);
    let long_password = "p".repeat(MAX_PASSWORD_CHARS + 1);
    assert_eq!(
        check_credentials(&long_address, &long_password),
        [
            AddressTooLong {
                max: MAX_ADDRESS_CHARS
            },
            PasswordTooLong {
                max: MAX_PASSWORD_CHARS
            }
        ]
    );
    assert_eq!(
        check_credentials(&"я".repeat(MAX_ADDRESS_CHARS), "x"),
        [],
        "characters, not bytes"
    );
    for (error, field, code) in [
        (AddressRequired, "address", "required"),
        (AddressContainsSpace, "address", "contains_space"),
        (PasswordTooLong { max: 1 }, "password", "too_long"),
    ] {
        assert_eq!((error.field(), error.code()), (field, code));
    }
}

#[test]
fn every_mailbox_credential_message_is_in_both_languages() {
    use CredentialError::*;
    let every_error = [
        AddressRequired,
        AddressTooLong {
            max: MAX_ADDRESS_CHARS,
        },
        AddressContainsSpace,
        PasswordRequired,
        PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        },
    ];
    for error in every_error {
        let (en, ru) = (error.message(Lang::En), error.message(Lang::Ru));
        assert!(!en.chars().any(|c| ('а'..='я').contains(&c)), "{en}");
        assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{ru}");
        assert!(en.ends_with('.') && ru.ends_with('.'), "{en} / {ru}");
    }
    assert_eq!(
        AddressTooLong { max: 254 }.message(Lang::Ru),
        "Адрес почтового ящика слишком длинный: допускается не более 254 символов."
    );
}

#[test]
fn lengths_in_messages_take_the_russian_plural_form_of_their_number() {
    for (length, words) in [
        (64, "длиной 64 символа"),
        (65, "длиной 65 символов"),
        (71, "длиной 71 символ"),
    ] {
        let message =
            ServerError::LabelTooLong { length }.message(Lang::Ru, mail_core::Protocol::Smtp);
        assert!(message.contains(words), "{message}");
    }
    let message =
        ServerError::NameTooLong { length: 254 }.message(Lang::En, mail_core::Protocol::Imap);
    assert!(message.contains("is 254 characters long"), "{message}");
    assert!(
        NameError::TooLong { max: 100 }
            .message(Lang::Ru)
            .contains("до 100 символов")
    );
    assert!(
        NameError::TooLong { max: 21 }
            .message(Lang::Ru)
            .contains("до 21 символа")
    );
    assert!(
        NameError::TooLong { max: 1 }
            .message(Lang::En)
            .contains("at most 1 character.")
    );
}
