//! The "Email service settings" document: reading it, and saving the whole of it at once with an
//! optimistic version check (SPEC A1–A8).

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use mail_core::{
    ApiErrorBody, FieldError, Lang, MailService, NameIndex, Security, ServerEndpoint, ServiceId,
    ServiceKind, ServiceUpdate, SettingsDocument, SettingsUpdate, ValidService, check_service_in,
    name_key,
};

use crate::db::{Pool, begin_snapshot, begin_write, on_db};
use crate::error::{AppError, Problem};

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
        let mut tx = begin_snapshot(p).await?;
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

/// What is wrong with the list of services in a save, beside a field of the 422 answer; the
/// messages are in [`crate::messages`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceListError {
    /// An id listed twice.
    Duplicate { id: ServiceId },
    /// An id of no service (any more).
    Unknown { id: ServiceId },
    /// A standard service sent with servers to save, as if it were corporate.
    StandardEdited,
    /// A corporate service sent as a standard one.
    CorporateAsStandard { id: ServiceId },
    /// A standard service left out of the list, as if deleted.
    StandardMissing { name: String },
}

impl ServiceListError {
    pub const fn code(&self) -> &'static str {
        match self {
            ServiceListError::Duplicate { .. } => "duplicate_service",
            ServiceListError::Unknown { .. } => "unknown_service",
            ServiceListError::StandardEdited | ServiceListError::CorporateAsStandard { .. } => {
                "wrong_kind"
            }
            ServiceListError::StandardMissing { .. } => "standard_service_missing",
        }
    }
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
    // The names the services will have after the save, for the uniqueness rule: each name's key is
    // computed once, so checking every name against all the others stays linear.
    let names = NameIndex::new(update.services.iter().map(|entry| match entry {
        ServiceUpdate::Standard { id, .. } => {
            saved_names.get(id).copied().unwrap_or_default().to_owned()
        }
        ServiceUpdate::Corporate { draft, .. } => draft.name.clone(),
    }));
    let mut errors = Vec::new();
    let list_error = |field: String, error: ServiceListError| FieldError {
        field,
        code: error.code().to_owned(),
        message: error.message(lang),
    };
    let mut seen = HashSet::new();
    let mut planned = Vec::new();
    for (index, entry) in update.services.iter().enumerate() {
        let (id, standard) = match entry {
            ServiceUpdate::Standard { id, .. } => (Some(*id), true),
            ServiceUpdate::Corporate { id, .. } => (*id, false),
        };
        if let Some(id) = id {
            let error = if seen.insert(id) {
                match kinds.get(&id) {
                    None => Some(("id", ServiceListError::Unknown { id })),
                    Some(true) if !standard => Some(("kind", ServiceListError::StandardEdited)),
                    Some(false) if standard => {
                        Some(("kind", ServiceListError::CorporateAsStandard { id }))
                    }
                    Some(_) => None,
                }
            } else {
                Some(("id", ServiceListError::Duplicate { id }))
            };
            if let Some((name, error)) = error {
                errors.push(list_error(format!("services[{index}].{name}"), error));
                continue;
            }
        }
        match entry {
            ServiceUpdate::Standard { id, hidden } => planned.push(Planned::Standard {
                id: *id,
                hidden: *hidden,
            }),
            ServiceUpdate::Corporate { id, draft, hidden } => {
                let check = check_service_in(draft, &names, Some(index));
                for error in check.field_errors(lang) {
                    errors.push(FieldError {
                        field: format!("services[{index}].{}", error.field),
                        ..error
                    });
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
            let name = name.clone();
            errors.push(list_error(
                "services".to_owned(),
                ServiceListError::StandardMissing { name },
            ));
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(ApiErrorBody::validation_failed(lang, errors))
    }
}

/// The versions of the settings a save may be applied to: what its `If-Match` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// `*`: whatever version is current.
    Any,
    /// A save made to one of these versions; none of them (an empty list) is never current.
    OneOf(Vec<i64>),
}

impl ExpectedVersion {
    pub fn admits(&self, version: i64) -> bool {
        match self {
            ExpectedVersion::Any => true,
            ExpectedVersion::OneOf(versions) => versions.contains(&version),
        }
    }
}

/// The services a save is judged against, as `(id, standard_key, name)`.
type SavedServices = Vec<(ServiceId, Option<String>, String)>;

/// Saves the whole document if the current version is one `expected` admits (its `If-Match`): 412
/// otherwise, 422 with field errors for an invalid one. Deleting a service marks its mailboxes as disconnected.
///
/// The update is judged before the write lock is taken, against a snapshot of the saved services, so that judging a long list does not keep other writers waiting (issue
/// 13, item 2). That judgement still holds when the write transaction then claims the version:
/// every change to `mail_services` moves the version on in its own transaction, so services
/// unchanged since the snapshot are exactly those of an unchanged version.
pub async fn save(
    pool: &Pool,
    expected: &ExpectedVersion,
    update: &SettingsUpdate,
    lang: Lang,
) -> Result<(), AppError> {
    // `*` admits whatever version is current: when another save lands between the snapshot and
    // the write, judge again against the newer one rather than refuse (a few tries, then 412).
    let tries = if *expected == ExpectedVersion::Any {
        3
    } else {
        1
    };
    for _ in 0..tries {
        let (version, saved) = saved_services(pool).await?;
        if !expected.admits(version) {
            return Err(Problem::StaleVersion.into());
        }
        let planned = plan(update, &saved, lang).map_err(AppError::Invalid)?;
        match write(pool, version, update, &saved, &planned).await {
            Err(AppError::Problem(Problem::StaleVersion)) => continue,
            done => return done,
        }
    }
    Err(Problem::StaleVersion.into())
}

/// The settings' version and the services that are not deleted, read from one snapshot.
async fn saved_services(pool: &Pool) -> Result<(i64, SavedServices), AppError> {
    on_db!(pool, |p| {
        let mut tx = begin_snapshot(p).await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM settings WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let saved: SavedServices =
            sqlx::query_as("SELECT id, standard_key, name FROM mail_services WHERE NOT deleted")
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok((version, saved))
    })
}

/// Writes a judged update, if the version is still `expected_version`.
async fn write(
    pool: &Pool,
    expected_version: i64,
    update: &SettingsUpdate,
    saved: &SavedServices,
    planned: &[Planned],
) -> Result<(), AppError> {
    on_db!(pool, |p| {
        let mut tx = begin_write(p).await?;
        // The version check comes first and takes the write lock: of two saves of one version,
        // the second waits here and then finds the version moved on. A refused save rolls back.
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
            return Err(Problem::StaleVersion.into());
        }
        let kept: HashSet<ServiceId> = planned
            .iter()
            .filter_map(|p| match p {
                Planned::Standard { id, .. } => Some(*id),
                Planned::Corporate { id, .. } => *id,
            })
            .collect();
        for (id, standard_key, _) in saved {
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
