//! PKCE at the authorization endpoint (RFC 7636, SECURITY.md PKC-01..03,
//! PKC-08/09): required, S256 only, a well-formed challenge, and advertised
//! in discovery.

use idp::domain::client::AuthMethod;
use serde_json::Value;

use super::{assert_error_redirect, assert_login_redirect, request, with, without};
use crate::support::TestServer;
use crate::support::signin::{CALLBACK, CHALLENGE, VERIFIER};

#[actix_rt::test]
async fn pkce_is_required_and_s256_only_with_a_well_formed_challenge() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    let public = server
        .web_client(&setup.tenant, AuthMethod::None, |_| {})
        .await;
    let browser = server.browser();

    // PKC-01: a public client without a challenge.
    let page = browser
        .authorize(
            &setup.tenant,
            &without(
                &without(&request(&public.id, &[]), "code_challenge"),
                "code_challenge_method",
            ),
        )
        .await;
    assert_error_redirect(&page, CALLBACK, "invalid_request", "S", &issuer, "PKC-01");
    let description = page.location_query()["error_description"].clone();
    assert!(
        description.contains("code_challenge"),
        "PKC-01: {description}"
    );

    // PKC-08: a confidential client too, under the default policy.
    let page = browser
        .authorize(
            &setup.tenant,
            &without(
                &without(&request(&setup.client.id, &[]), "code_challenge"),
                "code_challenge_method",
            ),
        )
        .await;
    assert_error_redirect(&page, CALLBACK, "invalid_request", "S", &issuer, "PKC-08");

    // PKC-02: plain, no method, or an unknown method.
    for client in [&public.id, &setup.client.id] {
        let base = request(client, &[]);
        let verifier_as_plain = with(&base, "code_challenge", VERIFIER);
        for (params, what) in [
            (with(&base, "code_challenge_method", "plain"), "plain"),
            (
                with(&verifier_as_plain, "code_challenge_method", "plain"),
                "plain with a verifier",
            ),
            (without(&base, "code_challenge_method"), "no method"),
            (
                without(&verifier_as_plain, "code_challenge_method"),
                "no method, verifier",
            ),
            (with(&base, "code_challenge_method", "s256"), "s256"),
            (with(&base, "code_challenge_method", "S512"), "S512"),
        ] {
            let page = browser.authorize(&setup.tenant, &params).await;
            assert_error_redirect(
                &page,
                CALLBACK,
                "invalid_request",
                "S",
                &issuer,
                &format!("PKC-02: {what}"),
            );
        }
    }

    // PKC-03: the challenge's ABNF.
    let long = "a".repeat(129);
    let plus = format!("{}+", &CHALLENGE[..42]);
    let slash = format!("{}/", &CHALLENGE[..42]);
    let padded = format!("{}=", &CHALLENGE[..42]);
    for (challenge, what) in [
        (&CHALLENGE[..42], "42 characters"),
        (long.as_str(), "129 characters"),
        (plus.as_str(), "contains +"),
        (slash.as_str(), "contains /"),
        (padded.as_str(), "contains ="),
    ] {
        let page = browser
            .authorize(
                &setup.tenant,
                &with(&request(&public.id, &[]), "code_challenge", challenge),
            )
            .await;
        assert_error_redirect(
            &page,
            CALLBACK,
            "invalid_request",
            "S",
            &issuer,
            &format!("PKC-03: {what}"),
        );
    }
    // The well-formed S256 challenge goes on to the login page.
    let page = browser
        .authorize(&setup.tenant, &request(&public.id, &[]))
        .await;
    assert_login_redirect(&page, &setup.tenant, "PKC-01: with a challenge");
}

#[actix_rt::test]
async fn both_discovery_documents_advertise_s256_and_the_iss_parameter() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    for path in [
        format!("/t/{}/.well-known/openid-configuration", tenant.slug),
        format!("/.well-known/oauth-authorization-server/t/{}", tenant.slug),
    ] {
        let (status, metadata) = server.get_json(&path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(metadata["issuer"], server.issuer(&tenant), "{path}");
        assert_eq!(
            metadata["code_challenge_methods_supported"],
            serde_json::json!(["S256"]),
            "PKC-02/PKC-09: {path}"
        );
        assert_eq!(
            metadata["authorization_response_iss_parameter_supported"],
            Value::Bool(true),
            "ISS-02: {path}"
        );
        let response_types = metadata["response_types_supported"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            !response_types
                .iter()
                .any(|t| t.as_str().is_some_and(|t| t.contains("token"))),
            "RDR-11: no implicit response types advertised: {response_types:?}"
        );
        let grants = metadata["grant_types_supported"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            !grants.contains(&Value::from("password")),
            "RDR-11: no password grant advertised: {grants:?}"
        );
    }
}
