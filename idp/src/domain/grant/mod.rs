//! Grant rules, one file per grant type: pure decisions the token endpoint
//! calls between its reads and its effects, each with a precise error enum
//! that `protocol::error` maps to RFC 6749 §5.2 codes.

pub mod authorization_code;
pub mod client_credentials;
pub mod refresh_token;

/// The distinct scopes of a `scope` parameter (RFC 6749 §3.3), in request
/// order; `None` when it is absent or blank.
pub fn requested_scopes(scope: Option<&str>) -> Option<Vec<String>> {
    let requested = scope.map(str::trim).filter(|s| !s.is_empty())?;
    let mut scopes: Vec<String> = Vec::new();
    for scope in requested.split(' ').filter(|s| !s.is_empty()) {
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    Some(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_parameter_is_split_and_deduplicated_in_order() {
        let cases: [(Option<&str>, Option<&[&str]>); 5] = [
            (None, None),
            (Some(""), None),
            (Some("   "), None),
            (Some("b a"), Some(&["b", "a"])),
            (Some(" a  b a "), Some(&["a", "b"])),
        ];
        for (raw, expected) in cases {
            let expected = expected.map(|e| e.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
            assert_eq!(requested_scopes(raw), expected, "{raw:?}");
        }
    }
}
