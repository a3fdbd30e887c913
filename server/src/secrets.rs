//! Mailbox passwords at rest: XChaCha20-Poly1305 with a key that never enters the database.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// The environment variable that carries the key (base64 of 32 bytes); replicas sharing one
/// PostgreSQL database must all be given the same key.
pub const KEY_VARIABLE: &str = "MAIL_SERVICES_MAILBOX_KEY";
const KEY_FILE: &str = "mailbox-key";

#[derive(Clone)]
pub struct MailboxKey(Key);

impl std::fmt::Debug for MailboxKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailboxKey(***)")
    }
}

/// A password sealed for one mailbox record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

impl MailboxKey {
    pub fn generate() -> MailboxKey {
        MailboxKey(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    pub fn from_base64(text: &str) -> anyhow::Result<MailboxKey> {
        let bytes = BASE64
            .decode(text.trim())
            .context("the mailbox key is not base64")?;
        anyhow::ensure!(
            bytes.len() == 32,
            "the mailbox key must be 32 bytes, not {}",
            bytes.len()
        );
        Ok(MailboxKey(*Key::from_slice(&bytes)))
    }

    /// The key from the environment when set, else from `mailbox-key` in the data directory,
    /// which is created (mode 0600) with a fresh random key on first start.
    pub fn load(from_environment: Option<&str>, data_dir: &Path) -> anyhow::Result<MailboxKey> {
        if let Some(text) = from_environment {
            return MailboxKey::from_base64(text).with_context(|| format!("in {KEY_VARIABLE}"));
        }
        let path = data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                MailboxKey::from_base64(&text).with_context(|| format!("in {}", path.display()))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = MailboxKey::generate();
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(&path).with_context(|| {
                    format!("cannot create the mailbox key file {}", path.display())
                })?;
                writeln!(file, "{}", BASE64.encode(key.0))?;
                file.sync_all()?;
                tracing::info!(path = %path.display(), "created a new mailbox key; back it up with the database");
                Ok(key)
            }
            Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Seals `password` so that it only opens for the same record (`binding`).
    pub fn seal(&self, password: &str, binding: &[u8]) -> Sealed {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = XChaCha20Poly1305::new(&self.0)
            .encrypt(
                &nonce,
                Payload {
                    msg: password.as_bytes(),
                    aad: binding,
                },
            )
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory data");
        Sealed {
            nonce: nonce.to_vec(),
            ciphertext,
        }
    }

    /// The password, if the sealed data is intact, was sealed with this key and for this record.
    pub fn open(&self, sealed: &Sealed, binding: &[u8]) -> Option<String> {
        if sealed.nonce.len() != 24 {
            return None;
        }
        let plain = XChaCha20Poly1305::new(&self.0)
            .decrypt(
                XNonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: binding,
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

/// What a mailbox password is bound to: its record and its owner, so a ciphertext copied into
/// another row does not open.
pub fn mailbox_binding(mailbox_id: i64, user_id: i64) -> Vec<u8> {
    format!("mail-services/mailbox-password/v1/{mailbox_id}/{user_id}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_password_opens_only_with_its_key_and_record() {
        let key = MailboxKey::generate();
        let sealed = key.seal("hunter2", &mailbox_binding(1, 7));
        assert_ne!(sealed.ciphertext, b"hunter2");
        assert_eq!(
            key.open(&sealed, &mailbox_binding(1, 7)).as_deref(),
            Some("hunter2")
        );
        assert_eq!(
            key.open(&sealed, &mailbox_binding(2, 7)),
            None,
            "another record"
        );
        assert_eq!(
            MailboxKey::generate().open(&sealed, &mailbox_binding(1, 7)),
            None,
            "another key"
        );
    }

    #[test]
    fn each_seal_uses_a_fresh_nonce() {
        let key = MailboxKey::generate();
        let a = key.seal("same", b"r");
        let b = key.seal("same", b"r");
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = tempfile::TempDir::new().unwrap();
        let first = MailboxKey::load(None, dir.path()).unwrap();
        let again = MailboxKey::load(None, dir.path()).unwrap();
        assert_eq!(first.0, again.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_malformed_key_is_refused_with_a_reason() {
        let error = MailboxKey::from_base64("c2hvcnQ=").unwrap_err().to_string();
        assert!(error.contains("32 bytes"), "{error}");
    }
}
