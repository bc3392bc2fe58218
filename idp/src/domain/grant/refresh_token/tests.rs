use super::*;
use crate::domain::client::{AuthMethod, NewClient, SecretDigests};
use crate::ids::ClientId;
use crate::protocol::error::{TokenError, TokenErrorCode};

const INVALID_GRANT: &str =
    "the refresh token is invalid, expired, revoked or was issued to another client";

fn client(grants: &[GrantType]) -> Client {
    let new = NewClient {
        grant_types: grants.to_vec(),
        ..NewClient::web("w", AuthMethod::ClientSecretBasic, &[], &["openid"])
    };
    Client {
        id: ClientId::new("c"),
        name: new.name.clone(),
        confidential: true,
        auth_method: AuthMethod::ClientSecretBasic,
        secrets: SecretDigests::default(),
        settings: new.settings(),
        enabled: true,
    }
}

fn owned(scopes: &[&str]) -> Vec<String> {
    scopes.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_error_has_its_rfc6749_code_and_description() {
    use RefreshTokenError as E;
    let table = [
        (
            E::UnauthorizedClient,
            TokenErrorCode::UnauthorizedClient,
            "this client may not use refresh tokens",
        ),
        (
            E::MissingToken,
            TokenErrorCode::InvalidRequest,
            "refresh_token is required",
        ),
        (E::Unknown, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (
            E::ClientMismatch,
            TokenErrorCode::InvalidGrant,
            INVALID_GRANT,
        ),
        (E::Revoked, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (E::Expired, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (E::Reused, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (
            E::InvalidScope,
            TokenErrorCode::InvalidScope,
            "refresh cannot add scopes to the grant",
        ),
        (
            E::InvalidTarget,
            TokenErrorCode::InvalidTarget,
            "resource must be the grant's own API, once",
        ),
        (E::UserInactive, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (
            E::RevokedSinceSignIn,
            TokenErrorCode::InvalidGrant,
            INVALID_GRANT,
        ),
    ];
    for (error, code, description) in table {
        // A new variant fails to compile here until the table covers it.
        match error {
            E::UnauthorizedClient
            | E::MissingToken
            | E::Unknown
            | E::ClientMismatch
            | E::Revoked
            | E::Expired
            | E::Reused
            | E::InvalidScope
            | E::InvalidTarget
            | E::UserInactive
            | E::RevokedSinceSignIn => {}
        }
        assert_eq!(
            TokenError::from(error),
            TokenError::new(code, description),
            "{error:?}"
        );
    }
    assert_eq!(table.len(), 11, "one row per variant");
}

#[test]
fn admission_needs_the_grant_and_a_token_and_parses_scope() {
    let policy = TenantPolicy::default();
    let web = client(&[GrantType::AuthorizationCode, GrantType::RefreshToken]);
    assert_eq!(
        admit(&policy, &web, Some("t"), None),
        Ok(Admission {
            token: "t",
            requested: None
        })
    );
    assert_eq!(
        admit(&policy, &web, Some("t"), Some(" read  read openid ")),
        Ok(Admission {
            token: "t",
            requested: Some(owned(&["read", "openid"]))
        })
    );
    assert_eq!(
        admit(&policy, &web, None, None),
        Err(RefreshTokenError::MissingToken)
    );
    let code_only = client(&[GrantType::AuthorizationCode]);
    assert_eq!(
        admit(&policy, &code_only, None, None),
        Err(RefreshTokenError::UnauthorizedClient),
        "checked before the token"
    );
    let closed = TenantPolicy {
        allowed_grants: vec![GrantType::AuthorizationCode],
        ..TenantPolicy::default()
    };
    assert_eq!(
        admit(&closed, &web, Some("t"), None),
        Err(RefreshTokenError::UnauthorizedClient)
    );
}

#[test]
fn rotation_rules_in_their_order() {
    use RefreshTokenError as E;
    let scopes = owned(&["openid", "read"]);
    let live = StoredToken {
        client_id: "c",
        revoked: false,
        used: false,
        expires_at: 200,
        family_expires_at: 300,
        scopes: &scopes,
    };
    let narrower = owned(&["read"]);
    let wider = owned(&["read", "write"]);
    type Case<'a> = (
        StoredToken<'a>,
        &'a str,
        Option<&'a [String]>,
        i64,
        Result<(), E>,
    );
    let cases: [Case<'_>; 11] = [
        (live, "c", None, 100, Ok(())),
        (live, "c", Some(&narrower), 100, Ok(())),
        (live, "c", Some(&wider), 100, Err(E::InvalidScope)),
        (live, "other", None, 100, Err(E::ClientMismatch)),
        (
            StoredToken {
                revoked: true,
                used: true,
                ..live
            },
            "c",
            None,
            100,
            Err(E::Revoked),
        ),
        (live, "c", None, 200, Err(E::Expired)),
        (live, "c", None, 300, Err(E::Expired)),
        (
            StoredToken { used: true, ..live },
            "c",
            None,
            250,
            Err(E::Reused),
        ),
        (
            StoredToken { used: true, ..live },
            "c",
            Some(&wider),
            100,
            Err(E::Reused),
        ),
        (
            StoredToken { used: true, ..live },
            "c",
            None,
            300,
            Err(E::Expired),
        ),
        (
            StoredToken { used: true, ..live },
            "other",
            None,
            100,
            Err(E::ClientMismatch),
        ),
    ];
    for (token, client_id, requested, now, expected) in cases {
        assert_eq!(
            check_rotation(&token, client_id, requested, now),
            expected,
            "{token:?} {client_id} {requested:?} {now}"
        );
    }
}

#[test]
fn the_user_must_still_stand() {
    use RefreshTokenError as E;
    assert_eq!(check_user(true, false), Ok(()));
    assert_eq!(check_user(false, false), Err(E::UserInactive));
    assert_eq!(check_user(true, true), Err(E::RevokedSinceSignIn));
}

#[test]
fn a_refresh_stays_within_the_grants_audience() {
    let aud = "https://api.a";
    assert_eq!(check_resource(&[], aud), Ok(()));
    assert_eq!(check_resource(&[aud], aud), Ok(()));
    assert_eq!(
        check_resource(&["https://api.b"], aud),
        Err(RefreshTokenError::InvalidTarget)
    );
    assert_eq!(
        check_resource(&[aud, aud], aud),
        Err(RefreshTokenError::InvalidTarget)
    );
}
