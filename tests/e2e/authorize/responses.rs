//! What goes back to the client: request errors and denials redirected with
//! `state` and `iss`, a long `state` byte-exact, and the tenant's issuer on
//! every authorization response (RFC 9207, SECURITY.md ISS-*).

use super::{
    assert_error_redirect, assert_login_redirect, claims, follow, request, tokens, with, without,
};
use crate::support::TestServer;
use crate::support::signin::{CALLBACK, CHALLENGE, PASSWORD};

#[actix_rt::test]
async fn request_errors_go_back_to_the_client_with_state_and_iss() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    let browser = server.browser();
    let good = request(&setup.client.id, &[]);

    let page = browser
        .authorize(&setup.tenant, &with(&good, "scope", "openid nope"))
        .await;
    assert_error_redirect(&page, CALLBACK, "invalid_scope", "S", &issuer, "RDR-07");

    // RDR-09: unknown parameters are ignored; a repeated one is refused.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("extra", "foo")]),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "RDR-09: unknown parameter ignored");
    let mut repeated = good.clone();
    repeated.push(("scope", "write"));
    let page = browser.authorize(&setup.tenant, &repeated).await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_request",
        "S",
        &issuer,
        "RDR-09: scope twice",
    );
    let mut repeated = good.clone();
    repeated.push(("code_challenge", CHALLENGE));
    let page = browser.authorize(&setup.tenant, &repeated).await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_request",
        "S",
        &issuer,
        "RDR-09: code_challenge twice",
    );

    // RDR-10: missing or unsupported response_type.
    let page = browser
        .authorize(&setup.tenant, &without(&good, "response_type"))
        .await;
    assert_eq!(page.status, 302, "RDR-10: {}", page.body);
    let query = page.location_query();
    assert!(
        matches!(
            query.get("error").map(String::as_str),
            Some("invalid_request" | "unsupported_response_type")
        ),
        "RDR-10: {query:?}"
    );
    assert_eq!(query.get("state").map(String::as_str), Some("S"), "RDR-10");
    assert_eq!(query.get("iss"), Some(&issuer), "RDR-10");
    let page = browser
        .authorize(&setup.tenant, &with(&good, "response_type", "foo"))
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "unsupported_response_type",
        "S",
        &issuer,
        "RDR-10: response_type=foo",
    );
}

#[actix_rt::test]
async fn a_long_state_comes_back_byte_exact_on_success_and_on_denial() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let state: String = "ab+/=%&~Z9".repeat(103).chars().take(1024).collect();
    assert_eq!(state.len(), 1024);
    let browser = server.browser();
    let callback = browser
        .code_flow(
            &setup.tenant,
            &[
                ("client_id", setup.client.id.as_str()),
                ("scope", "openid read"),
                ("state", state.as_str()),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
            "alice",
        )
        .await;
    assert_eq!(callback.get("state"), Some(&state), "RDR-12: on success");
    assert!(callback.contains_key("code"));

    // On access_denied: a scope not yet granted brings the consent page.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[])
                .into_iter()
                .map(|(k, v)| match k {
                    "state" => (k, state.as_str()),
                    "scope" => (k, "openid write"),
                    _ => (k, v),
                })
                .collect::<Vec<_>>(),
        )
        .await;
    let location = page.location.clone().expect("Location");
    assert!(location.contains("/consent?"), "consent asked: {location}");
    let denied = browser.consent(&location, "deny").await;
    assert_error_redirect(
        &denied,
        CALLBACK,
        "access_denied",
        &state,
        &server.issuer(&setup.tenant),
        "RDR-12/RDR-16: on denial",
    );

    // And on a request error.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[])
                .into_iter()
                .map(|(k, v)| match k {
                    "state" => (k, state.as_str()),
                    "scope" => (k, "nope"),
                    _ => (k, v),
                })
                .collect::<Vec<_>>(),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_scope",
        &state,
        &server.issuer(&setup.tenant),
        "RDR-12: on a request error",
    );
}

#[actix_rt::test]
async fn denying_consent_sends_access_denied_with_state_and_iss() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    let location = page.location.clone().expect("Location");
    let after_login = browser.login(&location, "alice", PASSWORD).await;
    let consent = after_login.location.clone().expect("Location");
    assert!(consent.contains("/consent?"), "consent asked: {consent}");
    let denied = browser.consent(&consent, "deny").await;
    assert_error_redirect(
        &denied,
        CALLBACK,
        "access_denied",
        "S",
        &server.issuer(&setup.tenant),
        "RDR-16",
    );
    // Nothing was granted: the next flow asks again.
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    assert!(
        page.location
            .as_deref()
            .unwrap_or_default()
            .contains("/consent?"),
        "RDR-16: a denial grants nothing: {:?}",
        page.location
    );
}

#[actix_rt::test]
async fn every_authorization_response_carries_the_tenant_issuer() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    assert!(issuer.ends_with(&format!("/t/{}", setup.tenant.slug)));

    // login_required (no session yet).
    let browser = server.browser();
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("prompt", "none")]),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "login_required",
        "S",
        &issuer,
        "ISS-01: login_required",
    );

    // invalid_scope.
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&request(&setup.client.id, &[]), "scope", "nope"),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_scope",
        "S",
        &issuer,
        "ISS-01: invalid_scope",
    );

    // access_denied.
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    let after_login = browser
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let denied = browser
        .consent(after_login.location.as_deref().expect("Location"), "deny")
        .await;
    assert_error_redirect(
        &denied,
        CALLBACK,
        "access_denied",
        "S",
        &issuer,
        "ISS-01: access_denied",
    );

    // Success.
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    let last = follow(&browser, page, "alice").await;
    let query = last.location_query();
    assert!(query.contains_key("code"), "{query:?}");
    assert_eq!(query.get("iss"), Some(&issuer), "ISS-01: success");
    assert_eq!(query.get("state").map(String::as_str), Some("S"));
    let tokens = tokens(&server, &setup.tenant, &setup.client, &query["code"]).await;
    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    assert_eq!(
        id["iss"],
        issuer.as_str(),
        "ISS-03: token iss equals the parameter"
    );
}
