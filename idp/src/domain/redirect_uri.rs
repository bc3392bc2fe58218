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
}

/// Validates `uri` for a client that is `confidential` or not.
pub fn validate(uri: &str, confidential: bool) -> Result<(), RedirectUriError> {
    if uri.contains('#') {
        return Err(RedirectUriError::Fragment);
    }
    if uri.contains('*') {
        return Err(RedirectUriError::Wildcard);
    }
    let parsed = url::Url::parse(uri).map_err(|_| RedirectUriError::NotAbsolute)?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
