//! Who is calling, by network address, for the throttles. Behind a TLS proxy every request
//! comes from the proxy, so the address is read from `X-Forwarded-For`, but only when the
//! peer is a proxy we were told to trust: anyone else could write that header.

use std::net::IpAddr;

use ipnet::IpNet;

/// The caller's address: the peer itself unless it is a trusted proxy; otherwise the
/// right-most `X-Forwarded-For` hop that is not trusted (hops to its left were written by
/// whoever called, so they prove nothing). With every hop trusted, the left-most one.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.iter().flat_map(|header| header.split(',')).map(str::trim).collect();
    let mut caller = peer;
    for hop in hops.iter().rev() {
        // A hop that is not an address: nothing to its left can be believed.
        let Ok(hop) = hop.parse::<IpAddr>() else { return caller };
        caller = hop;
        if !is_trusted(&hop) {
            break;
        }
    }
    caller
}

/// Parses `TRUSTED_PROXIES`: networks or single addresses, separated by commas or spaces.
pub fn parse_networks(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split([',', ' '])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<IpNet>()
                .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{part}` is neither an address nor a network such as 10.0.0.0/8"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(client_address(ip("10.0.0.5"), &["203.0.113.9"], &[]), ip("10.0.0.5"));
    }

    #[test]
    fn a_trusted_proxy_passes_on_the_address_it_saw() {
        let trusted = parse_networks("10.0.0.0/8").unwrap();
        assert_eq!(client_address(ip("10.0.0.5"), &["203.0.113.9"], &trusted), ip("203.0.113.9"));
    }

    #[test]
    fn hops_written_by_the_caller_are_not_believed() {
        let trusted = parse_networks("10.0.0.0/8, 127.0.0.1").unwrap();
        // The caller wrote 1.1.1.1; the proxy appended the address it really saw.
        let header = ["1.1.1.1, 198.51.100.7"];
        assert_eq!(client_address(ip("10.0.0.5"), &header, &trusted), ip("198.51.100.7"));
        // Two proxies in a row: the right-most untrusted hop is the caller.
        let header = ["1.1.1.1, 198.51.100.7, 10.0.0.9"];
        assert_eq!(client_address(ip("10.0.0.5"), &header, &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn an_untrusted_peer_cannot_claim_another_address() {
        let trusted = parse_networks("10.0.0.0/8").unwrap();
        assert_eq!(client_address(ip("198.51.100.7"), &["10.0.0.1"], &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn a_garbled_header_falls_back_to_the_peer() {
        let trusted = parse_networks("10.0.0.0/8").unwrap();
        assert_eq!(client_address(ip("10.0.0.5"), &["not an address"], &trusted), ip("10.0.0.5"));
    }

    #[test]
    fn bad_networks_are_named() {
        assert!(parse_networks("10.0.0.0/8 proxy.local").unwrap_err().contains("proxy.local"));
    }
}
