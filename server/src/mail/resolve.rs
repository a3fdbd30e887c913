//! The connector's own name resolution (A and AAAA), so every address is judged before use.

use std::net::IpAddr;
use std::sync::Arc;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::ResolverConfig;
use hickory_resolver::name_server::TokioConnectionProvider;

/// Resolves host names with the system's configuration (`/etc/resolv.conf` and `/etc/hosts`).
#[derive(Clone)]
pub struct Resolver {
    inner: Arc<TokioResolver>,
}

/// Why a name did not resolve to any address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsFailure {
    /// The resolver's own words, for the operator.
    pub detail: String,
}

impl Resolver {
    /// The system's resolver; without a readable `/etc/resolv.conf`, only `/etc/hosts` and IP
    /// literals resolve (nothing falls back to a public DNS server).
    pub fn system() -> Resolver {
        let builder = TokioResolver::builder_tokio().unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the system's DNS configuration; only /etc/hosts names resolve");
            TokioResolver::builder_with_config(
                ResolverConfig::new(),
                TokioConnectionProvider::default(),
            )
        });
        Resolver {
            inner: Arc::new(builder.build()),
        }
    }

    /// Every address of `host`, IPv4 and IPv6, without duplicates; an IP literal is itself.
    pub async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, DnsFailure> {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(vec![ip]);
        }
        let lookup = self.inner.lookup_ip(host).await.map_err(|e| DnsFailure {
            detail: e.to_string(),
        })?;
        let mut addresses: Vec<IpAddr> = Vec::new();
        for ip in lookup.iter() {
            if !addresses.contains(&ip) {
                addresses.push(ip);
            }
        }
        if addresses.is_empty() {
            return Err(DnsFailure {
                detail: "no A or AAAA record".to_owned(),
            });
        }
        Ok(addresses)
    }
}
