//! Who is at the other end: the client address sign-in limits are counted by, and the reverse
//! proxies whose `X-Forwarded-For` is believed.
//!
//! The address is the TCP peer's. Only when the peer is a proxy the operator named as trusted
//! (`--trusted-proxies`) is `X-Forwarded-For` read, from its right end: each trusted hop is
//! skipped, and the first hop that is not trusted is the client. Anyone can write that header, so
//! believing it from any other peer would let each guess claim a new address.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::AppState;
pub use crate::cidr::Cidr;

/// The proxies the operator trusts to say who the client is.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Vec<Cidr>);

impl TrustedProxies {
    fn trust(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|cidr| cidr.contains(canonical(ip)))
    }

    /// The client behind `peer`: `peer` itself unless it is trusted (see the module's comment).
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer;
        if !self.trust(peer) {
            return client;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .rev()
            .flat_map(|value| value.to_str().unwrap_or("?").rsplit(','));
        for hop in hops {
            // Text that is no address ends the chain: the last trusted hop then stands for it.
            let Some(ip) = parse_hop(hop.trim()) else {
                break;
            };
            client = ip;
            if !self.trust(ip) {
                break;
            }
        }
        client
    }
}

fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|a| a.ip()))
        .ok()
}

/// IPv4 clients reached over IPv6 (`::ffff:a.b.c.d`) count as their IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

/// The key sign-in attempts are counted by: an IPv4 address, or an IPv6 client's /64 (one host
/// usually has a whole /64 to pick addresses from), or `unknown` when the connection's address
/// was not recorded (the tests' requests made without a socket). Never longer than 43 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientKey(String);

impl ClientKey {
    pub fn unknown() -> ClientKey {
        ClientKey("unknown".to_owned())
    }

    pub fn of(ip: IpAddr) -> ClientKey {
        match canonical(ip) {
            IpAddr::V4(ip) => ClientKey(ip.to_string()),
            IpAddr::V6(ip) => {
                let prefix = Ipv6Addr::from(u128::from(ip) & !((1u128 << 64) - 1));
                ClientKey(format!("{prefix}/64"))
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromRequestParts<AppState> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(peer)) => {
                ClientKey::of(state.trusted_proxies.client_of(peer.ip(), &parts.headers))
            }
            None => ClientKey::unknown(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn ranges_contain_their_addresses_and_no_others() {
        let net: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.200.3")) && !net.contains(ip("10.2.0.1")));
        assert!(
            TrustedProxies(vec![net]).trust(ip("::ffff:10.1.0.9")),
            "a proxy reached over IPv6 by its IPv4-mapped address is still trusted"
        );
        let one: Cidr = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:5::1")) && !v6.contains(ip("2001:db9::1")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.1")));
        for bad in ["10.0.0.0/33", "example.com", "10.0.0.0/x", "::/129"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    /// Issue 13, item 5: the first untrusted hop from the right, and only behind a trusted proxy.
    #[test]
    fn forwarded_for_is_read_from_the_right_and_only_from_a_trusted_proxy() {
        let trusted = TrustedProxies(vec!["10.0.0.0/8".parse().unwrap()]);
        let headers = forwarded(&["198.51.100.1, 203.0.113.9", "10.0.0.2"]);
        assert_eq!(
            trusted.client_of(ip("10.0.0.1"), &headers),
            ip("203.0.113.9")
        );
        assert_eq!(
            trusted.client_of(ip("192.0.2.1"), &headers),
            ip("192.0.2.1"),
            "untrusted peer"
        );
        assert_eq!(
            TrustedProxies::default().client_of(ip("10.0.0.1"), &headers),
            ip("10.0.0.1")
        );
        let garbage = forwarded(&["not-an-address, 10.0.0.3"]);
        assert_eq!(trusted.client_of(ip("10.0.0.1"), &garbage), ip("10.0.0.3"));
        assert_eq!(
            trusted.client_of(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_bit_prefix() {
        assert_eq!(
            ClientKey::of(ip("2001:db8:1:2:aaaa::1")).as_str(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(ClientKey::of(ip("::ffff:192.0.2.4")).as_str(), "192.0.2.4");
        let longest = ClientKey::of(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assert!(longest.as_str().len() <= 43, "{longest}");
    }
}
