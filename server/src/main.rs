//! The `mail-services` command: configuration from flags and environment, then the server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use mail_core::{Lang, Protocol, Role, Security, parse_server};
use mail_services_server::clients::{Cidr, TrustedProxies};
use mail_services_server::secrets::MailboxKey;
use mail_services_server::serve::{self, Limits};
use mail_services_server::{AppState, app_with, auth, db, demo};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "mail-services",
    version,
    about = "Email service settings and mailbox connections for an organisation"
)]
struct Cli {
    /// Log lines as human-readable text or as JSON objects.
    #[arg(long, env = "MAIL_SERVICES_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the browser app.
    Serve(ServeArgs),
    /// Check a mail server address the way the settings dialog does and print the result as one
    /// JSON object; exit 0 when it is valid, 1 when not.
    CheckServer(CheckServerArgs),
    /// Walk a mail server step by step as "Check connection" does (SPEC C1–C2) and print the
    /// steps as one JSON object; exit 0 when every step passed or was skipped, 1 when one failed,
    /// 2 on bad usage.
    CheckConnection(CheckConnectionArgs),
    /// Manage the people who can sign in.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a person. The password is read from standard input (one line) with --password-stdin;
    /// otherwise one is generated and printed once.
    Add(AddUserArgs),
}

#[derive(clap::Args)]
struct AddUserArgs {
    /// What they sign in with, e.g. `anna` or `anna@example.com`.
    login: String,
    /// Their name as the app shows it.
    #[arg(long, default_value = "")]
    name: String,
    #[arg(long, value_enum, default_value_t = RoleArg::User)]
    role: RoleArg,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    storage: StorageArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    User,
}

/// Where the data lives; `serve` and `user add` must be given the same.
#[derive(clap::Args)]
struct StorageArgs {
    /// Directory for the embedded SQLite database and the mailbox key file; created when missing.
    #[arg(long, env = "MAIL_SERVICES_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// `postgres://user:password@host/db` for deployments with several replicas;
    /// default: the SQLite file `mail-services.db` in the data directory.
    #[arg(long, env = "MAIL_SERVICES_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

impl StorageArgs {
    async fn open(&self) -> anyhow::Result<db::Pool> {
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                self.data_dir.display()
            )
        })?;
        let url = self
            .database_url
            .clone()
            .unwrap_or_else(|| db::sqlite_url_in(&self.data_dir));
        tracing::info!(database = db::redact_url(&url), "opening the database");
        db::open(&url).await
    }
}

#[derive(clap::Args)]
struct CheckServerArgs {
    /// smtp or imap.
    #[arg(long)]
    protocol: Protocol,
    /// Connection security: none, starttls or tls.
    #[arg(long)]
    security: Security,
    /// Language of the messages: en or ru.
    #[arg(long, default_value = "en")]
    lang: Lang,
    /// The address as typed, e.g. `smtp.example.com:465`; put it after `--`.
    #[arg(value_name = "ADDRESS")]
    address: String,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "MAIL_SERVICES_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    storage: StorageArgs,
    /// The key that seals mailbox passwords (base64 of 32 bytes); default: the file
    /// `mailbox-key` in the data directory, created on first start. Replicas must share it.
    #[arg(long, env = "MAIL_SERVICES_MAILBOX_KEY", hide_env_values = true)]
    mailbox_key: Option<String>,
    /// The browser app built by trunk.
    #[arg(long, env = "MAIL_SERVICES_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Add demo content to a database that has none.
    #[arg(long, env = "MAIL_SERVICES_DEMO")]
    demo: bool,
    #[command(flatten)]
    limits: LimitArgs,
    /// Reverse proxies (addresses or ranges, e.g. `10.0.0.0/8,::1`) whose `X-Forwarded-For`
    /// names the client for the sign-in limits; by default nobody's is believed.
    #[arg(long, env = "MAIL_SERVICES_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<Cidr>,
}

/// The bounds of [`Limits`]; durations as `10s`, `500ms` or whole seconds.
#[derive(clap::Args)]
struct LimitArgs {
    /// Connections served at once; more wait until one closes.
    #[arg(long, env = "MAIL_SERVICES_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// How long a client may take to send a request's headers; idle connections close after it.
    #[arg(long, env = "MAIL_SERVICES_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    header_read_timeout: Duration,
    /// How long a request may take from its headers to its answer (408 after that).
    #[arg(long, env = "MAIL_SERVICES_REQUEST_TIMEOUT", default_value = "60s", value_parser = parse_duration)]
    request_timeout: Duration,
    /// How long a shutdown waits for the requests under way before exiting anyway.
    #[arg(long, env = "MAIL_SERVICES_SHUTDOWN_GRACE", default_value = "5s", value_parser = parse_duration)]
    shutdown_grace: Duration,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_connections: self.max_connections,
            header_read_timeout: self.header_read_timeout,
            request_timeout: self.request_timeout,
            shutdown_grace: self.shutdown_grace,
        }
    }
}

/// `10s`, `500ms`, or a number of seconds; more than zero.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.strip_suffix("ms") {
        Some(number) => (number, Duration::from_millis(1)),
        None => (
            text.strip_suffix('s').unwrap_or(text),
            Duration::from_secs(1),
        ),
    };
    let count: u32 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as 10s or 500ms"))?;
    if count == 0 {
        return Err("the duration must be more than zero".to_owned());
    }
    Ok(unit * count)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    give_large_blocks_back_to_the_system();
    let cli = Cli::parse();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::CheckServer(args) => check_server(args),
        Command::CheckConnection(args) => check_connection(args).await,
        Command::User(UserCommand::Add(args)) => add_user(args).await,
    }
}

/// Argon2 hashes each password in 19 MiB of memory. By default glibc raises its threshold for
/// mapping large blocks to the largest block freed, so after the first sign-in those blocks came
/// from the heap of the thread that hashed and stayed resident: about 19 MiB more for each of the
/// runtime's blocking threads. Fixed at glibc's default of 128 KiB, such blocks are mapped for the
/// hash and unmapped after it, and the server stays within its memory budget.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_large_blocks_back_to_the_system() {
    // SAFETY: mallopt only sets a tuning parameter of glibc's allocator, which it applies to the
    // allocations that follow; nothing else can be affected.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn check_server(args: CheckServerArgs) -> anyhow::Result<()> {
    use std::io::Write as _;
    let report = parse_server(args.protocol, args.security, &args.address).report(args.lang);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::to_string(&report)?)?;
    stdout.flush()?;
    std::process::exit(if report.valid { 0 } else { 1 })
}

async fn add_user(args: AddUserArgs) -> anyhow::Result<()> {
    let pool = args.storage.open().await?;
    let generated = !args.password_stdin;
    let password = if generated {
        generate_password()
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    let role = match args.role {
        RoleArg::Admin => Role::Admin,
        RoleArg::User => Role::User,
    };
    let errors = mail_core::check_new_person(&args.login, &args.name, &password);
    if let Some(error) = errors.first() {
        anyhow::bail!("{}", error.message(mail_core::Lang::En));
    }
    let user = auth::add_user(&pool, &args.login, &args.name, role, &password).await?;
    println!(
        "Added {} ({}) as {}.",
        user.login,
        user.display_name,
        role.code()
    );
    if generated {
        println!("Their password, shown only now: {password}");
    }
    pool.close().await;
    Ok(())
}

/// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 116 bits.
fn generate_password() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..20)
        .map(|_| ALPHABET[(OsRng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let pool = args.storage.open().await?;
    let mailbox_key = MailboxKey::load(args.mailbox_key.as_deref(), &args.storage.data_dir)?;
    if args.demo && demo::seed(&pool, &mailbox_key).await? {
        tracing::info!("added the demo content");
    }
    if args.demo {
        let logins: Vec<_> = demo::DEMO_PEOPLE
            .iter()
            .map(|(login, _, _)| *login)
            .collect();
        println!(
            "Demo: sign in as admin (administrator) or as {} (users), password {:?}",
            logins[1..].join(", "),
            demo::DEMO_PASSWORD
        );
    }
    if !args.dist.join("index.html").is_file() {
        tracing::warn!(dist = %args.dist.display(), "the browser app is not built there: only the API will answer (./dev run builds it)");
    }
    let open_files = serve::raise_open_file_limit();
    let limits = args.limits.limits().within_open_files(open_files);
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let state = AppState {
        trusted_proxies: Arc::new(TrustedProxies(args.trusted_proxies)),
        ..AppState::new(pool.clone(), args.dist, mailbox_key)
    };
    // The serve loop gives every request its peer's address (`ConnectInfo`), which the sign-in
    // limits count by (see `clients`).
    let router = app_with(state, &limits);
    tracing::info!(
        max_connections = limits.max_connections,
        open_files,
        "limits"
    );
    // The one line on standard output: scripts and the end-to-end test read the URL from it.
    println!("Mail services is running at {}", url_of(address));
    serve::serve(listener, router, limits, shutdown_signal()).await;
    // Requests cut off by the end of the grace period may still hold connections: closing the
    // pool would wait for them.
    if tokio::time::timeout(Duration::from_secs(1), pool.close())
        .await
        .is_err()
    {
        tracing::warn!("left database connections in use open");
    }
    tracing::info!("stopped");
    Ok(())
}

fn url_of(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(a) if a.ip().is_unspecified() => format!("http://127.0.0.1:{}/", a.port()),
        SocketAddr::V6(a) if a.ip().is_unspecified() => format!("http://[::1]:{}/", a.port()),
        a => format!("http://{a}/"),
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests under way within the grace period, then
/// exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

// `check-connection`: the connector's check of one server from the command line (issue 15).

#[derive(clap::Args)]
struct CheckConnectionArgs {
    /// smtp or imap.
    #[arg(long)]
    protocol: Protocol,
    /// Connection security: none, starttls or tls.
    #[arg(long)]
    security: Security,
    /// Sign in as this login (then INBOX is opened, or the SMTP envelope tried); needs
    /// --password-stdin.
    #[arg(long, requires = "password_stdin")]
    login: Option<String>,
    /// Read the password for --login from standard input (one line).
    #[arg(long, requires = "login")]
    password_stdin: bool,
    #[command(flatten)]
    connector: mail_services_server::mail::ConnectorArgs,
    /// Apply the rules for a person's "Other" server instead of an administrator's service.
    #[arg(long)]
    user_entry: bool,
    /// Language of the messages: en or ru.
    #[arg(long, default_value = "en")]
    lang: Lang,
    /// The server as typed, e.g. `imap.example.com:993`; put it after `--`.
    #[arg(value_name = "HOST:PORT")]
    address: String,
}

async fn check_connection(args: CheckConnectionArgs) -> anyhow::Result<()> {
    use mail_services_server::mail::{self, Connector, Credentials, Origin, Target};
    use std::io::Write as _;
    let usage = |message: String| -> ! {
        eprintln!("mail-services check-connection: {message}");
        std::process::exit(2)
    };
    let parsed = parse_server(args.protocol, args.security, &args.address);
    let (Some(host), Some(port), true) = (parsed.host.clone(), parsed.port, parsed.is_valid())
    else {
        let report = parsed.report(args.lang);
        let errors: Vec<_> = report.errors.iter().map(|e| e.message.clone()).collect();
        usage(errors.join(" "))
    };
    let connector =
        Connector::from_args(&args.connector).unwrap_or_else(|e| usage(format!("{e:#}")));
    let credentials = match args.login {
        Some(login) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).unwrap_or_else(|e| {
                usage(format!("cannot read the password from standard input: {e}"))
            });
            let password = line.trim_end_matches(['\r', '\n']).to_owned();
            Some(Credentials { login, password })
        }
        None => None,
    };
    let target = Target {
        protocol: args.protocol,
        host,
        port,
        security: parsed.security,
        origin: if args.user_entry {
            Origin::UserEntry
        } else {
            Origin::Administrator
        },
    };
    let checks = mail::check_server(&connector, &target, credentials.as_ref()).await;
    let report = mail::messages::CheckReport::new(&target, &checks, args.lang);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::to_string(&report)?)?;
    stdout.flush()?;
    std::process::exit(if report.ok { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_read_in_seconds_or_milliseconds_and_never_zero() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("-1s").is_err());
    }
}
