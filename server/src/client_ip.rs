//! The client's address behind a reverse proxy. `Forwarded` (RFC 7239) or, failing
//! that, `X-Forwarded-For` is believed only when the peer is one of the configured
//! proxies (`BROAR_TRUSTED_PROXIES`), and then read from the right: each trusted proxy
//! appended the address it saw, so the first address from the right that is not a
//! trusted proxy is the client. Whatever the client wrote into the header itself sits
//! further left and is never taken. Without trusted proxies the peer is the client.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

use crate::startup::ServerState;

/// Parses one `BROAR_TRUSTED_PROXIES` entry: an address or a network (`10.0.0.0/8`).
pub fn parse_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is not an IP address or network"))
}

/// The client of a request from `peer` with `headers`, given the trusted proxies.
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = forwarded_for(headers);
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(ip) => client = *ip,
            Some(ip) => return *ip,
            // An obfuscated or unknown hop ("unknown", "_hidden"): nothing left of it
            // can be believed; the last trusted hop is as far as we know.
            None => return client,
        }
    }
    client
}

/// The hops a request passed, oldest first: from `Forwarded`, else `X-Forwarded-For`.
/// `None` for a hop that is not an address.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let joined = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    };
    let forwarded = joined("forwarded");
    if !forwarded.trim().is_empty() {
        return forwarded
            .split(',')
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| node_address(value))
            })
            .collect();
    }
    let x_forwarded = joined("x-forwarded-for");
    x_forwarded
        .split(',')
        .filter(|hop| !hop.trim().is_empty())
        .map(node_address)
        .collect()
}

/// The address in a node: `192.0.2.1`, `"192.0.2.1:4711"`, `"[2001:db8::1]:4711"`.
fn node_address(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    value.parse::<SocketAddr>().ok().map(|s| s.ip())
}

/// Puts the client's address ([`app::ssr::ClientIp`]) into every request's extensions.
pub async fn middleware(
    State(state): State<ServerState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = client_of(peer, request.headers(), &state.trusted_proxies);
        request.extensions_mut().insert(app::ssr::ClientIp(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn with(name: &'static str, value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxies = [
            parse_proxy("10.0.0.0/8").expect("net"),
            parse_proxy("192.0.2.7").expect("ip"),
        ];
        let xff = with("x-forwarded-for", "203.0.113.9");
        // A client that sends the header itself is not believed.
        assert_eq!(
            client_of(ip("198.51.100.4"), &xff, &proxies),
            ip("198.51.100.4")
        );
        assert_eq!(client_of(ip("198.51.100.4"), &xff, &[]), ip("198.51.100.4"));
        // Through the proxy, the address it appended.
        assert_eq!(client_of(ip("10.1.2.3"), &xff, &proxies), ip("203.0.113.9"));
        assert_eq!(
            client_of(ip("192.0.2.7"), &xff, &proxies),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        let proxies = [parse_proxy("10.0.0.0/8").expect("net")];
        // The client forged "1.2.3.4"; the proxy chain appended the real one.
        let h = with("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.5");
        assert_eq!(client_of(ip("10.0.0.1"), &h, &proxies), ip("203.0.113.9"));
        // Every hop a trusted proxy: the leftmost of them.
        let h = with("x-forwarded-for", "10.0.0.9, 10.0.0.5");
        assert_eq!(client_of(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.9"));
        // An unreadable hop stops the walk at the last trusted one.
        let h = with("x-forwarded-for", "203.0.113.9, garbage, 10.0.0.5");
        assert_eq!(client_of(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.5"));
    }

    #[test]
    fn rfc_7239_forwarded_is_read_first_with_ports_quotes_and_ipv6() {
        let proxies = [parse_proxy("10.0.0.0/8").expect("net")];
        let mut h = with(
            "forwarded",
            "for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.5",
        );
        h.insert("x-forwarded-for", HeaderValue::from_static("198.51.100.1"));
        assert_eq!(client_of(ip("10.0.0.1"), &h, &proxies), ip("2001:db8::17"));
        let h = with("forwarded", "for=\"203.0.113.9:443\"");
        assert_eq!(client_of(ip("10.0.0.1"), &h, &proxies), ip("203.0.113.9"));
        let h = with("forwarded", "for=_hidden, for=10.0.0.5");
        assert_eq!(client_of(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.5"));
    }

    #[test]
    fn proxy_settings_name_what_is_wrong() {
        assert!(parse_proxy("10.0.0.0/8").is_ok());
        assert!(parse_proxy(" ::1 ").is_ok());
        assert_eq!(
            parse_proxy("proxy.kommun.se"),
            Err("\"proxy.kommun.se\" is not an IP address or network".to_owned())
        );
    }
}
