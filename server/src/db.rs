//! The database: connecting to SQLite or PostgreSQL, migrations, and the rows behind the settings page.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use mail_core::catalog::STANDARD_SERVICES;
use mail_core::name_key;
use mail_core::{MailService, Security, ServerEndpoint, ServiceKind, SettingsDocument};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// The database behind the server: the embedded SQLite file, or PostgreSQL shared by several replicas.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code, and so the same query text (`$1` placeholders work in both), on whichever
/// database the pool holds. The body is compiled once per backend, so both are type-checked.
macro_rules! on_db {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            Pool::Sqlite($p) => $body,
            Pool::Postgres($p) => $body,
        }
    };
}

impl Pool {
    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

/// The embedded default: one SQLite file in the data directory, created when missing.
pub fn sqlite_url_in(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("mail-services.db").display())
}

/// Connects, applies the migrations and makes sure the settings row and the standard services exist.
pub async fn open(url: &str) -> anyhow::Result<Pool> {
    let unreachable = || format!("cannot open the database at {}", redact_url(url));
    let pool = if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(unreachable)?
            .create_if_missing(true)
            // WAL lets readers go on while a save is written; the busy timeout makes
            // concurrent writers wait for each other instead of failing.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(unreachable)?;
        sqlx::migrate!("migrations/sqlite")
            .run(&pool)
            .await
            .context("cannot apply the SQLite migrations")?;
        Pool::Sqlite(pool)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await
            .with_context(unreachable)?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .context("cannot apply the PostgreSQL migrations")?;
        Pool::Postgres(pool)
    } else {
        anyhow::bail!(
            "unsupported database URL {}: use sqlite://PATH or postgres://…",
            redact_url(url)
        );
    };
    seed_standard_services(&pool).await?;
    Ok(pool)
}

/// A database URL fit for a log line: without its password.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _password)) => {
                    format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Creates the settings row and any standard service not yet in the database. Safe to run on every
/// start and from several replicas at once.
async fn seed_standard_services(pool: &Pool) -> anyhow::Result<()> {
    on_db!(pool, |p| {
        let mut tx = p.begin().await?;
        sqlx::query(
            "INSERT INTO settings (id, version, allow_manual_entry, business_process_sending) \
         VALUES (1, 1, TRUE, TRUE) ON CONFLICT DO NOTHING",
        )
        .execute(&mut *tx)
        .await?;
        for service in STANDARD_SERVICES {
            let smtp = service.smtp();
            let imap = service.imap();
            sqlx::query(
            "INSERT INTO mail_services (standard_key, name, name_key, smtp_host, smtp_port, smtp_security, \
             imap_host, imap_port, imap_security, hidden, position) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE, COALESCE(MAX(position), 0) + 1 FROM mail_services \
             WHERE TRUE ON CONFLICT DO NOTHING",
        )
        .bind(service.key)
        .bind(service.name)
        .bind(name_key(service.name))
        .bind(smtp.host)
        .bind(i64::from(smtp.port))
        .bind(smtp.security.code())
        .bind(imap.host)
        .bind(i64::from(imap.port))
        .bind(imap.security.code())
        .execute(&mut *tx)
        .await
        .with_context(|| format!("cannot seed the standard service {}", service.name))?;
        }
        tx.commit().await?;
        Ok(())
    })
}

/// Demo content for `serve --demo` on a fresh database: corporate services and a hidden standard one.
pub async fn seed_demo(pool: &Pool) -> anyhow::Result<()> {
    on_db!(pool, |p| {
        let corporate: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM mail_services WHERE standard_key IS NULL")
                .fetch_one(p)
                .await?;
        if corporate > 0 {
            return Ok(());
        }
        let demo = [
            (
                "Contoso Mail",
                ServerEndpoint::new("mail.contoso.com", 465, Security::Tls),
                ServerEndpoint::new("mail.contoso.com", 993, Security::Tls),
            ),
            (
                "Contoso Branch Office",
                ServerEndpoint::new("smtp.branch.contoso.com", 587, Security::StartTls),
                ServerEndpoint::new("imap.branch.contoso.com", 143, Security::StartTls),
            ),
        ];
        let mut tx = p.begin().await?;
        for (name, smtp, imap) in demo {
            sqlx::query(
            "INSERT INTO mail_services (standard_key, name, name_key, smtp_host, smtp_port, smtp_security, \
             imap_host, imap_port, imap_security, hidden, position) \
             SELECT NULL, $1, $2, $3, $4, $5, $6, $7, $8, FALSE, COALESCE(MAX(position), 0) + 1 FROM mail_services",
        )
        .bind(name)
        .bind(name_key(name))
        .bind(smtp.host)
        .bind(i64::from(smtp.port))
        .bind(smtp.security.code())
        .bind(imap.host)
        .bind(i64::from(imap.port))
        .bind(imap.security.code())
        .execute(&mut *tx)
        .await?;
        }
        sqlx::query("UPDATE mail_services SET hidden = TRUE WHERE standard_key = 'rambler'")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    })
}

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
}

impl TryFrom<ServiceRow> for MailService {
    type Error = anyhow::Error;

    fn try_from(row: ServiceRow) -> anyhow::Result<MailService> {
        let endpoint =
            |host: String, port: i64, security: &str| -> anyhow::Result<ServerEndpoint> {
                let port = u16::try_from(port)
                    .with_context(|| format!("service {}: port {port} out of range", row.id))?;
                let security = Security::from_code(security).with_context(|| {
                    format!("service {}: unknown security {security:?}", row.id)
                })?;
                Ok(ServerEndpoint::new(host, port, security))
            };
        Ok(MailService {
            id: row.id,
            kind: if row.standard_key.is_some() {
                ServiceKind::Standard
            } else {
                ServiceKind::Corporate
            },
            smtp: endpoint(row.smtp_host, row.smtp_port, &row.smtp_security)?,
            imap: endpoint(row.imap_host, row.imap_port, &row.imap_security)?,
            name: row.name,
            hidden: row.hidden,
            position: row.position,
        })
    }
}

/// The settings document of SPEC section 2: the switches and every service that is not deleted.
pub async fn settings_document(pool: &Pool) -> anyhow::Result<SettingsDocument> {
    on_db!(pool, |p| {
        let mut tx = p.begin().await?;
        let (version, allow_manual_entry, business_process_sending): (i64, bool, bool) =
        sqlx::query_as("SELECT version, allow_manual_entry, business_process_sending FROM settings WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let services = sqlx::query_as::<_, ServiceRow>(
        "SELECT id, standard_key, name, smtp_host, smtp_port, smtp_security, imap_host, imap_port, imap_security, \
         hidden, position FROM mail_services WHERE NOT deleted ORDER BY position, id",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(MailService::try_from)
    .collect::<anyhow::Result<Vec<_>>>()?;
        tx.commit().await?;
        Ok(SettingsDocument {
            version,
            allow_manual_entry,
            business_process_sending,
            services,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_passwords_are_not_logged() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/mail"),
            "postgres://app:***@db:5432/mail"
        );
        assert_eq!(
            redact_url("postgres://app@db/mail"),
            "postgres://app@db/mail"
        );
        assert_eq!(
            redact_url("sqlite:///tmp/x.db?mode=rwc"),
            "sqlite:///tmp/x.db?mode=rwc"
        );
    }
}
