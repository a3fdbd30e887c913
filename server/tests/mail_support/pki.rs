//! A throwaway CA per run and the certificates the test servers present, made with rcgen. Names are
//! unique per run so nothing on the machine (Debian's snakeoil `localhost`) can stand in for them.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, IsCa, KeyPair, SanType, date_time_ymd,
};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tempfile::TempDir;

pub struct Pki {
    pub dir: TempDir,
    ca: Certificate,
    ca_key: KeyPair,
    ca_file: String,
}

/// A leaf certificate with its key, as PEM files and as a rustls server configuration.
pub struct Leaf {
    pub cert_pem: String,
    pub key_pem: String,
    der: CertificateDer<'static>,
    key_der: Vec<u8>,
}

fn unique() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

impl Pki {
    pub fn new() -> Pki {
        let (ca, ca_key) = make_ca(&format!("mail-services test CA {}", unique()));
        let dir = tempfile::tempdir().expect("a temporary directory");
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca.pem()).expect("write the CA");
        Pki {
            ca_file: ca_file.to_str().unwrap().to_owned(),
            dir,
            ca,
            ca_key,
        }
    }

    pub fn ca_file(&self) -> &str {
        &self.ca_file
    }

    /// A certificate for `localhost` and 127.0.0.1, signed by this run's CA.
    pub fn localhost(&self) -> Leaf {
        self.leaf(&["localhost"], true, false)
    }

    /// Signed by this run's CA for other names only.
    pub fn for_names(&self, names: &[&str]) -> Leaf {
        self.leaf(names, false, false)
    }

    /// For localhost, but its validity ended in 2021.
    pub fn expired(&self) -> Leaf {
        self.leaf(&["localhost"], true, true)
    }

    fn leaf(&self, names: &[&str], loopback_ip: bool, expired: bool) -> Leaf {
        sign(&self.ca, &self.ca_key, names, loopback_ip, expired)
    }

    /// For localhost, signed by a CA the connector is not told about.
    pub fn untrusted(&self) -> Leaf {
        let (ca, key) = make_ca(&format!("unknown test CA {}", unique()));
        sign(&ca, &key, &["localhost"], true, false)
    }

    pub fn write(&self, leaf: &Leaf, name: &str) -> (String, String) {
        let cert = self.dir.path().join(format!("{name}.crt"));
        let key = self.dir.path().join(format!("{name}.key"));
        std::fs::write(&cert, &leaf.cert_pem).unwrap();
        std::fs::write(&key, &leaf.key_pem).unwrap();
        (path_text(&cert), path_text(&key))
    }
}

fn path_text(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

fn make_ca(name: &str) -> (Certificate, KeyPair) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    (cert, key)
}

fn sign(
    ca: &Certificate,
    ca_key: &KeyPair,
    names: &[&str],
    loopback_ip: bool,
    expired: bool,
) -> Leaf {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = CertificateParams::new(names.clone()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, names[0].clone());
    if loopback_ip {
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    }
    if expired {
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2021, 1, 1);
    }
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, ca, ca_key).unwrap();
    Leaf {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        der: cert.der().clone(),
        key_der: key.serialize_der(),
    }
}

impl Leaf {
    pub fn server_config(&self) -> Arc<ServerConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![self.der.clone()], key)
            .unwrap();
        Arc::new(config)
    }
}
