//! The database: connecting to SQLite or PostgreSQL, migrations, and the rows behind the settings page.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use mail_core::catalog::STANDARD_SERVICES;
use mail_core::{address_key, name_key};
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
            $crate::db::Pool::Sqlite($p) => $body,
            $crate::db::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_db;

/// How each database begins the two kinds of transaction that need more than its default.
pub(crate) trait Begin {
    /// A transaction that will write. SQLite must take the write lock up front, so that two
    /// concurrent saves queue up instead of one failing on a stale snapshot.
    const WRITE_BEGIN: &'static str;
    /// A read-only transaction whose every query sees the same snapshot (SQLite's WAL gives each
    /// read transaction one; PostgreSQL's default gives each statement its own).
    const SNAPSHOT_BEGIN: &'static str;
}

impl Begin for SqlitePool {
    const WRITE_BEGIN: &'static str = "BEGIN IMMEDIATE";
    const SNAPSHOT_BEGIN: &'static str = "BEGIN";
}

impl Begin for PgPool {
    const WRITE_BEGIN: &'static str = "BEGIN";
    const SNAPSHOT_BEGIN: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
}

pub(crate) fn write_begin<P: Begin>(_: &P) -> &'static str {
    P::WRITE_BEGIN
}

pub(crate) fn snapshot_begin<P: Begin>(_: &P) -> &'static str {
    P::SNAPSHOT_BEGIN
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
            // An embedded file does not drop connections: checking each one on every acquire only
            // doubles the round trips to SQLite's worker threads.
            .test_before_acquire(false)
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
    rekey_look_alikes(&pool).await?;
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

/// Brings the stored `name_key` of services and `address_key` of mailboxes up to this release's
/// look-alike keys (core's `name_key`, `address_key`), which SQL cannot compute: a release that
/// makes more names look alike re-keys the rows saved before it. Rows that now look like an
/// earlier one keep a parked key that no name can have, and are logged: the administrator must
/// rename such a service before the next save (the save refuses look-alikes), and a person keeps
/// both mailboxes.
async fn rekey_look_alikes(pool: &Pool) -> anyhow::Result<()> {
    on_db!(pool, |p| {
        let mut tx = p.begin_with(write_begin(p)).await?;
        let services: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, name_key FROM mail_services WHERE NOT deleted ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let keyed = services
            .into_iter()
            .map(|(id, name, key)| (id, (), name_key(&name), key));
        for (id, key) in rekeyed(keyed, "service") {
            sqlx::query("UPDATE mail_services SET name_key = $2 WHERE id = $1")
                .bind(id)
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        let mailboxes: Vec<(i64, i64, String, String, bool)> = sqlx::query_as(
            "SELECT id, user_id, address, address_key, status = 'active' FROM mailboxes ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let keyed = mailboxes
            .into_iter()
            .map(|(id, user, address, key, active)| {
                (id, (user, active), address_key(&address), key)
            });
        for (id, key) in rekeyed(keyed, "mailbox") {
            sqlx::query("UPDATE mailboxes SET address_key = $2 WHERE id = $1")
                .bind(id)
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    })
}

/// The updates that re-key rows `(id, scope, wanted key, stored key)`, in id order: first every
/// changed row is parked on a key no real one can have (`\u{1}` and its id), so that no update
/// meets a key another row is about to give up; then each gets its wanted key unless an earlier
/// row of its scope has it.
fn rekeyed<S: Eq + std::hash::Hash>(
    rows: impl Iterator<Item = (i64, S, String, String)>,
    what: &str,
) -> Vec<(i64, String)> {
    let rows: Vec<_> = rows.collect();
    let changed: Vec<_> = rows
        .iter()
        .filter(|(_, _, wanted, stored)| wanted != stored)
        .collect();
    let mut taken: std::collections::HashSet<(&S, &str)> = rows
        .iter()
        .filter(|(_, _, wanted, stored)| wanted == stored)
        .map(|(_, scope, wanted, _)| (scope, wanted.as_str()))
        .collect();
    let mut updates: Vec<(i64, String)> = changed
        .iter()
        .map(|(id, _, _, _)| (*id, format!("\u{1}{id}")))
        .collect();
    for (id, scope, wanted, _) in changed {
        if taken.insert((scope, wanted.as_str())) {
            updates.push((*id, wanted.clone()));
        } else {
            tracing::warn!(
                id,
                "this {what} looks like an earlier one: it keeps a parked key until renamed"
            );
        }
    }
    updates
}

/// Creates the settings row and any standard service not yet in the database. Safe to run on every
/// start and from several replicas at once. Adding a standard service to existing settings (a new
/// release) moves their version on, like a save: open pages and cached copies are then outdated.
async fn seed_standard_services(pool: &Pool) -> anyhow::Result<()> {
    on_db!(pool, |p| {
        let mut tx = p.begin_with(write_begin(p)).await?;
        let created = sqlx::query(
            "INSERT INTO settings (id, version, allow_manual_entry, business_process_sending) \
         VALUES (1, 1, TRUE, TRUE) ON CONFLICT DO NOTHING",
        )
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        let mut added = false;
        for service in STANDARD_SERVICES {
            let smtp = service.smtp();
            let imap = service.imap();
            let inserted = sqlx::query(
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
            added |= inserted.rows_affected() > 0;
        }
        if added && !created {
            sqlx::query("UPDATE settings SET version = version + 1 WHERE id = 1")
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
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
