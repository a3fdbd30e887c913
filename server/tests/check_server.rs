//! `mail-services check-server`: the server-address check of SPEC 4 from the command line, run as
//! the real binary.

use std::process::Command;

use serde_json::{Value, json};

fn check_server(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mail-services"))
        .arg("check-server")
        .args(args)
        .env_remove("MAIL_SERVICES_LOG_FORMAT")
        .output()
        .expect("the mail-services binary runs");
    let code = output.status.code().expect("exited, not killed");
    (
        code,
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn report(stdout: &str) -> Value {
    assert_eq!(
        stdout.lines().count(),
        1,
        "one JSON object on one line: {stdout}"
    );
    serde_json::from_str(stdout).expect("stdout is JSON")
}

#[test]
fn valid_address_prints_the_normalised_endpoint_and_exits_0() {
    let (code, stdout, _) = check_server(&[
        "--protocol",
        "imap",
        "--security",
        "none",
        "--",
        " IMAPS://Imap.Example.COM/ ",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        report(&stdout),
        json!({"valid": true, "host": "imap.example.com", "port": 993, "security": "tls", "errors": [], "warnings": []})
    );
}

#[test]
fn ipv6_host_is_printed_without_brackets() {
    let (code, stdout, _) = check_server(&[
        "--protocol",
        "imap",
        "--security",
        "tls",
        "--",
        "[2001:DB8::1]:993",
    ]);
    assert_eq!(code, 0);
    assert_eq!(report(&stdout)["host"], "2001:db8::1");
}

#[test]
fn warnings_carry_their_fix_and_do_not_fail_the_check() {
    let (code, stdout, _) = check_server(&[
        "--protocol",
        "smtp",
        "--security",
        "starttls",
        "--",
        "smtp.example.com:465",
    ]);
    assert_eq!(code, 0);
    let report = report(&stdout);
    assert_eq!(report["valid"], true);
    let warning = &report["warnings"][0];
    assert_eq!(warning["code"], "security_port_mismatch");
    assert_eq!(
        warning["fix"],
        json!({"address": "smtp.example.com:465", "security": "tls"})
    );
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .starts_with("SMTP server: ")
    );
}

#[test]
fn invalid_address_prints_the_errors_and_exits_1() {
    let (code, stdout, _) = check_server(&[
        "--protocol",
        "imap",
        "--security",
        "tls",
        "--",
        "010.1.1.1:993",
    ]);
    assert_eq!(code, 1);
    let report = report(&stdout);
    assert_eq!(report["valid"], false);
    assert_eq!(report["port"], 993);
    assert_eq!(report["errors"][0]["code"], "ipv4_leading_zero");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("IMAP server: ")
    );
    assert_eq!(report["warnings"], json!([]));
}

#[test]
fn unicode_domain_is_printed_in_ascii_and_messages_follow_the_language() {
    let (code, stdout, _) = check_server(&[
        "--protocol",
        "smtp",
        "--security",
        "tls",
        "--lang",
        "ru",
        "--",
        "почта.рф",
    ]);
    assert_eq!(code, 1);
    let report = report(&stdout);
    assert_eq!(report["host"], "xn--80a1acny.xn--p1ai");
    assert_eq!(report["errors"][0]["code"], "missing_port");
    assert_eq!(
        report["errors"][0]["fix"],
        json!({"address": "xn--80a1acny.xn--p1ai:465", "security": "tls"})
    );
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("SMTP сервер: ")
    );
}

#[test]
fn address_starting_with_a_hyphen_is_checked_after_double_dash() {
    let (code, stdout, _) = check_server(&[
        "--protocol",
        "smtp",
        "--security",
        "tls",
        "--",
        "-smtp.example.com:465",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report(&stdout)["errors"][0]["code"], "label_hyphen");
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["--security", "tls", "--", "smtp.example.com:465"][..],
        &[
            "--protocol",
            "pop3",
            "--security",
            "tls",
            "--",
            "smtp.example.com:465",
        ],
        &[
            "--protocol",
            "smtp",
            "--security",
            "ssl",
            "--",
            "smtp.example.com:465",
        ],
        &["--protocol", "smtp", "--security", "tls"],
        &[
            "--protocol",
            "smtp",
            "--security",
            "tls",
            "--",
            "a:1",
            "b:2",
        ],
    ] {
        let (code, stdout, stderr) = check_server(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(!stderr.is_empty());
    }
}
