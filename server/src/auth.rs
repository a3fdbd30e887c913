//! Who is asking: passwords (Argon2id), sessions kept in the database, signing in, and the
//! extractors that let a handler demand a signed-in user or an administrator (SPEC section 1).

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mail_core::{Role, User};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::attempts;
use crate::clients::ClientKey;
use crate::db::{Pool, on_db};
use crate::error::{AppError, Problem};
use crate::hashing::Hashing;
use crate::security::served_over_https;
use crate::settings::{self, Revision};

pub const SESSION_COOKIE: &str = "mail_session";
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);
pub use crate::attempts::{FAILURE_WINDOW, MAX_CLIENT_FAILURES, MAX_FAILURES};

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Hashes off the async runtime, within the bound on hashing ([`Hashing::shared`]): Argon2id is
/// deliberately slow.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    Hashing::shared()
        .run_waiting(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))
        })
        .await?
}

/// Verifies off the async runtime, within the bound on hashing. With no stored hash (unknown
/// login) it still does the work, so the answer's timing does not tell which logins exist.
async fn verify_password(
    hashing: &Hashing,
    password: String,
    stored: Option<String>,
) -> Result<bool, AppError> {
    let verified = hashing
        .run(move || {
            let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let parsed = PasswordHash::new(&hash)
                .map_err(|e| anyhow::anyhow!("stored password hash is malformed: {e}"))?;
            Ok::<_, anyhow::Error>(
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        })
        .await?;
    Ok(verified?)
}

/// An Argon2id hash, with the parameters real ones have, of a random password nobody knows.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let mut password = [0u8; 32];
    OsRng.fill_bytes(&mut password);
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(&password, &salt)
        .expect("hashing random bytes cannot fail")
        .to_string()
});

/// The form logins are stored and compared in.
pub fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    login: String,
    display_name: String,
    role: String,
}

impl TryFrom<UserRow> for User {
    type Error = anyhow::Error;

    fn try_from(row: UserRow) -> anyhow::Result<User> {
        let role = Role::from_code(&row.role)
            .with_context(|| format!("user {}: unknown role {:?}", row.id, row.role))?;
        Ok(User {
            id: row.id,
            login: row.login,
            display_name: row.display_name,
            role,
        })
    }
}

/// Creates a person who can sign in; `login` must not be taken.
pub async fn add_user(
    pool: &Pool,
    login: &str,
    display_name: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<User> {
    let login = login_key(login);
    anyhow::ensure!(
        !login.is_empty() && !login.contains(char::is_whitespace),
        "the login must be one word, not empty"
    );
    anyhow::ensure!(
        password.chars().count() >= 8,
        "the password must have at least 8 characters"
    );
    let hash = hash_password(password.to_owned()).await?;
    let display_name = display_name.trim();
    let display_name = if display_name.is_empty() {
        login.as_str()
    } else {
        display_name
    };
    on_db!(pool, |p| {
        let row: UserRow = sqlx::query_as(
            "INSERT INTO users (login, display_name, role, password_hash) VALUES ($1, $2, $3, $4) \
             RETURNING id, login, display_name, role",
        )
        .bind(&login)
        .bind(display_name)
        .bind(role.code())
        .bind(&hash)
        .fetch_one(p)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                anyhow::anyhow!("the login {login:?} is already taken")
            }
            e => e.into(),
        })?;
        User::try_from(row)
    })
}

pub async fn user_exists(pool: &Pool, login: &str) -> anyhow::Result<bool> {
    let login = login_key(login);
    on_db!(pool, |p| {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login = $1")
            .bind(&login)
            .fetch_one(p)
            .await?;
        Ok(count > 0)
    })
}

/// Checks a login and password from `client`; on success opens a session and returns its cookie
/// token. The attempt is counted before the password is checked ([`attempts`]).
pub async fn sign_in(
    pool: &Pool,
    hashing: &Hashing,
    client: &ClientKey,
    login: &str,
    password: &str,
) -> Result<(User, String), AppError> {
    let login = login_key(login);
    let attempt = attempts::begin(pool, &login, client, now()).await?;
    let found: Option<(UserRow, String)> = on_db!(pool, |p| {
        let found: Option<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, login, display_name, role, password_hash FROM users WHERE login = $1",
        )
        .bind(&login)
        .fetch_optional(p)
        .await?;
        Ok::<_, AppError>(found.map(|(id, login, display_name, role, hash)| {
            let row = UserRow {
                id,
                login,
                display_name,
                role,
            };
            (row, hash)
        }))
    })?;
    let (row, hash) = match found {
        Some((row, hash)) => (Some(row), Some(hash)),
        None => (None, None),
    };
    let matches = match verify_password(hashing, password.to_owned(), hash).await {
        Ok(matches) => matches,
        Err(error) => {
            attempts::forget(pool, &attempt).await?;
            return Err(error);
        }
    };
    let Some(row) = row.filter(|_| matches) else {
        attempts::failed(pool, now()).await?;
        return Err(Problem::WrongCredentials.into());
    };
    let user = User::try_from(row)?;
    let token = open_session(pool, user.id).await?;
    attempts::succeeded(pool, &attempt).await?;
    Ok((user, token))
}

async fn open_session(pool: &Pool, user_id: i64) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    on_db!(pool, |p| {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash(&token))
            .bind(user_id)
            .bind(now() + SESSION_LIFETIME.as_secs() as i64)
            .execute(p)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now())
            .execute(p)
            .await?;
        Ok::<_, AppError>(())
    })?;
    Ok(token)
}

pub async fn sign_out(pool: &Pool, token: &str) -> anyhow::Result<()> {
    on_db!(pool, |p| {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(p)
            .await?;
        Ok(())
    })
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    version: i64,
    usage_revision: i64,
}

/// Who the session belongs to, and the settings' revision read in the same query: the cheap
/// check of the kept settings document costs no round trip of its own.
async fn session_user(pool: &Pool, token: &str) -> anyhow::Result<Option<(User, Revision)>> {
    on_db!(pool, |p| {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT u.id, u.login, u.display_name, u.role, st.version, st.usage_revision \
             FROM sessions s JOIN users u ON u.id = s.user_id CROSS JOIN settings st \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND st.id = 1",
        )
        .bind(token_hash(token))
        .bind(now())
        .fetch_optional(p)
        .await?;
        row.map(|row| {
            let revision = Revision {
                version: row.version,
                usage_revision: row.usage_revision,
            };
            Ok((User::try_from(row.user)?, revision))
        })
        .transpose()
    })
}

/// The session token from the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

pub fn session_cookie(token: &str, request_headers: &HeaderMap) -> HeaderValue {
    let secure = if served_over_https(request_headers) {
        "; Secure"
    } else {
        ""
    };
    let max_age = SESSION_LIFETIME.as_secs();
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("a base64url token is a valid header value")
}

pub fn cleared_session_cookie(request_headers: &HeaderMap) -> HeaderValue {
    let secure = if served_over_https(request_headers) {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"
    ))
    .expect("a static cookie is a valid header value")
}

/// A handler argument that demands a signed-in person (401 otherwise).
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(Problem::SignInRequired)?;
        let (user, revision) = session_user(&state.db, token)
            .await?
            .ok_or(Problem::SignInRequired)?;
        parts.extensions.insert(SettingsRevision(revision));
        Ok(CurrentUser(user))
    }
}

/// The settings' revision as of this request, for the kept documents ([`crate::documents`]): read
/// with the session when [`CurrentUser`] or [`Admin`] came first among the handler's arguments,
/// else with a query of its own.
#[derive(Clone, Copy)]
pub struct SettingsRevision(pub Revision);

impl FromRequestParts<AppState> for SettingsRevision {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<SettingsRevision>() {
            Some(SettingsRevision(revision)) => Ok(SettingsRevision(*revision)),
            None => Ok(SettingsRevision(settings::revision(&state.db).await?)),
        }
    }
}

/// A handler argument that demands an administrator (401 when signed out, 403 for a user).
pub struct Admin(pub User);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        match user.role {
            Role::Admin => Ok(Admin(user)),
            Role::User => Err(Problem::AdminOnly.into()),
        }
    }
}
