//! What the connector's tests run against: a throwaway CA, real Dovecot on free loopback ports, an
//! SMTP sink for Dovecot's submission relay, and small misbehaving servers that record every byte.

#![allow(dead_code)]

pub mod dovecot;
pub mod fakes;
pub mod pki;

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What `mail-services check-connection` printed and how it exited.
pub struct Run {
    pub exit: i32,
    pub report: Value,
    pub stderr: String,
}

impl Run {
    /// The step's object.
    pub fn step(&self, name: &str) -> &Value {
        self.report["steps"]
            .as_array()
            .and_then(|steps| steps.iter().find(|s| s["step"] == name))
            .unwrap_or_else(|| panic!("no step {name} in {}", self.report))
    }

    /// The one failed step's code, asserting that exactly one step failed and all after it are
    /// skipped.
    pub fn failed_code(&self) -> String {
        let steps = self.report["steps"].as_array().expect("steps");
        let failed: Vec<usize> = (0..steps.len())
            .filter(|i| steps[*i]["outcome"] == "failed")
            .collect();
        assert_eq!(failed.len(), 1, "exactly one failed step: {}", self.report);
        for later in &steps[failed[0] + 1..] {
            assert_eq!(
                later["outcome"], "skipped",
                "after a failure: {}",
                self.report
            );
        }
        assert_eq!(self.exit, 1, "exit 1 when a step failed: {}", self.report);
        assert_eq!(self.report["ok"], false);
        steps[failed[0]]["code"]
            .as_str()
            .expect("a code")
            .to_owned()
    }

    pub fn message(&self, step: &str) -> String {
        self.step(step)["message"]
            .as_str()
            .expect("a message")
            .to_owned()
    }

    pub fn outcomes(&self) -> Vec<(String, String)> {
        self.report["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|s| {
                (
                    s["step"].as_str().unwrap().to_owned(),
                    s["outcome"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

/// Runs the real binary with `args` (the address last, after `--`), writing `password` to its
/// standard input when given.
pub fn check_connection(args: &[&str], password: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mail-services"))
        .arg("check-connection")
        .args(args)
        .env_remove("MAIL_SERVICES_MAIL_HOSTS_ALLOW")
        .env_remove("MAIL_SERVICES_MAIL_CA_FILE")
        .env_remove("MAIL_SERVICES_LOG_FORMAT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mail-services binary runs");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        if let Some(password) = password {
            writeln!(stdin, "{password}").expect("write the password");
        }
    }
    let output = child.wait_with_output().expect("the check ends");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    let exit = output.status.code().expect("exited, not killed");
    let report = if exit == 2 {
        Value::Null
    } else {
        assert_eq!(
            stdout.lines().count(),
            1,
            "one JSON line: {stdout}\n{stderr}"
        );
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}"))
    };
    Run {
        exit,
        report,
        stderr,
    }
}

/// The usual flags of the tests: loopback allowed, the run's CA trusted.
pub fn test_flags(pki: &pki::Pki) -> Vec<String> {
    vec![
        "--mail-hosts-allow".to_owned(),
        "127.0.0.0/8".to_owned(),
        "--mail-ca-file".to_owned(),
        pki.ca_file().to_owned(),
    ]
}

/// `check-connection` with the test flags, then `extra`, then `-- address`.
pub fn check(
    pki: &pki::Pki,
    protocol: &str,
    security: &str,
    extra: &[&str],
    address: &str,
    password: Option<&str>,
) -> Run {
    let mut args: Vec<String> = vec![
        "--protocol".into(),
        protocol.into(),
        "--security".into(),
        security.into(),
    ];
    args.extend(test_flags(pki));
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push("--".into());
    args.push(address.into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    check_connection(&args, password)
}

/// [`check`] signing in as `login` with `password` (through standard input).
pub fn sign_in(
    pki: &pki::Pki,
    protocol: &str,
    security: &str,
    login: &str,
    address: &str,
    password: &str,
) -> Run {
    check(
        pki,
        protocol,
        security,
        &["--login", login, "--password-stdin"],
        address,
        Some(password),
    )
}
