//! `mail-services user add`: the real binary adds people who can then sign in.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use mail_core::Role;
use mail_services_server::clients::ClientKey;
use mail_services_server::hashing::Hashing;
use mail_services_server::{auth, db};

fn user_add(data_dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mail-services"))
        .args(["user", "add"])
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("RUST_LOG", "warn")
        .env_remove("MAIL_SERVICES_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn added_people_can_sign_in_with_the_given_or_the_generated_password() {
    let dir = tempfile::TempDir::new().unwrap();
    let given = user_add(
        dir.path(),
        &[
            "alex",
            "--name",
            "Alex Admin",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "a long passphrase\n",
    );
    assert!(
        given.status.success(),
        "{}",
        String::from_utf8_lossy(&given.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&given.stdout).trim(),
        "Added alex (Alex Admin) as admin."
    );

    let generated = user_add(dir.path(), &["anna"], "");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let stdout = String::from_utf8_lossy(&generated.stdout);
    let password = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Their password, shown only now: "))
        .unwrap_or_else(|| panic!("no password printed: {stdout}"));
    assert!(password.len() >= 16, "{password}");

    let pool = db::open(&db::sqlite_url_in(dir.path())).await.unwrap();
    let (hashing, client) = (Hashing::shared(), ClientKey::unknown());
    let (alex, _) = auth::sign_in(&pool, hashing, &client, "alex", "a long passphrase")
        .await
        .unwrap();
    assert_eq!(
        (alex.display_name.as_str(), alex.role),
        ("Alex Admin", Role::Admin)
    );
    let (anna, _) = auth::sign_in(&pool, hashing, &client, "anna", password)
        .await
        .unwrap();
    assert_eq!(anna.role, Role::User);
}

#[test]
fn a_taken_login_or_a_short_password_is_refused_with_a_reason() {
    let dir = tempfile::TempDir::new().unwrap();
    assert!(
        user_add(dir.path(), &["anna", "--password-stdin"], "long enough\n")
            .status
            .success()
    );
    let taken = user_add(dir.path(), &["ANNA", "--password-stdin"], "long enough\n");
    assert!(!taken.status.success());
    assert!(
        String::from_utf8_lossy(&taken.stderr).contains("already taken"),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    let short = user_add(dir.path(), &["boris", "--password-stdin"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8 characters"));
}
