//! PKCE at the token endpoint (SECURITY.md PKC-04..08): the verifier must
//! match the challenge, be well formed, and be absent for a code issued
//! without one. A redemption with a wrong or missing verifier burns the code.

use idp::domain::client::AuthMethod;
use idp::domain::policy::TenantPolicy;

use super::{SCOPE, assert_invalid_grant, code_for, code_with, tenant_with};
use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::{CALLBACK, CHALLENGE, VERIFIER, query_of};

#[actix_rt::test]
async fn the_token_endpoint_requires_the_right_code_verifier() {
    // PKC-04: no verifier and a wrong verifier both give invalid_grant; a
    // failed redemption burns the code (decided, see the module doc).
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let auth = || Auth::Basic(&setup.client);

    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let missing = server.redeem(&setup.tenant, auth(), &code, None).await;
    assert_invalid_grant(&missing, "PKC-04 no code_verifier");
    let after = server
        .redeem(&setup.tenant, auth(), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&after, "PKC-04 a failed redemption burns the code");

    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let wrong = "wrongwrongwrongwrongwrongwrongwrongwrongwrong";
    let result = server
        .redeem(&setup.tenant, auth(), &code, Some(wrong))
        .await;
    assert_invalid_grant(&result, "PKC-04 wrong code_verifier");

    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let (status, body) = server
        .redeem(&setup.tenant, auth(), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "PKC-04 the right verifier: {body}");
}

#[actix_rt::test]
async fn a_verifier_shorter_than_43_characters_is_refused_even_if_it_matches() {
    // PKC-05: the challenge is S256 of a 42-character verifier.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let short = &VERIFIER[..42];
    let challenge = idp::crypto::b64url(&idp::crypto::sha256(short.as_bytes()));
    assert_eq!(challenge.len(), 43);
    let code = code_with(
        &browser,
        &setup.tenant,
        &[
            ("client_id", setup.client.id.as_str()),
            ("scope", SCOPE),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let (status, body) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &code,
            Some(short),
        )
        .await;
    assert_eq!(status, 400, "PKC-05: {body}");
    assert!(
        body["error"] == "invalid_grant" || body["error"] == "invalid_request",
        "PKC-05: {body}"
    );
}

#[actix_rt::test]
async fn a_verifier_for_a_code_issued_without_a_challenge_is_refused() {
    // PKC-06: PKCE downgrade, on a tenant that relaxes PKCE for confidential clients.
    let server = TestServer::start().await;
    let tenant = tenant_with(
        &server,
        TenantPolicy {
            require_pkce_for_confidential: false,
            ..TenantPolicy::default()
        },
    )
    .await;
    server.api(&tenant).await;
    server.user(&tenant, "alice").await;
    let client = server
        .web_client(&tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let browser = server.browser();
    // Relaxed PKCE holds only with nonce assurance: an OpenID request with a nonce.
    let without = [
        ("client_id", client.id.as_str()),
        ("scope", SCOPE),
        ("nonce", "n-relaxed"),
    ];
    let refused = browser
        .authorize(
            &tenant,
            &[
                ("response_type", "code"),
                ("redirect_uri", CALLBACK),
                ("client_id", client.id.as_str()),
                ("scope", SCOPE),
            ],
        )
        .await;
    let refused_at = refused.location.clone().expect("an error redirect");
    assert_eq!(
        query_of(&refused_at).get("error").map(String::as_str),
        Some("invalid_request"),
        "PKC-08: no challenge and no nonce"
    );

    let code = code_with(&browser, &tenant, &without).await;
    let result = server
        .redeem(&tenant, Auth::Basic(&client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&result, "PKC-06 a verifier for a code without a challenge");

    // The relaxed flow itself works when no verifier is sent.
    let code = code_with(&browser, &tenant, &without).await;
    let (status, body) = server
        .redeem(&tenant, Auth::Basic(&client), &code, None)
        .await;
    assert_eq!(status, 200, "PKC-06 relaxed policy, no PKCE: {body}");
}

#[actix_rt::test]
async fn the_challenge_itself_is_not_accepted_as_the_verifier() {
    // PKC-07: plain-style downgrade at the token endpoint.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let result = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &code,
            Some(CHALLENGE),
        )
        .await;
    assert_invalid_grant(&result, "PKC-07");
}
