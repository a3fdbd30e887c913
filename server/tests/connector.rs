//! `mail-services check-connection` (issue 15, SPEC C1–C2) run as the real binary against real
//! Dovecot and small misbehaving servers on loopback: every failure code, the order of the steps,
//! and that no credential leaves before TLS.

mod mail_support;

use base64::Engine as _;
use mail_support::dovecot::{ANNA, ANNA_PASSWORD, Dovecot, NOSEND, NOSEND_PASSWORD};
use mail_support::fakes::{FakeServer, Script, closed_port, unanswering_port};
use mail_support::pki::Pki;
use mail_support::{check, check_connection, sign_in};

const IMAP_STEPS: [&str; 8] = [
    "resolve",
    "address_policy",
    "connect",
    "tls",
    "greeting",
    "capabilities",
    "sign_in",
    "mailbox",
];

fn local(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

fn all_passed(run: &mail_support::Run) {
    assert_eq!(run.exit, 0, "{}", run.report);
    assert_eq!(run.report["ok"], true);
    for step in run.report["steps"].as_array().unwrap() {
        assert_eq!(step["outcome"], "passed", "{}", run.report);
        assert_eq!(step["code"], serde_json::Value::Null);
        assert!(step["ms"].is_u64());
        assert!(!step["message"].as_str().unwrap().is_empty());
    }
}

// --- Real Dovecot ---

#[test]
fn imap_starttls_signs_in_over_tls_and_opens_inbox_c1() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let run = sign_in(
        &pki,
        "imap",
        "starttls",
        ANNA,
        &local(dovecot.imap),
        ANNA_PASSWORD,
    );
    all_passed(&run);
    let names: Vec<String> = run.outcomes().into_iter().map(|(s, _)| s).collect();
    assert_eq!(names, IMAP_STEPS);
    // Dovecot trusts loopback as secured, so only its log tells that the login came through TLS.
    let login = dovecot.wait_for_log_line(&["imap-login:", &format!("Login: user=<{ANNA}>")]);
    assert!(
        login.contains(", TLS,"),
        "the login was not over TLS: {login}"
    );
}

#[test]
fn imap_tls_and_a_local_name_pass_every_step_c1() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let run = check(
        &pki,
        "imap",
        "tls",
        &["--login", ANNA, "--password-stdin"],
        &format!("localhost:{}", dovecot.imaps),
        Some(ANNA_PASSWORD),
    );
    all_passed(&run);
    // localhost also has ::1, which the test allow-list does not cover: judged and left out.
    assert!(run.message("connect").contains("127.0.0.1"));
}

#[test]
fn without_login_sign_in_and_mailbox_are_skipped_and_ok_stays_true_c2() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let run = check(&pki, "imap", "starttls", &[], &local(dovecot.imap), None);
    assert_eq!(run.exit, 0, "{}", run.report);
    assert_eq!(run.report["ok"], true);
    assert_eq!(run.step("sign_in")["outcome"], "skipped");
    assert_eq!(run.step("mailbox")["outcome"], "skipped");
    assert_eq!(run.step("capabilities")["outcome"], "passed");
    assert!(run.message("capabilities").contains("PLAIN"));
}

#[test]
fn security_none_reports_tls_skipped_and_signs_in_c1() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let run = sign_in(
        &pki,
        "imap",
        "none",
        ANNA,
        &local(dovecot.imap),
        ANNA_PASSWORD,
    );
    assert_eq!(run.exit, 0, "{}", run.report);
    assert_eq!(run.step("tls")["outcome"], "skipped");
    assert_eq!(run.step("mailbox")["outcome"], "passed");
}

#[test]
fn smtp_starttls_and_tls_accept_the_envelope_then_reset_without_sending_c2() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    for (security, port) in [
        ("starttls", dovecot.submission),
        ("tls", dovecot.submissions),
    ] {
        let run = sign_in(&pki, "smtp", security, ANNA, &local(port), ANNA_PASSWORD);
        all_passed(&run);
        assert_eq!(run.report["steps"][7]["step"], "envelope");
    }
    let commands = dovecot.sink.commands();
    assert!(
        commands.iter().any(|c| c == &format!("MAIL FROM:<{ANNA}>")),
        "{commands:?}"
    );
    assert!(
        commands.iter().any(|c| c.starts_with("RCPT TO:")),
        "{commands:?}"
    );
    assert!(
        !commands
            .iter()
            .any(|c| c.starts_with("DATA") || c.starts_with("BDAT")),
        "nothing is sent: {commands:?}"
    );
    let login = dovecot.wait_for_log_line(&["submission-login:", &format!("Login: user=<{ANNA}>")]);
    assert!(login.contains(", TLS,"), "{login}");
}

#[test]
fn a_wrong_password_is_auth_failed_for_imap_and_smtp_c1() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let canary = "wrong-PASSWORD-canary-81";
    for (protocol, port) in [("imap", dovecot.imaps), ("smtp", dovecot.submissions)] {
        let run = sign_in(&pki, protocol, "tls", ANNA, &local(port), canary);
        assert_eq!(run.failed_code(), "auth_failed", "{protocol}");
        let message = run.message("sign_in");
        assert!(
            message.contains("refused the login and password"),
            "{message}"
        );
        assert!(!run.report.to_string().contains(canary));
        assert!(!run.stderr.contains(canary));
    }
    let run = check(
        &pki,
        "imap",
        "tls",
        &["--login", ANNA, "--password-stdin", "--lang", "ru"],
        &local(dovecot.imaps),
        Some(canary),
    );
    assert!(run.message("sign_in").contains("отклонил логин и пароль"));
}

#[test]
fn a_sender_the_server_refuses_is_sender_refused_c2() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let run = sign_in(
        &pki,
        "smtp",
        "starttls",
        NOSEND,
        &local(dovecot.submission),
        NOSEND_PASSWORD,
    );
    assert_eq!(run.failed_code(), "sender_refused");
    assert_eq!(run.step("sign_in")["outcome"], "passed");
    assert!(run.message("envelope").contains("This sender may not send"));
}

#[test]
fn tls_chosen_for_a_plain_port_is_tls_handshake_failed_c2() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let run = check(&pki, "imap", "tls", &[], &local(dovecot.imap), None);
    assert_eq!(run.failed_code(), "tls_handshake_failed");
    let message = run.message("tls");
    assert!(
        message.contains("without encryption") && message.contains("STARTTLS"),
        "{message}"
    );
}

#[test]
fn an_smtp_server_on_the_imap_check_is_unexpected_greeting_c2() {
    let pki = Pki::new();
    let dovecot = Dovecot::start(&pki);
    let run = check(&pki, "imap", "none", &[], &local(dovecot.submission), None);
    assert_eq!(run.failed_code(), "unexpected_greeting");
    let message = run.message("greeting");
    assert!(message.contains("SMTP server, not IMAP"), "{message}");
    // With STARTTLS the greeting comes before the upgrade: the upgrade is then never reached.
    let run = check(
        &pki,
        "imap",
        "starttls",
        &[],
        &local(dovecot.submission),
        None,
    );
    assert_eq!(run.failed_code(), "unexpected_greeting");
    assert_eq!(run.step("tls")["outcome"], "skipped");
    assert!(run.message("tls").contains("greeting comes first"));
}

// --- Misbehaving servers of the tests' own ---

#[test]
fn a_server_that_stays_silent_is_greeting_timeout_c1() {
    let pki = Pki::new();
    let silent = FakeServer::start(Script::Silent);
    let run = check(&pki, "imap", "none", &[], &silent.address(), None);
    assert_eq!(run.failed_code(), "greeting_timeout");
    assert_eq!(run.step("connect")["outcome"], "passed");
}

/// A server that answers with endless lines ends the conversation once it has sent 1 MiB, instead
/// of filling the memory until the step's time is up.
#[test]
fn a_server_that_streams_endless_answers_is_cut_off() {
    let pki = Pki::new();
    let flood = FakeServer::start(Script::ImapFlood);
    let run = check(&pki, "imap", "none", &[], &flood.address(), None);
    assert_eq!(run.failed_code(), "connection_closed");
    assert_eq!(run.step("capabilities")["outcome"], "failed");
    assert_eq!(run.step("greeting")["outcome"], "passed");
}

#[test]
fn a_certificate_for_another_name_is_certificate_name_mismatch_c2() {
    let pki = Pki::new();
    let server = FakeServer::start(Script::TlsImap(
        pki.for_names(&["mail.other.com"]).server_config(),
    ));
    let run = check(
        &pki,
        "imap",
        "tls",
        &[],
        &format!("localhost:{}", server.port),
        None,
    );
    assert_eq!(run.failed_code(), "certificate_name_mismatch");
    let message = run.message("tls");
    assert!(
        message.contains("the certificate is for mail.other.com")
            || message.contains("The certificate is for mail.other.com"),
        "{message}"
    );
}

#[test]
fn an_expired_certificate_is_certificate_expired_c2() {
    let pki = Pki::new();
    let server = FakeServer::start(Script::TlsImap(pki.expired().server_config()));
    let run = check(&pki, "imap", "tls", &[], &server.address(), None);
    assert_eq!(run.failed_code(), "certificate_expired");
}

#[test]
fn a_certificate_from_an_unknown_ca_is_certificate_untrusted_c1() {
    let pki = Pki::new();
    let server = FakeServer::start(Script::TlsImap(pki.untrusted().server_config()));
    let run = check(&pki, "imap", "tls", &[], &server.address(), None);
    assert_eq!(run.failed_code(), "certificate_untrusted");
    // The same server passes once its CA is trusted: the failure was the issuer, nothing else.
    let good = FakeServer::start(Script::TlsImap(pki.localhost().server_config()));
    assert_eq!(
        check(&pki, "imap", "tls", &[], &good.address(), None).exit,
        0
    );
}

fn assert_no_credential(received: &str, login: &str, password: &str) {
    let plain = base64::engine::general_purpose::STANDARD.encode(format!("\0{login}\0{password}"));
    let alone = base64::engine::general_purpose::STANDARD.encode(password);
    assert!(
        !received.contains(password),
        "the password was sent in clear: {received}"
    );
    assert!(
        !received.contains(&plain) && !received.contains(&alone),
        "the password was sent in base64: {received}"
    );
    assert!(
        !received.contains(login),
        "the login was sent in clear: {received}"
    );
}

#[test]
fn starttls_not_offered_fails_closed_without_sending_the_password_c1() {
    let pki = Pki::new();
    let canary = "starttls-CANARY-password-42";
    let imap = FakeServer::start(Script::Imap {
        capabilities: "IMAP4rev1 AUTH=PLAIN",
        inbox: true,
    });
    let run = sign_in(&pki, "imap", "starttls", ANNA, &imap.address(), canary);
    assert_no_credential(&imap.received(), ANNA, canary);
    assert_eq!(run.failed_code(), "starttls_unsupported");
    assert_eq!(run.step("tls")["outcome"], "failed");
    assert!(
        imap.received().contains("CAPABILITY"),
        "the server was asked: {}",
        imap.received()
    );

    let smtp = FakeServer::start(Script::Smtp {
        extensions: &["AUTH PLAIN LOGIN", "SIZE 1000"],
    });
    let run = sign_in(&pki, "smtp", "starttls", ANNA, &smtp.address(), canary);
    assert_no_credential(&smtp.received(), ANNA, canary);
    assert_eq!(run.failed_code(), "starttls_unsupported");
    assert!(smtp.received().contains("EHLO"), "{}", smtp.received());
}

#[test]
fn logindisabled_or_no_auth_is_no_password_sign_in_c2() {
    let pki = Pki::new();
    let imap = FakeServer::start(Script::Imap {
        capabilities: "IMAP4rev1 STARTTLS LOGINDISABLED",
        inbox: true,
    });
    let run = sign_in(&pki, "imap", "none", ANNA, &imap.address(), "pw-canary-1");
    assert_eq!(run.failed_code(), "no_password_sign_in");
    let message = run.message("sign_in");
    assert!(
        message.contains("no password sign-in before STARTTLS"),
        "{message}"
    );
    assert_no_credential(&imap.received(), ANNA, "pw-canary-1");

    let smtp = FakeServer::start(Script::Smtp {
        extensions: &["SIZE 1000", "8BITMIME"],
    });
    let run = sign_in(&pki, "smtp", "none", ANNA, &smtp.address(), "pw-canary-2");
    assert_eq!(run.failed_code(), "no_password_sign_in");
}

#[test]
fn an_inbox_that_cannot_be_opened_is_mailbox_unavailable_c2() {
    let pki = Pki::new();
    let imap = FakeServer::start(Script::Imap {
        capabilities: "IMAP4rev1 AUTH=PLAIN",
        inbox: false,
    });
    let run = sign_in(&pki, "imap", "none", ANNA, &imap.address(), "pw");
    assert_eq!(run.failed_code(), "mailbox_unavailable");
    assert_eq!(run.step("sign_in")["outcome"], "passed");
}

// --- Resolution, address policy and connecting ---

#[test]
fn a_name_that_does_not_exist_is_dns_failed_c1() {
    let pki = Pki::new();
    let run = check(&pki, "imap", "tls", &[], "no-such-host.invalid:993", None);
    assert_eq!(run.failed_code(), "dns_failed");
    assert_eq!(run.report["steps"][0]["step"], "resolve");
}

#[test]
fn loopback_and_link_local_are_refused_without_the_allow_list_c1() {
    let silent = FakeServer::start(Script::Silent);
    for address in [
        silent.address(),
        format!("[::ffff:127.0.0.1]:{}", silent.port),
        "169.254.169.254:993".to_owned(),
    ] {
        let run = check_connection(
            &["--protocol", "imap", "--security", "tls", "--", &address],
            None,
        );
        assert_eq!(run.failed_code(), "address_refused", "{address}");
        assert_eq!(run.step("connect")["outcome"], "skipped");
    }
    assert!(
        silent.received().is_empty(),
        "nothing connected to the refused address"
    );
}

#[test]
fn a_private_address_is_refused_for_a_persons_own_server_c1() {
    let run = check_connection(
        &[
            "--protocol",
            "imap",
            "--security",
            "tls",
            "--user-entry",
            "--",
            "10.1.2.3:993",
        ],
        None,
    );
    assert_eq!(run.failed_code(), "address_refused");
    assert!(run.message("address_policy").contains("private network"));
}

#[test]
fn an_unusual_port_is_refused_for_a_persons_own_server_c1() {
    let run = check_connection(
        &[
            "--protocol",
            "smtp",
            "--security",
            "starttls",
            "--user-entry",
            "--",
            "127.0.0.1:2525",
        ],
        None,
    );
    assert_eq!(run.failed_code(), "port_refused");
}

#[test]
fn a_closed_port_is_connection_refused_c2() {
    let pki = Pki::new();
    let port = closed_port();
    let run = check(&pki, "imap", "tls", &[], &local(port), None);
    assert_eq!(run.failed_code(), "connection_refused");
    assert!(
        run.message("connect")
            .contains(&format!("Nothing listens on port {port}"))
    );
}

#[test]
fn a_port_that_never_answers_is_connect_timeout_c1() {
    let pki = Pki::new();
    let (port, _fillers, _listener) = unanswering_port();
    let run = check(&pki, "smtp", "tls", &[], &local(port), None);
    assert_eq!(run.failed_code(), "connect_timeout");
}

// --- Usage ---

#[test]
fn bad_usage_exits_2() {
    for args in [
        vec!["--security", "tls", "--", "imap.example.com:993"],
        vec![
            "--protocol",
            "imap",
            "--security",
            "tls",
            "--",
            "imap.example.com:99999",
        ],
        vec![
            "--protocol",
            "imap",
            "--security",
            "tls",
            "--login",
            "anna",
            "--",
            "imap.example.com:993",
        ],
        vec![
            "--protocol",
            "imap",
            "--security",
            "tls",
            "--mail-hosts-allow",
            "10.0.0.0/99",
            "--",
            "imap.example.com:993",
        ],
    ] {
        let run = check_connection(&args, None);
        assert_eq!(run.exit, 2, "{args:?}: {}", run.stderr);
    }
}
