//! The database: connecting to SQLite or PostgreSQL, migrations, and the rows behind the settings page.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use mail_core::catalog::STANDARD_SERVICES;
use mail_core::{address_key, name_key};
use sqlx::postgres::{PgConnectOptions, PgDatabaseError, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteError, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection as _, Database, Transaction};

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

/// Begins a transaction that will write (see [`Begin::WRITE_BEGIN`]).
pub(crate) async fn begin_write<DB: Database>(
    pool: &sqlx::Pool<DB>,
) -> Result<Transaction<'static, DB>, sqlx::Error>
where
    sqlx::Pool<DB>: Begin,
{
    begin_whole(pool, <sqlx::Pool<DB> as Begin>::WRITE_BEGIN).await
}

/// Begins a read-only transaction on one snapshot (see [`Begin::SNAPSHOT_BEGIN`]).
pub(crate) async fn begin_snapshot<DB: Database>(
    pool: &sqlx::Pool<DB>,
) -> Result<Transaction<'static, DB>, sqlx::Error>
where
    sqlx::Pool<DB>: Begin,
{
    begin_whole(pool, <sqlx::Pool<DB> as Begin>::SNAPSHOT_BEGIN).await
}

/// `begin_with` run to its end in a task of its own, so that the request that asked for it cannot
/// be cancelled half-way through it. sqlx 0.8's `Transaction::begin` makes the `Transaction`, whose
/// drop rolls back, only after the database has begun; and on SQLite a custom `BEGIN` is followed
/// by a second wait (to check that it began). A client that went away during that wait left the
/// pooled connection inside `BEGIN IMMEDIATE`, holding the write lock: the next `begin_with` on it
/// failed with "attempted to call begin_with at non-zero transaction depth" and every other writer
/// waited out the busy timeout (issue 13, item 1; fixed upstream after 0.8.6, sqlx #3932). Here the
/// task always ends with a `Transaction`: when nobody awaits it any more, it is dropped, and so
/// rolled back, as the task ends.
async fn begin_whole<DB: Database>(
    pool: &sqlx::Pool<DB>,
    statement: &'static str,
) -> Result<Transaction<'static, DB>, sqlx::Error> {
    let pool = pool.clone();
    match tokio::spawn(async move { pool.begin_with(statement).await }).await {
        Ok(begun) => begun,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        // Only a runtime that is shutting down cancels the task.
        Err(_) => Err(sqlx::Error::PoolClosed),
    }
}

/// Whether an error says the database is busy rather than broken: a lock another transaction holds
/// for longer than the busy or lock timeout, a conflict between concurrent transactions, or no
/// connection free in time. The request may succeed if tried again; it is answered 503.
pub fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(error) => {
            if error.try_downcast_ref::<SqliteError>().is_some() {
                // SQLITE_BUSY (5) and SQLITE_LOCKED (6), in any of their extended forms.
                let code = error.code().and_then(|code| code.parse::<i32>().ok());
                code.is_some_and(|code| matches!(code & 0xff, 5 | 6))
            } else if let Some(error) = error.try_downcast_ref::<PgDatabaseError>() {
                // lock_not_available, serialization_failure, deadlock_detected, too_many_connections.
                matches!(error.code(), "55P03" | "40001" | "40P01" | "53300")
            } else {
                false
            }
        }
        _ => false,
    }
}

impl Pool {
    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

/// How long a request waits for another transaction's lock (SQLite's busy timeout, PostgreSQL's
/// `lock_timeout`) or for a free connection before it is answered 503 (README "Limits").
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether a connection coming back to the pool may be handed out again: not when it is still
/// inside a transaction (the request that began it is gone), which would hold SQLite's write lock
/// and refuse every later `begin_with` on it. It is closed instead, which rolls the transaction
/// back, and the pool opens a fresh one when needed.
fn still_usable<C: sqlx::Connection>(connection: &C) -> bool {
    let usable = !connection.is_in_transaction();
    if !usable {
        tracing::warn!("closed a database connection returned inside a transaction");
    }
    usable
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
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(BUSY_TIMEOUT)
            // An embedded file does not drop connections: checking each one on every acquire only
            // doubles the round trips to SQLite's worker threads.
            .test_before_acquire(false)
            .after_release(|connection, _| {
                Box::pin(async move {
                    // The worker runs commands in order: after this ping, the rollback of a
                    // dropped transaction has been done, and any transaction still open is one
                    // nobody can end.
                    connection.ping().await?;
                    Ok(still_usable(connection))
                })
            })
            .connect_with(options)
            .await
            .with_context(unreachable)?;
        sqlx::migrate!("migrations/sqlite")
            .run(&pool)
            .await
            .context("cannot apply the SQLite migrations")?;
        Pool::Sqlite(pool)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PgConnectOptions::from_str(url)
            .with_context(unreachable)?
            // Like SQLite's busy timeout: a writer waits this long for a lock, then gets 503.
            .options([("lock_timeout", format!("{}ms", BUSY_TIMEOUT.as_millis()))]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(BUSY_TIMEOUT)
            // PostgreSQL's rollback of a dropped transaction is queued with the depth set back at
            // once, so the depth is already right here.
            .after_release(|connection, _| Box::pin(async move { Ok(still_usable(connection)) }))
            .connect_with(options)
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
        let mut tx = begin_write(p).await?;
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
        let mut tx = begin_write(p).await?;
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
