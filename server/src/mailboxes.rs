//! People's mailbox connections: the picker, connecting and disconnecting, and the business-process
//! preference (SPEC U1–U5); and, for administrators, who uses a service (SPEC A4).

use mail_core::{
    ApiErrorBody, BusinessProcessPreference, BusinessProcessSending, ConnectMailbox,
    ConnectThrough, FieldError, Lang, MailboxConnection, MailboxId, MailboxServer, MailboxStatus,
    Protocol, ServiceId, ServiceMailbox, ServiceUsage, User, address_key, check_credentials,
    parse_server,
};

use crate::db::{Pool, begin_write, on_db};
use crate::error::{AppError, Problem};
use crate::secrets::{MailboxKey, mailbox_binding};
use crate::settings::endpoint;

/// Moves the settings' `usage_revision` on (see [`crate::settings::Revision`]). Run it first in a
/// transaction that changes which mailboxes use a service: it also takes the lock on the settings
/// row, and a save takes that lock first as well, so the two cannot deadlock on PostgreSQL.
const BUMP_USAGE_REVISION: &str =
    "UPDATE settings SET usage_revision = usage_revision + 1 WHERE id = 1";

#[derive(sqlx::FromRow)]
struct MailboxRow {
    id: i64,
    address: String,
    service_id: Option<i64>,
    service_name: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<i64>,
    smtp_security: Option<String>,
    imap_host: Option<String>,
    imap_port: Option<i64>,
    imap_security: Option<String>,
    status: String,
    has_password: bool,
}

impl TryFrom<MailboxRow> for MailboxConnection {
    type Error = anyhow::Error;

    fn try_from(row: MailboxRow) -> anyhow::Result<MailboxConnection> {
        let server = match (row.service_id, row.service_name) {
            (Some(id), Some(name)) => MailboxServer::Service { id, name },
            _ => {
                let missing =
                    || anyhow::anyhow!("mailbox {} has neither a service nor servers", row.id);
                MailboxServer::Manual {
                    smtp: endpoint(
                        row.smtp_host.ok_or_else(missing)?,
                        row.smtp_port.unwrap_or(0),
                        row.smtp_security.as_deref().unwrap_or(""),
                    )?,
                    imap: endpoint(
                        row.imap_host.ok_or_else(missing)?,
                        row.imap_port.unwrap_or(0),
                        row.imap_security.as_deref().unwrap_or(""),
                    )?,
                }
            }
        };
        let status = MailboxStatus::from_code(&row.status).ok_or_else(|| {
            anyhow::anyhow!("mailbox {}: unknown status {:?}", row.id, row.status)
        })?;
        Ok(MailboxConnection {
            id: row.id,
            address: row.address,
            server,
            status,
            has_password: row.has_password,
        })
    }
}

const SELECT_MAILBOXES: &str = "SELECT m.id, m.address, m.service_id, s.name AS service_name, \
     m.smtp_host, m.smtp_port, m.smtp_security, m.imap_host, m.imap_port, m.imap_security, m.status, \
     (m.password_ciphertext IS NOT NULL) AS has_password \
     FROM mailboxes m LEFT JOIN mail_services s ON s.id = m.service_id";

/// A person's own mailboxes, oldest first; those whose server was deleted stay listed.
pub async fn of_user(pool: &Pool, user: &User) -> anyhow::Result<Vec<MailboxConnection>> {
    on_db!(pool, |p| {
        let rows: Vec<MailboxRow> = sqlx::query_as(&format!(
            "{SELECT_MAILBOXES} WHERE m.user_id = $1 ORDER BY m.id"
        ))
        .bind(user.id)
        .fetch_all(p)
        .await?;
        rows.into_iter().map(MailboxConnection::try_from).collect()
    })
}

/// Checks what the user typed; the servers of "Other" with the admin dialog's rules (SPEC U3).
fn check_request(request: &ConnectMailbox, lang: Lang) -> Result<(), ApiErrorBody> {
    let mut errors: Vec<FieldError> =
        check_credentials(&request.address, request.password.expose())
            .into_iter()
            .map(|e| FieldError {
                field: e.field().to_owned(),
                code: e.code().to_owned(),
                message: e.message(lang),
            })
            .collect();
    if let ConnectThrough::Manual { smtp, imap } = &request.server {
        for (protocol, input) in [(Protocol::Smtp, smtp), (Protocol::Imap, imap)] {
            let check = parse_server(protocol, input.security, &input.address);
            let field = protocol.code();
            errors.extend(check.errors.iter().map(|e| FieldError {
                field: field.to_owned(),
                code: e.code().to_owned(),
                message: e.message(lang, protocol),
            }));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiErrorBody::validation_failed(lang, errors))
    }
}

/// Connects a mailbox for `user`, refusing services that are hidden or deleted and "Other" while
/// manual entry is off (SPEC A5, A6); the password is stored sealed.
pub async fn connect(
    pool: &Pool,
    key: &MailboxKey,
    user: &User,
    request: &ConnectMailbox,
    lang: Lang,
) -> Result<MailboxConnection, AppError> {
    check_request(request, lang).map_err(AppError::Invalid)?;
    let address = request.address.trim();
    let id: MailboxId = on_db!(pool, |p| {
        let mut tx = begin_write(p).await?;
        sqlx::query(BUMP_USAGE_REVISION).execute(&mut *tx).await?;
        let (service_id, servers) = match &request.server {
            ConnectThrough::Service { id } => {
                let service: Option<(bool, bool)> =
                    sqlx::query_as("SELECT hidden, deleted FROM mail_services WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                match service {
                    None | Some((_, true)) => return Err(Problem::ServiceDeleted.into()),
                    Some((true, false)) => return Err(Problem::ServiceHidden.into()),
                    Some((false, false)) => {}
                }
                (Some(*id), None)
            }
            ConnectThrough::Manual { smtp, imap } => {
                let allowed: bool =
                    sqlx::query_scalar("SELECT allow_manual_entry FROM settings WHERE id = 1")
                        .fetch_one(&mut *tx)
                        .await?;
                if !allowed {
                    return Err(Problem::ManualEntryNotAllowed.into());
                }
                let smtp = parse_server(Protocol::Smtp, smtp.security, &smtp.address).endpoint();
                let imap = parse_server(Protocol::Imap, imap.security, &imap.address).endpoint();
                let (Some(smtp), Some(imap)) = (smtp, imap) else {
                    return Err(
                        anyhow::anyhow!("servers checked valid did not give endpoints").into(),
                    );
                };
                (None, Some((smtp, imap)))
            }
        };
        let (smtp, imap) = match &servers {
            Some((smtp, imap)) => (Some(smtp), Some(imap)),
            None => (None, None),
        };
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO mailboxes (user_id, address, address_key, service_id, smtp_host, smtp_port, smtp_security, \
             imap_host, imap_port, imap_security) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(user.id)
        .bind(address)
        .bind(address_key(address))
        .bind(service_id)
        .bind(smtp.map(|e| e.host.clone()))
        .bind(smtp.map(|e| i64::from(e.port)))
        .bind(smtp.map(|e| e.security.code()))
        .bind(imap.map(|e| e.host.clone()))
        .bind(imap.map(|e| i64::from(e.port)))
        .bind(imap.map(|e| e.security.code()))
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(Problem::AlreadyConnected.into());
            }
            Err(error) => return Err(error.into()),
        };
        let sealed = key.seal(request.password.expose(), &mailbox_binding(id, user.id));
        sqlx::query(
            "UPDATE mailboxes SET password_nonce = $2, password_ciphertext = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(&sealed.nonce)
        .bind(&sealed.ciphertext)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(id)
    })?;
    let connection = one(pool, user, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("mailbox {id} vanished after connecting"))?;
    Ok(connection)
}

/// One of the user's mailboxes; another person's is `None`, as if it did not exist.
pub async fn one(
    pool: &Pool,
    user: &User,
    id: MailboxId,
) -> anyhow::Result<Option<MailboxConnection>> {
    on_db!(pool, |p| {
        let row: Option<MailboxRow> = sqlx::query_as(&format!(
            "{SELECT_MAILBOXES} WHERE m.id = $1 AND m.user_id = $2"
        ))
        .bind(id)
        .bind(user.id)
        .fetch_optional(p)
        .await?;
        row.map(MailboxConnection::try_from).transpose()
    })
}

/// Disconnects (removes) one of the user's mailboxes; `false` when it is not theirs or not there.
pub async fn disconnect(pool: &Pool, user: &User, id: MailboxId) -> anyhow::Result<bool> {
    on_db!(pool, |p| {
        let mut tx = begin_write(p).await?;
        sqlx::query(BUMP_USAGE_REVISION).execute(&mut *tx).await?;
        let removed = sqlx::query("DELETE FROM mailboxes WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed > 0 {
            tx.commit().await?;
        }
        Ok(removed > 0)
    })
}

/// Whose active mailboxes use a service, for the delete confirmation (SPEC A4).
pub async fn usage(pool: &Pool, service_id: ServiceId) -> Result<ServiceUsage, AppError> {
    on_db!(pool, |p| {
        let mut tx = p.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM mail_services WHERE id = $1 AND NOT deleted")
                .bind(service_id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Err(Problem::ServiceNotFound.into());
        }
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT u.display_name, u.login, m.address FROM mailboxes m JOIN users u ON u.id = m.user_id \
             WHERE m.service_id = $1 AND m.status = 'active' ORDER BY u.display_name, u.login, m.address",
        )
        .bind(service_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ServiceUsage {
            service_id,
            mailboxes: rows
                .into_iter()
                .map(|(user_display_name, user_login, address)| ServiceMailbox {
                    user_display_name,
                    user_login,
                    address,
                })
                .collect(),
        })
    })
}

/// The user's business-process preference and what is in effect (SPEC U5, A7).
pub async fn business_process_sending(
    pool: &Pool,
    user: &User,
) -> anyhow::Result<BusinessProcessSending> {
    on_db!(pool, |p| {
        let mut tx = p.begin().await?;
        let company_allows: bool =
            sqlx::query_scalar("SELECT business_process_sending FROM settings WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        let code: String =
            sqlx::query_scalar("SELECT business_process_preference FROM users WHERE id = $1")
                .bind(user.id)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        let preference = BusinessProcessPreference::from_code(&code)
            .ok_or_else(|| anyhow::anyhow!("user {}: unknown preference {code:?}", user.id))?;
        Ok(BusinessProcessSending {
            preference,
            company_allows,
            effective: preference.allows(company_allows),
        })
    })
}

pub async fn set_business_process_preference(
    pool: &Pool,
    user: &User,
    preference: BusinessProcessPreference,
) -> anyhow::Result<BusinessProcessSending> {
    on_db!(pool, |p| {
        sqlx::query("UPDATE users SET business_process_preference = $2 WHERE id = $1")
            .bind(user.id)
            .bind(preference.code())
            .execute(p)
            .await?;
        Ok::<_, anyhow::Error>(())
    })?;
    business_process_sending(pool, user).await
}
