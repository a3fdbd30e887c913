//! The "Email service settings" document: reading it, and saving the whole of it at once with an
//! optimistic version check (SPEC A1–A8).

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use axum::http::StatusCode;
use mail_core::{
    ApiErrorBody, FieldError, Lang, MailService, Security, ServerEndpoint, ServiceId, ServiceKind,
    ServiceUpdate, SettingsDocument, SettingsUpdate, ValidService, check_service, name_key,
};

use crate::db::{Pool, on_db, snapshot_begin, write_begin};
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    standard_key: Option<String>,
    name: String,
    smtp_host: String,
    smtp_port: i64,
    smtp_security: String,
    imap_host: String,
    imap_port: i64,
    imap_security: String,
    hidden: bool,
    position: i64,
    mailbox_count: i64,
}

pub(crate) fn endpoint(host: String, port: i64, security: &str) -> anyhow::Result<ServerEndpoint> {
    let port =
        u16::try_from(port).with_context(|| format!("stored port {port} is out of range"))?;
    let security = Security::from_code(security)
        .with_context(|| format!("unknown stored security {security:?}"))?;
    Ok(ServerEndpoint::new(host, port, security))
}

impl TryFrom<ServiceRow> for MailService {
    type Error = anyhow::Error;

    fn try_from(row: ServiceRow) -> anyhow::Result<MailService> {
        let id = row.id;
        Ok(MailService {
            id,
            kind: if row.standard_key.is_some() {
                ServiceKind::Standard
            } else {
                ServiceKind::Corporate
            },
            smtp: endpoint(row.smtp_host, row.smtp_port, &row.smtp_security)
                .with_context(|| format!("service {id}"))?,
            imap: endpoint(row.imap_host, row.imap_port, &row.imap_security)
                .with_context(|| format!("service {id}"))?,
            name: row.name,
            hidden: row.hidden,
            position: row.position,
            mailbox_count: u64::try_from(row.mailbox_count).unwrap_or(0),
        })
    }
}

const SELECT_SERVICES: &str = "SELECT s.id, s.standard_key, s.name, s.smtp_host, s.smtp_port, s.smtp_security, \
     s.imap_host, s.imap_port, s.imap_security, s.hidden, s.position, \
     (SELECT COUNT(*) FROM mailboxes m WHERE m.service_id = s.id AND m.status = 'active') AS mailbox_count \
     FROM mail_services s WHERE NOT s.deleted ORDER BY s.position, s.id";

/// Names the exact content of the settings document (and so of the picker): `version` moves on with
/// every save of the settings and every standard service added; `usage_revision` with every change
/// to which mailboxes use a service. Both only grow, within one transaction with the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revision {
    pub version: i64,
    pub usage_revision: i64,
}

const SELECT_REVISION: &str = "SELECT version, usage_revision FROM settings WHERE id = 1";

/// The revision the database holds now: one small query.
pub async fn revision(pool: &Pool) -> anyhow::Result<Revision> {
    on_db!(pool, |p| {
        let (version, usage_revision) = sqlx::query_as(SELECT_REVISION).fetch_one(p).await?;
        Ok(Revision {
            version,
            usage_revision,
        })
    })
}

/// The settings document: the switches and every service that is not deleted, in order.
pub async fn document(pool: &Pool) -> anyhow::Result<SettingsDocument> {
    Ok(document_at_revision(pool).await?.0)
}

/// The settings document and the revision it is the content of, read from one snapshot.
pub async fn document_at_revision(pool: &Pool) -> anyhow::Result<(SettingsDocument, Revision)> {
    on_db!(pool, |p| {
        let mut tx = p.begin_with(snapshot_begin(p)).await?;
        let (version, usage_revision, allow_manual_entry, business_process_sending): (i64, i64, bool, bool) =
            sqlx::query_as("SELECT version, usage_revision, allow_manual_entry, business_process_sending FROM settings WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        let services = sqlx::query_as::<_, ServiceRow>(SELECT_SERVICES)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(MailService::try_from)
            .collect::<anyhow::Result<Vec<_>>>()?;
        tx.commit().await?;
        let document = SettingsDocument {
            version,
            allow_manual_entry,
            business_process_sending,
            services,
        };
        let revision = Revision {
            version,
            usage_revision,
        };
        Ok((document, revision))
    })
}

/// A service as the save will write it.
enum Planned {
    Standard {
        id: ServiceId,
        hidden: bool,
    },
    Corporate {
        id: Option<ServiceId>,
        service: ValidService,
        hidden: bool,
    },
}

/// Checks an update against the services saved now; every problem becomes a field error.
fn plan(
    update: &SettingsUpdate,
    saved: &[(ServiceId, Option<String>, String)],
    lang: Lang,
) -> Result<Vec<Planned>, ApiErrorBody> {
    let kinds: HashMap<ServiceId, bool> = saved
        .iter()
        .map(|(id, key, _)| (*id, key.is_some()))
        .collect();
    let saved_names: HashMap<ServiceId, &str> = saved
        .iter()
        .map(|(id, _, name)| (*id, name.as_str()))
        .collect();
    // The names the services will have after the save, for the uniqueness rule.
    let names: Vec<String> = update
        .services
        .iter()
        .map(|entry| match entry {
            ServiceUpdate::Standard { id, .. } => {
                saved_names.get(id).copied().unwrap_or_default().to_owned()
            }
            ServiceUpdate::Corporate { draft, .. } => draft.name.clone(),
        })
        .collect();
    let mut errors = Vec::new();
    let mut field = |index: usize, name: &str, code: &str, message: String| {
        errors.push(FieldError {
            field: format!("services[{index}].{name}"),
            code: code.to_owned(),
            message,
        });
    };
    let mut seen = HashSet::new();
    let mut planned = Vec::new();
    for (index, entry) in update.services.iter().enumerate() {
        let (id, standard) = match entry {
            ServiceUpdate::Standard { id, .. } => (Some(*id), true),
            ServiceUpdate::Corporate { id, .. } => (*id, false),
        };
        if let Some(id) = id {
            if !seen.insert(id) {
                field(
                    index,
                    "id",
                    "duplicate_service",
                    format!(
                        "Service {id} is listed twice. Reload the page and make your changes again."
                    ),
                );
                continue;
            }
            match kinds.get(&id) {
                None => {
                    field(
                        index,
                        "id",
                        "unknown_service",
                        format!(
                            "Service {id} no longer exists; another administrator may have deleted it. Reload the page."
                        ),
                    );
                    continue;
                }
                Some(&is_standard) if is_standard != standard => {
                    field(
                        index,
                        "kind",
                        "wrong_kind",
                        "Standard services can only be hidden or shown, not edited.".to_owned(),
                    );
                    continue;
                }
                Some(_) => {}
            }
        }
        match entry {
            ServiceUpdate::Standard { id, hidden } => planned.push(Planned::Standard {
                id: *id,
                hidden: *hidden,
            }),
            ServiceUpdate::Corporate { id, draft, hidden } => {
                let others = names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != index)
                    .map(|(_, n)| n.as_str());
                let check = check_service(draft, others);
                for error in check.field_errors(lang) {
                    field(index, &error.field, &error.code, error.message);
                }
                if let Ok(service) = check.into_result(lang) {
                    planned.push(Planned::Corporate {
                        id: *id,
                        service,
                        hidden: *hidden,
                    });
                }
            }
        }
    }
    for (id, key, name) in saved {
        if key.is_some() && !seen.contains(id) {
            errors.push(FieldError {
                field: "services".to_owned(),
                code: "standard_service_missing".to_owned(),
                message: format!("The standard service {name} cannot be deleted; hide it instead."),
            });
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(ApiErrorBody::validation_failed(lang, errors))
    }
}

/// Saves the whole document if nobody saved since `expected_version`: 412 otherwise, 422 with
/// field errors for an invalid one. Deleting a service marks its mailboxes as disconnected.
pub async fn save(
    pool: &Pool,
    expected_version: i64,
    update: &SettingsUpdate,
    lang: Lang,
) -> Result<(), AppError> {
    on_db!(pool, |p| {
        let mut tx = p.begin_with(write_begin(p)).await?;
        // The version check comes first and takes the write lock: of two saves of one version,
        // the second waits here and then finds the version moved on.
        let claimed = sqlx::query(
            "UPDATE settings SET version = version + 1, allow_manual_entry = $2, business_process_sending = $3 \
             WHERE id = 1 AND version = $1",
        )
        .bind(expected_version)
        .bind(update.allow_manual_entry)
        .bind(update.business_process_sending)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Err(AppError::refused(
                StatusCode::PRECONDITION_FAILED,
                "stale_version",
                "Another administrator saved these settings after you opened the page. Your changes are not saved yet: reload the current settings, then apply your changes again.",
            ));
        }
        let saved: Vec<(i64, Option<String>, String)> =
            sqlx::query_as("SELECT id, standard_key, name FROM mail_services WHERE NOT deleted")
                .fetch_all(&mut *tx)
                .await?;
        let planned = plan(update, &saved, lang).map_err(AppError::invalid)?;
        let kept: HashSet<ServiceId> = planned
            .iter()
            .filter_map(|p| match p {
                Planned::Standard { id, .. } => Some(*id),
                Planned::Corporate { id, .. } => *id,
            })
            .collect();
        for (id, standard_key, _) in &saved {
            if standard_key.is_none() && !kept.contains(id) {
                sqlx::query("UPDATE mail_services SET deleted = TRUE WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE mailboxes SET status = 'server_deleted' WHERE service_id = $1 AND status = 'active'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // Names may be swapped within one save: park the kept corporate names on keys no real name
        // can have (names have no control characters) before writing the new ones.
        sqlx::query("UPDATE mail_services SET name_key = $1 || CAST(id AS TEXT) WHERE standard_key IS NULL AND NOT deleted")
            .bind("\u{1}")
            .execute(&mut *tx)
            .await?;
        for (position, entry) in planned.iter().enumerate() {
            let position = position as i64 + 1;
            match entry {
                Planned::Standard { id, hidden } => {
                    sqlx::query(
                        "UPDATE mail_services SET hidden = $2, position = $3 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(hidden)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
                }
                Planned::Corporate {
                    id: Some(id),
                    service,
                    hidden,
                } => {
                    sqlx::query(
                        "UPDATE mail_services SET name = $2, name_key = $3, smtp_host = $4, smtp_port = $5, smtp_security = $6, \
                         imap_host = $7, imap_port = $8, imap_security = $9, hidden = $10, position = $11 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&service.name)
                    .bind(name_key(&service.name))
                    .bind(&service.smtp.host)
                    .bind(i64::from(service.smtp.port))
                    .bind(service.smtp.security.code())
                    .bind(&service.imap.host)
                    .bind(i64::from(service.imap.port))
                    .bind(service.imap.security.code())
                    .bind(hidden)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
                }
                Planned::Corporate {
                    id: None,
                    service,
                    hidden,
                } => {
                    sqlx::query(
                        "INSERT INTO mail_services (standard_key, name, name_key, smtp_host, smtp_port, smtp_security, \
                         imap_host, imap_port, imap_security, hidden, position) \
                         VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(&service.name)
                    .bind(name_key(&service.name))
                    .bind(&service.smtp.host)
                    .bind(i64::from(service.smtp.port))
                    .bind(service.smtp.security.code())
                    .bind(&service.imap.host)
                    .bind(i64::from(service.imap.port))
                    .bind(service.imap.security.code())
                    .bind(hidden)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    })
}
