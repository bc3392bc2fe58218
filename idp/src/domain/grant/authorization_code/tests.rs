use super::*;
use crate::domain::client::{AuthMethod, NewClient, SecretDigests};
use crate::ids::ClientId;
use crate::protocol::error::{TokenError, TokenErrorCode};

const VERIFIER: &str = "dBjftJeZ4CVP-mJ0kzwmaxRkEDD98AWKZ9j7uINYK8Q";
const CHALLENGE: &str = "X8BIt3_xr8h2gJF786Od1t2JXu07KQ78f1vbnMBBg9o";
const INVALID_GRANT: &str =
    "the code is invalid, expired, already used, or was issued for another request";

fn grant(challenge: Option<&str>) -> CodeGrant {
    CodeGrant {
        client_id: "c".into(),
        redirect_uri: "https://c.example/cb".into(),
        redirect_uri_sent: true,
        code_challenge: challenge.map(str::to_owned),
        nonce: None,
        scopes: vec!["openid".into()],
        user_id: "u".into(),
        auth_time: 0,
        session_id: "s".into(),
        amr: vec!["pwd".into()],
        resource: None,
    }
}

fn client(grants: &[GrantType], ttl: Option<i64>) -> Client {
    let new = NewClient {
        grant_types: grants.to_vec(),
        access_token_ttl_secs: ttl,
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

#[test]
fn every_error_has_its_rfc6749_code_and_description() {
    use AuthorizationCodeError as E;
    let table = [
        (
            E::UnauthorizedClient,
            TokenErrorCode::UnauthorizedClient,
            "this client may not use the authorization code grant",
        ),
        (
            E::MissingCode,
            TokenErrorCode::InvalidRequest,
            "code is required",
        ),
        (E::UnknownCode, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (E::Replayed, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (
            E::ClientMismatch,
            TokenErrorCode::InvalidGrant,
            INVALID_GRANT,
        ),
        (
            E::RedirectMismatch,
            TokenErrorCode::InvalidGrant,
            INVALID_GRANT,
        ),
        (E::PkceMismatch, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (E::UserInactive, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (
            E::RevokedSinceSignIn,
            TokenErrorCode::InvalidGrant,
            INVALID_GRANT,
        ),
        (E::SessionEnded, TokenErrorCode::InvalidGrant, INVALID_GRANT),
        (
            E::InvalidTarget,
            TokenErrorCode::InvalidTarget,
            "resource must be the one API the authorization request named, once",
        ),
    ];
    for (error, code, description) in table {
        // A new variant fails to compile here until the table covers it.
        match error {
            E::UnauthorizedClient
            | E::MissingCode
            | E::UnknownCode
            | E::Replayed
            | E::ClientMismatch
            | E::RedirectMismatch
            | E::PkceMismatch
            | E::UserInactive
            | E::RevokedSinceSignIn
            | E::SessionEnded
            | E::InvalidTarget => {}
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
fn admission_needs_the_grant_and_a_code_and_sizes_the_tombstone() {
    let policy = TenantPolicy::default();
    let web = client(
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
        Some(300),
    );
    let admitted = admit(&policy, &web, Some("x")).expect("admitted");
    assert_eq!(admitted.code, "x");
    assert!(admitted.may_refresh);
    assert_eq!(admitted.access_ttl, 300);
    assert_eq!(admitted.tombstone_ttl, policy.refresh_absolute_ttl_secs);
    assert_eq!(
        admit(&policy, &web, None),
        Err(AuthorizationCodeError::MissingCode)
    );
    let no_refresh = client(&[GrantType::AuthorizationCode], None);
    let admitted = admit(&policy, &no_refresh, Some("x")).expect("admitted");
    assert!(!admitted.may_refresh);
    assert_eq!(admitted.tombstone_ttl, policy.access_token_ttl_secs);
    let machine = client(&[GrantType::ClientCredentials], None);
    assert_eq!(
        admit(&policy, &machine, Some("x")),
        Err(AuthorizationCodeError::UnauthorizedClient),
        "checked before the code"
    );
    assert_eq!(
        admit(&policy, &machine, None),
        Err(AuthorizationCodeError::UnauthorizedClient)
    );
    let closed = TenantPolicy {
        allowed_grants: vec![],
        ..TenantPolicy::default()
    };
    assert_eq!(
        admit(&closed, &web, Some("x")),
        Err(AuthorizationCodeError::UnauthorizedClient)
    );
}

#[test]
fn refresh_tokens_only_for_offline_access_and_the_tombstone_follows() {
    let policy = TenantPolicy::default();
    let web = client(
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
        None,
    );
    let admitted = admit(&policy, &web, Some("x")).expect("admitted");
    let online = grant(None);
    let mut offline = grant(None);
    offline.scopes.push(OFFLINE_ACCESS.into());
    assert!(!admitted.offline(&online));
    assert_eq!(
        admitted.shorter_tombstone(&online),
        Some(admitted.access_ttl)
    );
    assert!(admitted.offline(&offline));
    assert_eq!(admitted.shorter_tombstone(&offline), None);
    let no_refresh = client(&[GrantType::AuthorizationCode], None);
    let admitted = admit(&policy, &no_refresh, Some("x")).expect("admitted");
    assert!(!admitted.offline(&offline));
    assert_eq!(admitted.shorter_tombstone(&offline), None, "already short");
}

#[test]
fn only_a_replay_that_proves_itself_revokes() {
    let tomb = |challenge: Option<&str>| Tombstone {
        client_id: "c".into(),
        code_challenge: challenge.map(str::to_owned),
        grant_id: "g".into(),
    };
    let unknown = refuse(None, "c", Some(VERIFIER));
    assert_eq!(unknown.error, AuthorizationCodeError::UnknownCode);
    assert_eq!(unknown.revoke, None);
    let pkce = tomb(Some(CHALLENGE));
    let cases = [
        (&pkce, "c", Some(VERIFIER), Some("g")),
        (&pkce, "c", None, None),
        (&pkce, "c", Some(CHALLENGE), None),
        (&pkce, "other", Some(VERIFIER), None),
    ];
    for (tomb, client_id, verifier, revoke) in cases {
        let refusal = refuse(Some(tomb), client_id, verifier);
        assert_eq!(refusal.error, AuthorizationCodeError::Replayed);
        assert_eq!(refusal.revoke, revoke, "{client_id} {verifier:?}");
    }
    let plain = tomb(None);
    assert_eq!(refuse(Some(&plain), "c", None).revoke, Some("g"));
    assert_eq!(refuse(Some(&plain), "c", Some(VERIFIER)).revoke, None);
}

#[test]
fn bindings_are_enforced() {
    use AuthorizationCodeError as E;
    let g = grant(Some(CHALLENGE));
    let uri = Some("https://c.example/cb");
    assert_eq!(g.check("c", uri, Some(VERIFIER)), Ok(()));
    assert_eq!(
        g.check("c2", uri, Some(VERIFIER)),
        Err(E::ClientMismatch),
        "COD-05"
    );
    assert_eq!(
        g.check("c", Some("https://c.example/other"), Some(VERIFIER)),
        Err(E::RedirectMismatch),
        "COD-06"
    );
    assert_eq!(
        g.check("c", None, Some(VERIFIER)),
        Err(E::RedirectMismatch),
        "COD-06"
    );
    assert_eq!(g.check("c", uri, None), Err(E::PkceMismatch), "PKC-04");
    assert_eq!(
        g.check("c", uri, Some(CHALLENGE)),
        Err(E::PkceMismatch),
        "PKC-07"
    );
    assert_eq!(
        g.check("c", uri, Some(&VERIFIER[..42])),
        Err(E::PkceMismatch),
        "PKC-05"
    );
    let plain = grant(None);
    assert_eq!(plain.check("c", uri, None), Ok(()));
    assert_eq!(
        plain.check("c", uri, Some(VERIFIER)),
        Err(E::PkceMismatch),
        "PKC-06"
    );
    let mut unsent = grant(None);
    unsent.redirect_uri_sent = false;
    assert_eq!(unsent.check("c", None, None), Ok(()));
    assert_eq!(unsent.check("c", uri, None), Ok(()));
    assert_eq!(
        unsent.check("c", Some("https://c.example/other"), None),
        Err(E::RedirectMismatch)
    );
}

#[test]
fn user_and_session_must_still_stand() {
    use AuthorizationCodeError as E;
    assert_eq!(check_user(true, false), Ok(()));
    assert_eq!(check_user(false, false), Err(E::UserInactive));
    assert_eq!(check_user(true, true), Err(E::RevokedSinceSignIn));
    assert_eq!(check_user(false, true), Err(E::UserInactive));
    assert_eq!(check_session(true), Ok(()));
    assert_eq!(check_session(false), Err(E::SessionEnded));
}

#[test]
fn the_sign_in_comes_from_the_code() {
    let mut g = grant(None);
    g.nonce = Some("n".into());
    assert!(g.signs_in());
    let sign_in = g.sign_in();
    assert_eq!(
        (sign_in.user_id, sign_in.sid, sign_in.nonce),
        ("u", "s", Some("n"))
    );
    g.scopes = vec!["read".into()];
    assert!(!g.signs_in());
}
