//! How long the server field's check takes: it runs on every keystroke in the browser.
//! `cargo bench -p mail-core --bench parse_server` (native only).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    divan::main();
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod server_field {
    use divan::black_box;
    use mail_core::{Protocol, Security, ServerCheck, parse_server};

    #[divan::bench]
    fn typical_address() -> ServerCheck {
        parse_server(
            black_box(Protocol::Smtp),
            black_box(Security::Tls),
            black_box("smtp.example.com:465"),
        )
    }

    #[divan::bench]
    fn address_with_warnings() -> ServerCheck {
        parse_server(
            black_box(Protocol::Imap),
            black_box(Security::None),
            black_box(" mail.example.com:1143\n"),
        )
    }

    #[divan::bench]
    fn pasted_url() -> ServerCheck {
        parse_server(
            black_box(Protocol::Imap),
            black_box(Security::None),
            black_box("IMAPS://Imap.Example.COM/"),
        )
    }

    #[divan::bench]
    fn unicode_domain() -> ServerCheck {
        parse_server(
            black_box(Protocol::Imap),
            black_box(Security::Tls),
            black_box("почта.рф:993"),
        )
    }

    #[divan::bench]
    fn invalid_address() -> ServerCheck {
        parse_server(
            black_box(Protocol::Smtp),
            black_box(Security::Tls),
            black_box("010.1.1.1:465"),
        )
    }
}
