//! Demo content for `serve --demo`: corporate services, people and their mailboxes, made through the
//! same code paths as the app's requests, so the demo obeys every rule the product enforces.

use mail_core::{
    ConnectMailbox, ConnectThrough, Lang, Password, Role, Security, ServerInput, ServiceDraft,
    ServiceKind, ServiceUpdate, SettingsDocument, SettingsUpdate, User,
};

use crate::db::Pool;
use crate::secrets::MailboxKey;
use crate::settings::ExpectedVersion;
use crate::{auth, mailboxes, settings};

/// Every demo person signs in with this password.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo people: login, display name, role.
pub const DEMO_PEOPLE: &[(&str, &str, Role)] = &[
    ("admin", "Alex Admin", Role::Admin),
    ("anna", "Anna Petrova", Role::User),
    ("boris", "Boris Ivanov", Role::User),
    ("chen", "Chen Li", Role::User),
];

/// Adds the demo content to a database that has nobody in it yet; returns whether it did.
pub async fn seed(pool: &Pool, key: &MailboxKey) -> anyhow::Result<bool> {
    if auth::user_exists(pool, DEMO_PEOPLE[0].0).await? {
        return Ok(false);
    }
    let document = settings::document(pool).await?;
    let mut update = as_update(&document);
    for (name, smtp, imap) in [
        (
            "Contoso Mail",
            ("mail.contoso.com:465", Security::Tls),
            ("mail.contoso.com:993", Security::Tls),
        ),
        (
            "Contoso Branch Office",
            ("smtp.branch.contoso.com:587", Security::StartTls),
            ("imap.branch.contoso.com:143", Security::StartTls),
        ),
    ] {
        update.services.push(ServiceUpdate::Corporate {
            id: None,
            draft: ServiceDraft {
                name: name.to_owned(),
                smtp: ServerInput {
                    address: smtp.0.to_owned(),
                    security: smtp.1,
                },
                imap: ServerInput {
                    address: imap.0.to_owned(),
                    security: imap.1,
                },
            },
            hidden: false,
        });
    }
    save_over(pool, document.version, &update).await?;
    let document = settings::document(pool).await?;
    let service = |name: &str| {
        let id = document
            .services
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id);
        ConnectThrough::Service {
            id: id.unwrap_or_default(),
        }
    };
    let mut people = Vec::new();
    for (login, name, role) in DEMO_PEOPLE {
        people.push(auth::add_user(pool, login, name, *role, DEMO_PASSWORD).await?);
    }
    let [_, anna, boris, chen] = &people[..] else {
        unreachable!("four demo people")
    };
    let manual = ConnectThrough::Manual {
        smtp: ServerInput {
            address: "mail.li-family.net:465".to_owned(),
            security: Security::Tls,
        },
        imap: ServerInput {
            address: "mail.li-family.net:993".to_owned(),
            security: Security::Tls,
        },
    };
    let connections: [(&User, &str, ConnectThrough); 6] = [
        (anna, "anna.petrova@gmail.com", service("Gmail")),
        (anna, "anna@contoso.com", service("Contoso Mail")),
        (boris, "boris@contoso.com", service("Contoso Mail")),
        (boris, "boris.ivanov@rambler.ru", service("Rambler")),
        (
            chen,
            "chen@branch.contoso.com",
            service("Contoso Branch Office"),
        ),
        (chen, "chen@li-family.net", manual),
    ];
    for (user, address, server) in connections {
        let request = ConnectMailbox {
            address: address.to_owned(),
            password: Password::new("demo mailbox password"),
            server,
        };
        mailboxes::connect(pool, key, user, &request, Lang::En)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    // Hidden after Boris connected through it: his mailbox stays active (SPEC A5).
    let document = settings::document(pool).await?;
    let mut update = as_update(&document);
    for entry in &mut update.services {
        if let ServiceUpdate::Standard { id, hidden } = entry
            && document
                .services
                .iter()
                .any(|s| s.id == *id && s.name == "Rambler")
        {
            *hidden = true;
        }
    }
    save_over(pool, document.version, &update).await?;
    Ok(true)
}

/// The document as an update that changes nothing.
pub fn as_update(document: &SettingsDocument) -> SettingsUpdate {
    SettingsUpdate {
        allow_manual_entry: document.allow_manual_entry,
        business_process_sending: document.business_process_sending,
        services: document
            .services
            .iter()
            .map(|s| match s.kind {
                ServiceKind::Standard => ServiceUpdate::Standard {
                    id: s.id,
                    hidden: s.hidden,
                },
                ServiceKind::Corporate => ServiceUpdate::Corporate {
                    id: Some(s.id),
                    draft: ServiceDraft {
                        name: s.name.clone(),
                        smtp: (&s.smtp).into(),
                        imap: (&s.imap).into(),
                    },
                    hidden: s.hidden,
                },
            })
            .collect(),
    }
}

/// Saves the demo's changes over the version they were made to.
async fn save_over(pool: &Pool, version: i64, update: &SettingsUpdate) -> anyhow::Result<()> {
    let expected = ExpectedVersion::OneOf(vec![version]);
    settings::save(pool, &expected, update, Lang::En)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))
}
