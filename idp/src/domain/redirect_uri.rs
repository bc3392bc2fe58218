//! Redirect URI registration rules (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700
//! §2.1, §4.1.3): absolute, no fragment, no wildcard; https, or http only for
//! loopback IP literals, or a private-use scheme for native public clients.

/// Why a redirect URI cannot be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectUriError {
    /// Not an absolute URI.
    #[error("redirect URI is not an absolute URI")]
    NotAbsolute,
    /// RFC 6749 §3.1.2: no fragment component.
    #[error("redirect URI must not have a fragment")]
    Fragment,
    /// Wildcards are never matched.
    #[error("redirect URI must not contain a wildcard")]
    Wildcard,
    /// RFC 9700 §2.6: http only for loopback.
    #[error("http redirect URIs are allowed only for loopback IP literals")]
    InsecureHttp,
    /// RFC 8252 §7.1: private-use schemes only for native public clients, in
    /// reverse-domain form.
    #[error("custom-scheme redirect URIs are for native public clients, in reverse-domain form")]
    CustomScheme,
    /// Credentials in the authority (`https://user:pw@host/`) invite
    /// confusion about the host (RFC 3986 §3.2.1 deprecates them).
    #[error("redirect URI must not carry a user name or password")]
    Userinfo,
    /// Matching is exact: a URI with white space could never be presented.
    #[error("redirect URI must not contain white space")]
    Whitespace,
}

/// Validates `uri` for a client that is `confidential` or not.
pub fn validate(uri: &str, confidential: bool) -> Result<(), RedirectUriError> {
    if uri.contains(char::is_whitespace) {
        return Err(RedirectUriError::Whitespace);
    }
    if uri.contains('#') {
        return Err(RedirectUriError::Fragment);
    }
    if uri.contains('*') {
        return Err(RedirectUriError::Wildcard);
    }
    let parsed = url::Url::parse(uri).map_err(|_| RedirectUriError::NotAbsolute)?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(RedirectUriError::Userinfo);
    }
    match parsed.scheme() {
        "https" if parsed.host_str().is_some() => Ok(()),
        "http" => match parsed.host() {
            Some(url::Host::Ipv4(ip)) if ip.is_loopback() => Ok(()),
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => Ok(()),
            _ => Err(RedirectUriError::InsecureHttp),
        },
        "https" => Err(RedirectUriError::NotAbsolute),
        scheme if !confidential && scheme.contains('.') => Ok(()),
        _ => Err(RedirectUriError::CustomScheme),
    }
}

/// The registered URI that `presented` selects, by exact string comparison
/// (RFC 9700 §4.1.3), except that for a loopback IP literal with `http` only
/// the port may differ (RFC 8252 §7.3).
pub fn find_match<'a>(registered: &'a [String], presented: &str) -> Option<&'a str> {
    if let Some(exact) = registered.iter().find(|r| r.as_str() == presented) {
        return Some(exact);
    }
    // Characters the URL parser treats differently from the text split below.
    if presented.contains(['#', '\\']) || presented.contains(char::is_whitespace) {
        return None;
    }
    let presented_url = url::Url::parse(presented).ok()?;
    if presented_url.scheme() != "http" || !is_loopback(&presented_url) {
        return None;
    }
    let wanted = strip_port(presented);
    registered.iter().map(String::as_str).find(|candidate| {
        url::Url::parse(candidate).is_ok_and(|r| r.scheme() == "http" && is_loopback(&r))
            // Compare text, not parsed URLs: the parser normalises.
            && strip_port(candidate) == wanted
    })
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    }
}

/// `http://127.0.0.1:1234/cb` → `http://127.0.0.1/cb`, textually.
fn strip_port(uri: &str) -> String {
    let Some(rest) = uri.strip_prefix("http://") else {
        return uri.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let host = match authority.rfind(':') {
        Some(colon) if !authority.ends_with(']') => authority.get(..colon).unwrap_or(authority),
        _ => authority,
    };
    format!("http://{host}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_matching_with_loopback_ports() {
        let registered = vec![
            "https://c.example/cb".to_owned(),
            "http://127.0.0.1/cb".to_owned(),
            "https://c.example/cb2?x=1".to_owned(),
        ];
        assert_eq!(
            find_match(&registered, "https://c.example/cb"),
            Some("https://c.example/cb")
        );
        assert_eq!(
            find_match(&registered, "https://c.example/cb2?x=1"),
            Some("https://c.example/cb2?x=1")
        );
        // RDR-01
        for bad in [
            "https://c.example/cb/",
            "https://c.example/CB",
            "https://c.example/cb?x=1",
            "https://c.example/cb#f",
            "https://c.example/cb/../x",
            "https://c.example/cb%2F..%2Fx",
            "https://c.example/cb;/../x",
            "https://c.example.evil/cb",
            "https://c.example@evil/cb",
            "HTTPS://c.example/cb",
            "http://127.0.0.1:8080#/cb",
            "http://127.0.0.1:8080\\@evil.example/cb",
            "http://127.0.0.1:8080/cb#x",
        ] {
            assert_eq!(find_match(&registered, bad), None, "{bad}");
        }
        // RDR-02
        assert_eq!(
            find_match(&registered, "http://127.0.0.1:51234/cb"),
            Some("http://127.0.0.1/cb")
        );
        assert_eq!(find_match(&registered, "http://127.0.0.1:51234/cb2"), None);
        assert_eq!(find_match(&registered, "http://127.0.0.1:51234/CB"), None);
        assert_eq!(find_match(&registered, "http://localhost:51234/cb"), None);
        assert_eq!(
            find_match(&registered, "http://127.0.0.1:51234/cb?x=1"),
            None
        );
    }

    #[test]
    fn registration_rules() {
        assert_eq!(validate("https://c.example/cb", true), Ok(()));
        assert_eq!(validate("https://c.example/cb?x=1", true), Ok(()));
        assert_eq!(validate("http://127.0.0.1/cb", false), Ok(()));
        assert_eq!(validate("http://[::1]:8080/cb", false), Ok(()));
        assert_eq!(validate("com.example.app:/cb", false), Ok(()));
        assert_eq!(
            validate("http://app.example/cb", true),
            Err(RedirectUriError::InsecureHttp)
        );
        assert_eq!(
            validate("http://localhost/cb", true),
            Err(RedirectUriError::InsecureHttp)
        );
        assert_eq!(
            validate("https://c.example/cb#x", true),
            Err(RedirectUriError::Fragment)
        );
        assert_eq!(
            validate("https://*.example/cb", true),
            Err(RedirectUriError::Wildcard)
        );
        assert_eq!(validate("/cb", true), Err(RedirectUriError::NotAbsolute));
        assert_eq!(
            validate("com.example.app:/cb", true),
            Err(RedirectUriError::CustomScheme)
        );
        assert_eq!(
            validate("myapp:/cb", false),
            Err(RedirectUriError::CustomScheme)
        );
        for userinfo in [
            "https://user:pw@app.example.com/cb",
            "https://user@app.example.com/cb",
            "https://:pw@app.example.com/cb",
            "http://user@127.0.0.1/cb",
        ] {
            assert_eq!(
                validate(userinfo, true),
                Err(RedirectUriError::Userinfo),
                "{userinfo}"
            );
        }
        for spaced in [
            " https://app.example.com/cb",
            "https://app.example.com/cb ",
            "https://app.example.com/cb\n",
            "https://app.example.com/c b",
        ] {
            assert_eq!(
                validate(spaced, true),
                Err(RedirectUriError::Whitespace),
                "{spaced:?}"
            );
        }
    }
}
