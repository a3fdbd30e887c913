//! Sign-in rate limiting in the database, shared by every replica: the attempts table, the two
//! limits, and the administrator's view of the lock-outs (issue 13, items 5-7).
//!
//! Why per login *and client*: a lock per login alone lets anyone lock anyone out, the
//! administrator included, by failing five times (OWASP's warning about account lock-out). So the
//! five failures of a login count per client: the client that has been failing waits out the
//! window, and the right password from any other client still gets in. A second limit counts each
//! client's failures over all logins, so one address cannot try one password on many logins.
//! Guessing from many addresses is bounded by these per address and by the hashing bound
//! ([`crate::hashing`]) overall, and the administrator sees and clears the lock-outs.
//!
//! Parallel guesses: each attempt writes its row first, committed, and only then counts the rows.
//! Of any six attempts let through, the last to count saw all six rows, so at most five are ever
//! let through, on SQLite and PostgreSQL alike, without a lock. An attempt whose request is
//! dropped before its answer stays counted, as a failure: a guesser gains nothing by hanging up.

use std::time::Duration;

use mail_core::SignInLockout;
use sha2::{Digest, Sha256};

use crate::clients::ClientKey;
use crate::db::{Pool, on_db};
use crate::error::{AppError, Problem};

/// Failed sign-ins allowed per login and client within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: i64 = 5;
/// Failed sign-ins allowed per client, whatever the logins, within [`FAILURE_WINDOW`].
pub const MAX_CLIENT_FAILURES: i64 = 20;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// SHA-256 (hex) of a folded login: what the attempts table holds instead of the login.
pub fn login_hash(login_key: &str) -> String {
    Sha256::digest(login_key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn window_start(now: i64) -> i64 {
    now - FAILURE_WINDOW.as_secs() as i64
}

/// One sign-in attempt, counted and let through to the password check.
pub struct Attempt {
    id: i64,
    login_hash: String,
    client: String,
}

/// Counts the attempt, then lets it through, or refuses it with 429 (and forgets it: refused
/// attempts do not lengthen the wait).
pub async fn begin(
    pool: &Pool,
    login_key: &str,
    client: &ClientKey,
    now: i64,
) -> Result<Attempt, AppError> {
    let attempt = Attempt {
        id: 0,
        login_hash: login_hash(login_key),
        client: client.as_str().to_owned(),
    };
    let (id, for_login, for_client): (i64, i64, i64) = on_db!(pool, |p| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_attempts (login_hash, client, user_id, at) \
             VALUES ($1, $2, (SELECT id FROM users WHERE login = $3), $4) RETURNING id",
        )
        .bind(&attempt.login_hash)
        .bind(&attempt.client)
        .bind(login_key)
        .bind(now)
        .fetch_one(p)
        .await?;
        let (for_login, for_client): (i64, i64) = sqlx::query_as(
            "SELECT \
             (SELECT COUNT(*) FROM sign_in_attempts WHERE login_hash = $1 AND client = $2 AND at > $3), \
             (SELECT COUNT(*) FROM sign_in_attempts WHERE client = $2 AND at > $3)",
        )
        .bind(&attempt.login_hash)
        .bind(&attempt.client)
        .bind(window_start(now))
        .fetch_one(p)
        .await?;
        Ok::<_, AppError>((id, for_login, for_client))
    })?;
    let attempt = Attempt { id, ..attempt };
    let retry_after_seconds = FAILURE_WINDOW.as_secs();
    let refusal = if for_login > MAX_FAILURES {
        Problem::TooManySignInAttempts {
            retry_after_seconds,
        }
    } else if for_client > MAX_CLIENT_FAILURES {
        Problem::TooManySignInAttemptsFromClient {
            retry_after_seconds,
        }
    } else {
        return Ok(attempt);
    };
    tracing::info!(client = %client, "refused a sign-in: too many failed attempts");
    forget(pool, &attempt).await?;
    Err(refusal.into())
}

/// The attempt was not judged (the server was busy): it does not count.
pub async fn forget(pool: &Pool, attempt: &Attempt) -> Result<(), AppError> {
    on_db!(pool, |p| {
        sqlx::query("DELETE FROM sign_in_attempts WHERE id = $1")
            .bind(attempt.id)
            .execute(p)
            .await?;
        Ok(())
    })
}

/// The password was wrong: the row stays as a failure; failures older than the window go.
pub async fn failed(pool: &Pool, now: i64) -> Result<(), AppError> {
    on_db!(pool, |p| {
        sqlx::query("DELETE FROM sign_in_attempts WHERE at <= $1")
            .bind(window_start(now))
            .execute(p)
            .await?;
        Ok(())
    })
}

/// Signed in: this client's failures for this login no longer count (other clients' still do).
pub async fn succeeded(pool: &Pool, attempt: &Attempt) -> Result<(), AppError> {
    on_db!(pool, |p| {
        sqlx::query("DELETE FROM sign_in_attempts WHERE login_hash = $1 AND client = $2")
            .bind(&attempt.login_hash)
            .bind(&attempt.client)
            .execute(p)
            .await?;
        Ok(())
    })
}

type LockoutRow = (Option<String>, Option<String>, String, i64, i64);

/// Every login and client whose next attempt would be refused, newest first: a login locked for
/// one client (with the person's login when it names one), and clients over their own limit.
pub async fn lockouts(pool: &Pool, now: i64) -> Result<Vec<SignInLockout>, AppError> {
    let rows: Vec<LockoutRow> = on_db!(pool, |p| {
        let mut rows: Vec<LockoutRow> = sqlx::query_as(
            "SELECT a.login_hash, MAX(u.login), a.client, COUNT(*), MAX(a.at) \
             FROM sign_in_attempts a LEFT JOIN users u ON u.id = a.user_id WHERE a.at > $1 \
             GROUP BY a.login_hash, a.client HAVING COUNT(*) >= $2",
        )
        .bind(window_start(now))
        .bind(MAX_FAILURES)
        .fetch_all(p)
        .await?;
        let clients: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT client, COUNT(*), MAX(at) FROM sign_in_attempts WHERE at > $1 \
             GROUP BY client HAVING COUNT(*) >= $2",
        )
        .bind(window_start(now))
        .bind(MAX_CLIENT_FAILURES)
        .fetch_all(p)
        .await?;
        rows.extend(
            clients
                .into_iter()
                .map(|(client, count, last)| (None, None, client, count, last)),
        );
        Ok::<_, AppError>(rows)
    })?;
    let mut lockouts: Vec<SignInLockout> = rows
        .into_iter()
        .map(
            |(login_hash, login, client, failures, last)| SignInLockout {
                login_hash,
                login,
                client,
                failures,
                locked_until: last + FAILURE_WINDOW.as_secs() as i64,
            },
        )
        .collect();
    lockouts.sort_by_key(|lockout| std::cmp::Reverse(lockout.locked_until));
    Ok(lockouts)
}

/// Forgets a client's failures: for one login, or with `login_hash` `None` for every login.
pub async fn clear(pool: &Pool, client: &str, login_hash: Option<&str>) -> Result<u64, AppError> {
    on_db!(pool, |p| {
        let done = sqlx::query(
            "DELETE FROM sign_in_attempts WHERE client = $1 AND ($2 IS NULL OR login_hash = $2)",
        )
        .bind(client)
        .bind(login_hash)
        .execute(p)
        .await?;
        Ok(done.rows_affected())
    })
}
