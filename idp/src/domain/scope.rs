//! Scopes: the OpenID Connect built-ins (OIDC Core §5.4) and the claims each
//! releases; API scopes are defined per API (see [`crate::domain::api`]).

/// `openid`: marks an OpenID Connect request; releases `sub`.
pub const OPENID: &str = "openid";
/// `offline_access` (OIDC Core §11): asks for a refresh token.
pub const OFFLINE_ACCESS: &str = "offline_access";

/// A built-in scope, its description for consent pages and the claims it releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinScope {
    /// Scope token.
    pub name: &'static str,
    /// Shown on the consent page.
    pub description: &'static str,
    /// Claims released at the userinfo endpoint and in ID tokens.
    pub claims: &'static [&'static str],
}

/// Every built-in scope.
pub const BUILTIN: &[BuiltinScope] = &[
    BuiltinScope {
        name: OPENID,
        description: "Sign you in and know who you are",
        claims: &["sub"],
    },
    BuiltinScope {
        name: "profile",
        description: "Your name and basic profile",
        claims: &[
            "name",
            "family_name",
            "given_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "gender",
            "birthdate",
            "zoneinfo",
            "locale",
            "updated_at",
        ],
    },
    BuiltinScope {
        name: "email",
        description: "Your email address",
        claims: &["email", "email_verified"],
    },
    BuiltinScope {
        name: "address",
        description: "Your postal address",
        claims: &["address"],
    },
    BuiltinScope {
        name: "phone",
        description: "Your phone number",
        claims: &["phone_number", "phone_number_verified"],
    },
    BuiltinScope {
        name: OFFLINE_ACCESS,
        description: "Keep access while you are away",
        claims: &[],
    },
];

/// The built-in scope named `name`.
pub fn builtin(name: &str) -> Option<&'static BuiltinScope> {
    BUILTIN.iter().find(|s| s.name == name)
}

/// Claims released by `scopes` (OIDC Core §5.4), in a stable order.
pub fn claims_for<'a>(scopes: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut claims: Vec<&'static str> = Vec::new();
    for scope in scopes {
        for claim in builtin(scope).map(|s| s.claims).unwrap_or_default() {
            if !claims.contains(claim) {
                claims.push(claim);
            }
        }
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scope_releases_only_its_claims() {
        assert_eq!(claims_for(["email"]), vec!["email", "email_verified"]);
        assert_eq!(
            claims_for(["openid", "phone"]),
            vec!["sub", "phone_number", "phone_number_verified"]
        );
        assert!(claims_for(["api:read"]).is_empty());
        assert!(!claims_for(["profile"]).contains(&"email"));
    }
}
