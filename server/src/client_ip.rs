//! The client address brute-force throttles count by: the TCP peer, unless
//! the peer is a configured trusted proxy (`http.trusted_proxies`), in which
//! case the nearest address in `X-Forwarded-For` that is not itself a trusted
//! proxy. Without the setting, a proxy's clients would all share its address.

use std::net::IpAddr;

use actix_web::HttpRequest;
use idp::config::Config;

/// The address `req` is counted under.
pub fn client_ip(req: &HttpRequest, config: &Config) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return String::new();
    };
    let trusted = &config.http.trusted_proxies;
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(&peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn config(trusted: &[&str]) -> Config {
        let mut config = Config::default();
        config.http.trusted_proxies = trusted.iter().filter_map(|t| t.parse().ok()).collect();
        config
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let behind = |peer: &str, xff: &str| {
            TestRequest::default()
                .peer_addr(
                    format!("{peer}:4000")
                        .parse()
                        .unwrap_or(([0, 0, 0, 0], 0).into()),
                )
                .insert_header(("x-forwarded-for", xff))
                .to_http_request()
        };
        let none = config(&[]);
        let lb = config(&["10.0.0.1", "10.0.0.2"]);
        // Not trusted: the header is whatever the client wrote.
        assert_eq!(
            client_ip(&behind("203.0.113.9", "1.2.3.4"), &none),
            "203.0.113.9"
        );
        assert_eq!(
            client_ip(&behind("203.0.113.9", "1.2.3.4"), &lb),
            "203.0.113.9"
        );
        // Trusted: the nearest untrusted hop; a spoofed left part is ignored.
        assert_eq!(
            client_ip(&behind("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2"), &lb),
            "198.51.100.7"
        );
        // Trusted proxy without the header: the proxy itself.
        let bare = TestRequest::default()
            .peer_addr("10.0.0.1:4000".parse().unwrap_or(([0, 0, 0, 0], 0).into()))
            .to_http_request();
        assert_eq!(client_ip(&bare, &lb), "10.0.0.1");
    }
}
