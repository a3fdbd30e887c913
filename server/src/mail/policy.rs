//! Which addresses and ports the connector may contact (SPEC C1): pure rules, no I/O.
//!
//! Every resolved address is judged before a socket is opened. An IPv6 address that carries an IPv4
//! address (IPv4-mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo
//! `2001::/32`) is judged by the IPv4 address inside it, so `::ffff:127.0.0.1` is loopback. The
//! operator's allow-list (`--mail-hosts-allow`) lets an address through whatever its range, and
//! frees it from the port rule for a person's own servers.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub use crate::cidr::Cidr;
use crate::cidr::prefix_matches;

/// Who defined the server being contacted: the rules differ for a person's "Other" server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A service an administrator defined: corporate servers on private addresses are expected.
    Administrator,
    /// A server a person typed as "Other": private networks and unusual ports are refused.
    UserEntry,
}

/// The ports a person's "Other" server may use: IMAP 143/993 and SMTP submission 465/587.
pub const USER_ENTRY_PORTS: [u16; 4] = [143, 993, 465, 587];

/// The kind of range an address falls in, as far as the policy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    Public,
    /// RFC 1918, fc00::/7 (unique local) and 100.64.0.0/10 (shared address space).
    Private,
    Loopback,
    LinkLocal,
    Unspecified,
    Multicast,
    Broadcast,
    /// Documentation, benchmarking, protocol-assignment and other reserved ranges.
    Reserved,
}

impl Range {
    /// A stable name for messages and logs.
    pub const fn code(self) -> &'static str {
        match self {
            Range::Public => "public",
            Range::Private => "private",
            Range::Loopback => "loopback",
            Range::LinkLocal => "link_local",
            Range::Unspecified => "unspecified",
            Range::Multicast => "multicast",
            Range::Broadcast => "broadcast",
            Range::Reserved => "reserved",
        }
    }
}

/// Why an address or port is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The address is in a range refused for this origin.
    Address(Range),
    /// A person's "Other" server on a port outside [`USER_ENTRY_PORTS`].
    Port(u16),
}

/// Parses the allow-list flag: CIDR networks or single addresses separated by commas.
pub fn parse_allow_list(text: &str) -> Result<Vec<Cidr>, String> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(str::parse)
        .collect()
}

/// The address policy: the fixed ranges plus the operator's allow-list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressPolicy {
    pub allow: Vec<Cidr>,
}

impl AddressPolicy {
    pub fn new(allow: Vec<Cidr>) -> AddressPolicy {
        AddressPolicy { allow }
    }

    /// Whether the operator listed this address (also in its IPv4 form when IPv6 hides one).
    pub fn is_allow_listed(&self, ip: IpAddr) -> bool {
        let unwrapped = hidden_ipv4(ip).map(IpAddr::V4);
        self.allow
            .iter()
            .any(|cidr| cidr.contains(ip) || unwrapped.is_some_and(|v4| cidr.contains(v4)))
    }

    /// Judges one resolved address and the port for a server of this origin.
    pub fn judge(&self, ip: IpAddr, port: u16, origin: Origin) -> Result<(), Refusal> {
        if self.is_allow_listed(ip) {
            return Ok(());
        }
        if origin == Origin::UserEntry && !USER_ENTRY_PORTS.contains(&port) {
            return Err(Refusal::Port(port));
        }
        match (classify(ip), origin) {
            (Range::Public, _) | (Range::Private, Origin::Administrator) => Ok(()),
            (range, _) => Err(Refusal::Address(range)),
        }
    }
}

/// The range of an address; IPv6 forms that carry an IPv4 address are judged by that address.
pub fn classify(ip: IpAddr) -> Range {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Range {
    const RESERVED: [(u32, u8); 8] = [
        (0xc000_0000, 24), // 192.0.0.0/24 IETF protocol assignments
        (0xc000_0200, 24), // 192.0.2.0/24 TEST-NET-1
        (0xc633_6400, 24), // 198.51.100.0/24 TEST-NET-2
        (0xcb00_7100, 24), // 203.0.113.0/24 TEST-NET-3
        (0xc612_0000, 15), // 198.18.0.0/15 benchmarking
        (0xc058_6300, 24), // 192.88.99.0/24 former 6to4 relay anycast
        (0xf000_0000, 4),  // 240.0.0.0/4 reserved for future use
        (0x0000_0000, 8),  // 0.0.0.0/8 "this network" (0.0.0.0 itself is unspecified, above)
    ];
    const PRIVATE: [(u32, u8); 4] = [
        (0x0a00_0000, 8),  // 10.0.0.0/8
        (0xac10_0000, 12), // 172.16.0.0/12
        (0xc0a8_0000, 16), // 192.168.0.0/16
        (0x6440_0000, 10), // 100.64.0.0/10 shared address space (carrier-grade NAT)
    ];
    let bits = u32::from(ip);
    let within =
        |(net, prefix): &(u32, u8)| prefix_matches((*net).into(), bits.into(), *prefix, 32);
    if ip.is_unspecified() {
        Range::Unspecified
    } else if ip.is_broadcast() {
        Range::Broadcast
    } else if ip.is_loopback() {
        Range::Loopback
    } else if ip.is_link_local() {
        Range::LinkLocal
    } else if ip.is_multicast() {
        Range::Multicast
    } else if RESERVED.iter().any(within) {
        Range::Reserved
    } else if PRIVATE.iter().any(within) {
        Range::Private
    } else {
        Range::Public
    }
}

fn classify_v6(ip: Ipv6Addr) -> Range {
    const RESERVED: [(u128, u8); 6] = [
        (0x2001_0db8 << 96, 32), // 2001:db8::/32 documentation
        (0x3fff << 112, 20),     // 3fff::/20 documentation (RFC 9637)
        (0x0100 << 112, 64),     // 100::/64 discard-only
        (0x2001 << 112, 23),     // 2001::/23 IETF protocol assignments (Teredo is unwrapped first)
        (0xfec0 << 112, 10),     // fec0::/10 deprecated site-local
        (0, 96),                 // ::/96 deprecated IPv4-compatible (:: and ::1 are above)
    ];
    if let Some(v4) = hidden_ipv4(IpAddr::V6(ip)) {
        return classify_v4(v4);
    }
    if let Some((server, client)) = teredo(ip) {
        return worse(classify_v4(server), classify_v4(client));
    }
    let bits = u128::from(ip);
    let within = |(net, prefix): &(u128, u8)| prefix_matches(*net, bits, *prefix, 128);
    if ip.is_unspecified() {
        Range::Unspecified
    } else if ip.is_loopback() {
        Range::Loopback
    } else if ip.is_unicast_link_local() {
        Range::LinkLocal
    } else if ip.is_multicast() {
        Range::Multicast
    } else if RESERVED.iter().any(within) {
        Range::Reserved
    } else if prefix_matches(0xfc00 << 112, bits, 7, 128) {
        Range::Private
    } else {
        Range::Public
    }
}

/// The IPv4 address inside an IPv4-mapped, NAT64 (well-known prefix) or 6to4 address.
pub fn hidden_ipv4(ip: IpAddr) -> Option<Ipv4Addr> {
    let IpAddr::V6(v6) = ip else { return None };
    let bits = u128::from(v6);
    if let Some(mapped) = v6.to_ipv4_mapped() {
        Some(mapped)
    } else if prefix_matches(0x0064_ff9b << 96, bits, 96, 128) {
        Some(Ipv4Addr::from(bits as u32))
    } else if prefix_matches(0x2002 << 112, bits, 16, 128) {
        Some(Ipv4Addr::from((bits >> 80) as u32))
    } else {
        None
    }
}

/// A Teredo address (2001::/32) carries its server's IPv4 address and its client's, inverted.
fn teredo(ip: Ipv6Addr) -> Option<(Ipv4Addr, Ipv4Addr)> {
    let bits = u128::from(ip);
    prefix_matches(0x2001_0000 << 96, bits, 32, 128).then(|| {
        (
            Ipv4Addr::from((bits >> 64) as u32),
            Ipv4Addr::from(!(bits as u32)),
        )
    })
}

/// Of two ranges, the one the policy treats more strictly.
fn worse(a: Range, b: Range) -> Range {
    let rank = |r: Range| match r {
        Range::Public => 0,
        Range::Private => 1,
        _ => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// SPEC C1: every refused and private range, both IP versions, and IPv4 hidden in IPv6.
    #[test]
    fn every_range_is_classified_c1() {
        let table: &[(&str, Range)] = &[
            ("93.184.216.34", Range::Public),
            ("8.8.8.8", Range::Public),
            ("127.0.0.1", Range::Loopback),
            ("127.255.255.254", Range::Loopback),
            ("169.254.169.254", Range::LinkLocal),
            ("169.254.0.1", Range::LinkLocal),
            ("0.0.0.0", Range::Unspecified),
            ("0.1.2.3", Range::Reserved),
            ("224.0.0.1", Range::Multicast),
            ("239.255.255.255", Range::Multicast),
            ("255.255.255.255", Range::Broadcast),
            ("240.0.0.1", Range::Reserved),
            ("192.0.0.8", Range::Reserved),
            ("192.0.2.1", Range::Reserved),
            ("198.51.100.7", Range::Reserved),
            ("203.0.113.9", Range::Reserved),
            ("198.18.0.1", Range::Reserved),
            ("198.19.255.255", Range::Reserved),
            ("192.88.99.1", Range::Reserved),
            ("10.0.0.1", Range::Private),
            ("172.16.0.1", Range::Private),
            ("172.31.255.255", Range::Private),
            ("172.32.0.1", Range::Public),
            ("192.168.1.1", Range::Private),
            ("100.64.0.1", Range::Private),
            ("100.127.255.255", Range::Private),
            ("100.128.0.1", Range::Public),
            ("2606:2800:220:1::1", Range::Public),
            ("::1", Range::Loopback),
            ("::", Range::Unspecified),
            ("fe80::1", Range::LinkLocal),
            ("ff02::1", Range::Multicast),
            ("2001:db8::1", Range::Reserved),
            ("3fff::1", Range::Reserved),
            ("100::1", Range::Reserved),
            ("2001:2::1", Range::Reserved),
            ("fec0::1", Range::Reserved),
            ("::7f00:1", Range::Reserved),
            ("fc00::1", Range::Private),
            ("fd12:3456::1", Range::Private),
            // IPv4-mapped ::ffff:0:0/96
            ("::ffff:127.0.0.1", Range::Loopback),
            ("::ffff:169.254.169.254", Range::LinkLocal),
            ("::ffff:10.1.2.3", Range::Private),
            ("::ffff:8.8.8.8", Range::Public),
            // NAT64 64:ff9b::/96
            ("64:ff9b::7f00:1", Range::Loopback),
            ("64:ff9b::a9fe:a9fe", Range::LinkLocal),
            ("64:ff9b::c0a8:101", Range::Private),
            ("64:ff9b::808:808", Range::Public),
            // 6to4 2002::/16: the IPv4 address is the next 32 bits
            ("2002:7f00:1::1", Range::Loopback),
            ("2002:a9fe:a9fe::1", Range::LinkLocal),
            ("2002:0a00:0001::1", Range::Private),
            ("2002:0808:0808::1", Range::Public),
            // Teredo 2001::/32: server IPv4, then the client's IPv4 inverted in the last 32 bits
            ("2001:0:808:808::80ff:fffe", Range::Loopback), // client 127.0.0.1
            ("2001:0:7f00:1::f7f7:f7f7", Range::Loopback),  // server 127.0.0.1
            ("2001:0:808:808::5601:5efe", Range::LinkLocal), // client 169.254.161.1
            ("2001:0:808:808::f5ff:fefe", Range::Private),  // client 10.0.1.1
            ("2001:0:808:808::f7f7:f7f7", Range::Public),   // client 8.8.8.8
        ];
        for (address, range) in table {
            assert_eq!(classify(ip(address)), *range, "{address}");
        }
    }

    /// SPEC C1: refused ranges are refused for everyone; private ones only for a person's "Other".
    #[test]
    fn private_ranges_only_for_administrators_c1() {
        let policy = AddressPolicy::default();
        for address in [
            "10.0.0.1",
            "172.20.0.1",
            "192.168.0.10",
            "100.64.1.1",
            "fd00::1",
        ] {
            assert_eq!(
                policy.judge(ip(address), 993, Origin::Administrator),
                Ok(())
            );
            assert_eq!(
                policy.judge(ip(address), 993, Origin::UserEntry),
                Err(Refusal::Address(Range::Private)),
                "{address}"
            );
        }
        for (address, range) in [
            ("127.0.0.1", Range::Loopback),
            ("169.254.169.254", Range::LinkLocal),
            ("::ffff:169.254.169.254", Range::LinkLocal),
            ("64:ff9b::7f00:1", Range::Loopback),
            ("ff02::1", Range::Multicast),
        ] {
            for origin in [Origin::Administrator, Origin::UserEntry] {
                assert_eq!(
                    policy.judge(ip(address), 993, origin),
                    Err(Refusal::Address(range)),
                    "{address}"
                );
            }
        }
        assert_eq!(policy.judge(ip("8.8.8.8"), 993, Origin::UserEntry), Ok(()));
    }

    /// SPEC C1: a person's "Other" server uses only 143, 993, 465 and 587; administrators any port.
    #[test]
    fn user_entry_ports_are_limited_c1() {
        let policy = AddressPolicy::default();
        for port in USER_ENTRY_PORTS {
            assert_eq!(policy.judge(ip("8.8.8.8"), port, Origin::UserEntry), Ok(()));
        }
        for port in [25, 110, 2525, 8080] {
            assert_eq!(
                policy.judge(ip("8.8.8.8"), port, Origin::UserEntry),
                Err(Refusal::Port(port))
            );
            assert_eq!(
                policy.judge(ip("8.8.8.8"), port, Origin::Administrator),
                Ok(())
            );
        }
    }

    /// SPEC C1: the operator's allow-list lets more through, also in IPv6 disguise.
    #[test]
    fn allow_list_admits_addresses_and_their_ports_c1() {
        let policy =
            AddressPolicy::new(parse_allow_list("127.0.0.0/8, fd00::/8,192.168.5.7").unwrap());
        assert_eq!(
            policy.judge(ip("127.0.0.1"), 31143, Origin::UserEntry),
            Ok(())
        );
        assert_eq!(
            policy.judge(ip("::ffff:127.0.0.2"), 143, Origin::UserEntry),
            Ok(())
        );
        assert_eq!(policy.judge(ip("fd00::5"), 993, Origin::UserEntry), Ok(()));
        assert_eq!(
            policy.judge(ip("192.168.5.7"), 993, Origin::UserEntry),
            Ok(())
        );
        assert_eq!(
            policy.judge(ip("192.168.5.8"), 993, Origin::UserEntry),
            Err(Refusal::Address(Range::Private))
        );
        assert_eq!(
            policy.judge(ip("::1"), 993, Origin::Administrator),
            Err(Refusal::Address(Range::Loopback))
        );
    }

    #[test]
    fn allow_list_syntax_errors_name_the_entry() {
        assert!(parse_allow_list("").unwrap().is_empty());
        assert_eq!(parse_allow_list("::/0").unwrap().len(), 1);
        for bad in ["10.0.0.0/33", "example.com", "10.0.0.0/x", "fd00::/129"] {
            let error = parse_allow_list(bad).unwrap_err();
            assert!(error.contains(bad.split('/').next().unwrap()), "{error}");
        }
    }
}
