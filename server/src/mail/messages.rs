//! What each step of a connection check says to a person, in English and Russian: on failure,
//! what to fix.

use mail_core::{Lang, Security};
use serde::Serialize;

use super::check::{Check, CheckCode, Outcome, SkipReason, Step, Target};
use super::policy::Range;

/// One step as the CLI prints it and the API will send it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportedCheck {
    pub step: Step,
    pub outcome: Outcome,
    pub code: Option<CheckCode>,
    pub message: String,
    pub ms: u64,
}

/// The whole check: `ok` when no step failed.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub steps: Vec<ReportedCheck>,
}

impl CheckReport {
    pub fn new(target: &Target, checks: &[Check], lang: Lang) -> CheckReport {
        CheckReport {
            ok: super::check::is_ok(checks),
            steps: checks
                .iter()
                .map(|check| ReportedCheck {
                    step: check.step,
                    outcome: check.outcome,
                    code: check.code,
                    message: message(check, target, lang),
                    ms: check.ms,
                })
                .collect(),
        }
    }
}

fn pick(lang: Lang, en: String, ru: String) -> String {
    match lang {
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// The sentence for one step.
pub fn message(check: &Check, target: &Target, lang: Lang) -> String {
    match (check.outcome, check.code) {
        (Outcome::Failed, Some(code)) => {
            let text = failure(code, check, target, lang);
            match (&check.facts.server_said, code) {
                (Some(said), c) if c != CheckCode::UnexpectedGreeting => pick(
                    lang,
                    format!("{text} The server said: {said}"),
                    format!("{text} Ответ сервера: {said}"),
                ),
                _ => text,
            }
        }
        (Outcome::Skipped, _) => skipped(check, lang),
        _ => passed(check, target, lang),
    }
}

fn skipped(check: &Check, lang: Lang) -> String {
    match check.facts.skip {
        Some(SkipReason::NoEncryption) => pick(
            lang,
            "Security is None: the connection is not encrypted, so there is no certificate to check.".into(),
            "Выбрана защита «Нет»: соединение не шифруется, проверять сертификат нечего.".into(),
        ),
        Some(SkipReason::NoCredentials) => pick(
            lang,
            "Skipped: no login and password were given for the check.".into(),
            "Пропущено: для проверки не указаны логин и пароль.".into(),
        ),
        Some(SkipReason::GreetingFirst) => pick(
            lang,
            "Not reached: with STARTTLS the greeting comes first, and it failed.".into(),
            "Не выполнено: при STARTTLS сначала идёт приветствие сервера, и оно не удалось.".into(),
        ),
        _ => pick(
            lang,
            "Skipped because an earlier step failed.".into(),
            "Пропущено, потому что предыдущий шаг не удался.".into(),
        ),
    }
}

fn list<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn passed(check: &Check, target: &Target, lang: Lang) -> String {
    let f = &check.facts;
    let host = &target.host;
    match check.step {
        Step::Resolve if host.parse::<std::net::IpAddr>().is_ok() => pick(
            lang,
            format!("{host} is an IP address: nothing to look up."),
            format!("{host} — это IP-адрес: искать в DNS нечего."),
        ),
        Step::Resolve => pick(
            lang,
            format!("{host} resolves to {}.", list(&f.addresses)),
            format!("{host} указывает на {}.", list(&f.addresses)),
        ),
        Step::AddressPolicy => pick(
            lang,
            format!("Allowed: {}.", list(&f.addresses)),
            format!("Разрешено: {}.", list(&f.addresses)),
        ),
        Step::Connect => {
            let to = f.connected.map(|a| a.to_string()).unwrap_or_default();
            pick(
                lang,
                format!("Connected to {to}."),
                format!("Соединение с {to} установлено."),
            )
        }
        Step::Tls => pick(
            lang,
            format!("Encrypted; the certificate is valid for {host}."),
            format!("Соединение зашифровано; сертификат действителен для {host}."),
        ),
        Step::Greeting => {
            let said = f.server_said.clone().unwrap_or_default();
            pick(
                lang,
                format!("The server greeted: {said}"),
                format!("Приветствие сервера: {said}"),
            )
        }
        Step::Capabilities if f.methods.is_empty() => pick(
            lang,
            "The server answered; it offers no password sign-in here.".into(),
            "Сервер ответил; входа по паролю здесь он не предлагает.".into(),
        ),
        Step::Capabilities => pick(
            lang,
            format!("Password sign-in offered: {}.", list(&f.methods)),
            format!("Вход по паролю доступен: {}.", list(&f.methods)),
        ),
        Step::SignIn => pick(lang, "Signed in.".into(), "Вход выполнен.".into()),
        Step::Mailbox => pick(
            lang,
            "INBOX opens.".into(),
            "Папка «Входящие» (INBOX) открывается.".into(),
        ),
        Step::Envelope => pick(
            lang,
            "The server accepts the sender and the recipient (nothing was sent).".into(),
            "Сервер принимает отправителя и получателя (ничего не отправлено).".into(),
        ),
    }
}

fn range_name(range: Range, lang: Lang) -> &'static str {
    match (range, lang) {
        (Range::Public, Lang::En) => "a public address",
        (Range::Public, Lang::Ru) => "публичный адрес",
        (Range::Private, Lang::En) => "a private network address",
        (Range::Private, Lang::Ru) => "адрес частной сети",
        (Range::Loopback, Lang::En) => "this server itself (loopback)",
        (Range::Loopback, Lang::Ru) => "сам этот сервер (loopback)",
        (Range::LinkLocal, Lang::En) => "a link-local address",
        (Range::LinkLocal, Lang::Ru) => "локальный адрес канала (link-local)",
        (Range::Unspecified, Lang::En) => "the unspecified address",
        (Range::Unspecified, Lang::Ru) => "неопределённый адрес",
        (Range::Multicast, Lang::En) => "a multicast address",
        (Range::Multicast, Lang::Ru) => "групповой адрес (multicast)",
        (Range::Broadcast, Lang::En) => "the broadcast address",
        (Range::Broadcast, Lang::Ru) => "широковещательный адрес",
        (Range::Reserved, Lang::En) => "a reserved or documentation address",
        (Range::Reserved, Lang::Ru) => "зарезервированный или документационный адрес",
    }
}

/// The usual ports that speak TLS from the first byte.
fn is_implicit_tls_port(port: u16) -> bool {
    port == 993 || port == 465
}

fn failure(code: CheckCode, check: &Check, target: &Target, lang: Lang) -> String {
    let f = &check.facts;
    let host = &target.host;
    let port = target.port;
    let detail = f.detail.clone().unwrap_or_default();
    match code {
        CheckCode::DnsFailed => pick(
            lang,
            format!("The name {host} does not resolve to any address. Check the spelling of the server name."),
            format!("Имя {host} не указывает ни на один адрес. Проверьте написание имени сервера."),
        ),
        CheckCode::AddressRefused => {
            let refused: Vec<String> = f
                .refused
                .iter()
                .map(|(ip, range)| format!("{ip} — {}", range_name(*range, lang)))
                .collect();
            let refused = refused.join("; ");
            pick(
                lang,
                format!(
                    "Mail servers may not be reached at this address from here: {refused}. \
                     Use the server's public name, or ask the operator to allow the address with --mail-hosts-allow."
                ),
                format!(
                    "К почтовым серверам по такому адресу отсюда подключаться нельзя: {refused}. \
                     Укажите публичное имя сервера или попросите оператора разрешить адрес флагом --mail-hosts-allow."
                ),
            )
        }
        CheckCode::PortRefused => pick(
            lang,
            format!("Port {port} is not allowed for your own server: use 993 or 143 for IMAP, 465 or 587 for SMTP."),
            format!("Порт {port} для собственного сервера не разрешён: используйте 993 или 143 для IMAP, 465 или 587 для SMTP."),
        ),
        CheckCode::ConnectionRefused => pick(
            lang,
            format!("Nothing listens on port {port} at {host}. Check the port number."),
            format!("На порту {port} сервера {host} ничего не работает. Проверьте номер порта."),
        ),
        CheckCode::ConnectTimeout => pick(
            lang,
            format!("{host} did not answer on port {port} within 5 seconds: a firewall may block it, or the address is wrong."),
            format!("{host} не ответил на порту {port} за 5 секунд: возможно, его закрывает межсетевой экран или адрес неверен."),
        ),
        CheckCode::ConnectionFailed => pick(
            lang,
            format!("Could not connect to {host} on port {port}: {detail}."),
            format!("Не удалось подключиться к {host} на порту {port}: {detail}."),
        ),
        CheckCode::TlsHandshakeFailed if f.plain_text => pick(
            lang,
            format!("Port {port} answers without encryption, but TLS is chosen: choose STARTTLS (or the server's TLS port)."),
            format!("Порт {port} отвечает без шифрования, а выбран TLS: выберите STARTTLS (или TLS-порт сервера)."),
        ),
        CheckCode::TlsHandshakeFailed => pick(
            lang,
            format!("The TLS handshake with {host} failed: {detail}."),
            format!("Не удалось установить TLS-соединение с {host}: {detail}."),
        ),
        CheckCode::CertificateUntrusted => pick(
            lang,
            format!("The certificate of {host} is not issued by a trusted authority. If it is your organisation's own CA, the operator can add it with --mail-ca-file."),
            format!("Сертификат {host} выдан не доверенным центром. Если это собственный центр сертификации организации, оператор может добавить его флагом --mail-ca-file."),
        ),
        CheckCode::CertificateNameMismatch if !f.certificate_names.is_empty() => {
            let names = list(&f.certificate_names);
            pick(
                lang,
                format!("The certificate is for {names}, not {host}. Use that name as the server, or fix the server's certificate."),
                format!("Сертификат выдан для {names}, а не для {host}. Укажите это имя сервера или исправьте сертификат сервера."),
            )
        }
        CheckCode::CertificateNameMismatch => pick(
            lang,
            format!("The certificate is not valid for {host}. Use the name the certificate was issued for."),
            format!("Сертификат недействителен для {host}. Укажите имя, на которое выдан сертификат."),
        ),
        CheckCode::CertificateExpired => pick(
            lang,
            format!("The certificate of {host} has expired: the server's administrator must renew it."),
            format!("Срок действия сертификата {host} истёк: администратор сервера должен его обновить."),
        ),
        CheckCode::StarttlsUnsupported => pick(
            lang,
            format!("The server on port {port} offers no STARTTLS, so the connection cannot be encrypted; nothing was sent. Choose TLS with its TLS port, or ask for STARTTLS to be switched on."),
            format!("Сервер на порту {port} не предлагает STARTTLS, и соединение нельзя зашифровать; ничего не отправлено. Выберите TLS с его TLS-портом или попросите включить STARTTLS."),
        ),
        CheckCode::GreetingTimeout if target.security != Security::Tls && is_implicit_tls_port(port) => pick(
            lang,
            format!("Port {port} speaks TLS but {} is chosen: choose TLS.", security_name(target.security, lang)),
            format!("Порт {port} работает по TLS, а выбрано {}: выберите TLS.", security_name(target.security, lang)),
        ),
        CheckCode::GreetingTimeout => pick(
            lang,
            format!("The server on port {port} accepted the connection but sent no greeting within 10 seconds. Check the port and the security."),
            format!("Сервер на порту {port} принял соединение, но не прислал приветствие за 10 секунд. Проверьте порт и защиту."),
        ),
        CheckCode::UnexpectedGreeting => unexpected_greeting(check, target, lang),
        CheckCode::StepTimeout => pick(
            lang,
            "The server stopped answering (no reply within 10 seconds).".into(),
            "Сервер перестал отвечать (нет ответа за 10 секунд).".into(),
        ),
        CheckCode::ConnectionClosed => pick(
            lang,
            format!("The server ended the conversation unexpectedly{}.", if detail.is_empty() { String::new() } else { format!(" ({detail})") }),
            format!("Сервер неожиданно прервал разговор{}.", if detail.is_empty() { String::new() } else { format!(" ({detail})") }),
        ),
        CheckCode::NoPasswordSignIn if target.security == Security::None => pick(
            lang,
            "The server offers no password sign-in before STARTTLS: choose STARTTLS or TLS.".into(),
            "Сервер не предлагает вход по паролю до STARTTLS: выберите STARTTLS или TLS.".into(),
        ),
        CheckCode::NoPasswordSignIn => pick(
            lang,
            "The server offers no password sign-in (PLAIN or LOGIN), so a login and password cannot be used.".into(),
            "Сервер не предлагает вход по паролю (PLAIN или LOGIN), поэтому логин и пароль использовать нельзя.".into(),
        ),
        CheckCode::AuthFailed => pick(
            lang,
            "The server refused the login and password. Check them; some providers need an app password.".into(),
            "Сервер отклонил логин и пароль. Проверьте их; некоторым почтовым службам нужен пароль приложения.".into(),
        ),
        CheckCode::MailboxUnavailable => pick(
            lang,
            "Signed in, but INBOX cannot be opened.".into(),
            "Вход выполнен, но папку «Входящие» (INBOX) открыть нельзя.".into(),
        ),
        CheckCode::SenderRefused => pick(
            lang,
            "The server does not accept the login's address as the sender.".into(),
            "Сервер не принимает адрес логина в качестве отправителя.".into(),
        ),
        CheckCode::RecipientRefused => pick(
            lang,
            "The server accepts the sender but refuses the recipient.".into(),
            "Сервер принимает отправителя, но отклоняет получателя.".into(),
        ),
    }
}

fn security_name(security: Security, lang: Lang) -> &'static str {
    match (security, lang) {
        (Security::None, Lang::En) => "no encryption",
        (Security::None, Lang::Ru) => "без шифрования",
        (Security::StartTls, _) => "STARTTLS",
        (Security::Tls, _) => "TLS",
    }
}

fn unexpected_greeting(check: &Check, target: &Target, lang: Lang) -> String {
    let port = target.port;
    let said = check.facts.server_said.clone().unwrap_or_default();
    match check.facts.other_protocol {
        Some(other) => {
            let (other, expected) = (other.label(), target.protocol.label());
            pick(
                lang,
                format!(
                    "Port {port} is an {other} server, not {expected}: check the port. It said: {said}"
                ),
                format!(
                    "На порту {port} работает сервер {other}, а не {expected}: проверьте порт. Ответ: {said}"
                ),
            )
        }
        None => pick(
            lang,
            format!(
                "The server on port {port} does not greet like a mail server: check the port. It said: {said}"
            ),
            format!(
                "Сервер на порту {port} здоровается не как почтовый сервер: проверьте порт. Ответ: {said}"
            ),
        ),
    }
}
