//! Grant rules, one file per grant type: pure decisions the token endpoint
//! calls between its reads and its effects, each with a precise error enum
//! that `protocol::error` maps to RFC 6749 §5.2 codes.

pub mod authorization_code;
pub mod client_credentials;
pub mod refresh_token;

/// RFC 8707 §2.2 at the token endpoint for a user's grant: the `resource`
/// values may only name the audience the grant is bound to, once (a grant
/// holds one audience, so narrowing within it leaves only that one).
pub fn resource_within(resources: &[&str], bound: &str) -> bool {
    match resources {
        [] => true,
        [one] => *one == bound,
        _ => false,
    }
}

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
    fn a_grant_narrows_only_to_its_own_audience() {
        let bound = "https://api.a";
        assert!(resource_within(&[], bound));
        assert!(resource_within(&[bound], bound));
        assert!(!resource_within(&["https://api.b"], bound));
        assert!(
            !resource_within(&[bound, bound], bound),
            "one resource per request"
        );
    }

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
