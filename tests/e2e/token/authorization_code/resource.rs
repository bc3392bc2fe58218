//! RFC 8707 on the authorization code flow: `resource` at `authorize` must be
//! one API of the tenant (else `invalid_target` back to the client), it is
//! bound to the code as the audience of every token of the grant, and the
//! exchange and the refreshes may name only that one.

use super::{SCOPE, claims, code_with};
use crate::support::TestServer;
use crate::support::oauth::{API, Auth};
use crate::support::signin::{CALLBACK, CHALLENGE, VERIFIER, query_of};

const ORDERS: &str = "https://orders.example.test";

fn request<'a>(client: &'a str, resources: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut params = vec![
        ("client_id", client),
        ("scope", SCOPE),
        ("state", "S"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    params.extend(resources.iter().map(|r| ("resource", *r)));
    params
}

#[actix_rt::test]
async fn authorize_refuses_an_unknown_foreign_or_repeated_resource() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    server.api_with(&setup.tenant, ORDERS, false).await;
    let other = server.tenant().await;
    server
        .api_with(&other, "https://foreign.example.test", true)
        .await;
    let issuer = server.issuer(&setup.tenant);
    let browser = server.browser();
    for resources in [
        vec!["https://evil.example"],
        vec!["https://foreign.example.test"],
        vec![ORDERS, API],
    ] {
        let mut params = vec![("response_type", "code"), ("redirect_uri", CALLBACK)];
        params.extend(request(&setup.client.id, &resources));
        let page = browser.authorize(&setup.tenant, &params).await;
        let location = page.location.clone().expect("a redirect to the client");
        assert!(location.starts_with(CALLBACK), "{location}");
        let query = query_of(&location);
        assert_eq!(
            query.get("error").map(String::as_str),
            Some("invalid_target"),
            "{resources:?}: {location}"
        );
        assert_eq!(query.get("state").map(String::as_str), Some("S"));
        assert_eq!(query.get("iss"), Some(&issuer));
    }
}

#[actix_rt::test]
async fn the_named_resource_is_the_audience_of_the_whole_grant() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    server.api_with(&setup.tenant, ORDERS, false).await;
    let (tenant, auth) = (&setup.tenant, Auth::Basic(&setup.client));
    let browser = server.browser();

    // Without `resource`: the default API, as before.
    let code = code_with(&browser, tenant, &request(&setup.client.id, &[])).await;
    let (status, tokens) = server.redeem(tenant, auth, &code, Some(VERIFIER)).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        claims(tokens["access_token"].as_str().expect("at"))["aud"],
        API
    );

    // The exchange may not name another audience than the code's.
    let code = code_with(&browser, tenant, &request(&setup.client.id, &[ORDERS])).await;
    let (status, body) = exchange(&server, &setup, &code, &[API]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target")),
        "{body}"
    );

    let code = code_with(&browser, tenant, &request(&setup.client.id, &[ORDERS])).await;
    let (status, tokens) = exchange(&server, &setup, &code, &[ORDERS]).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        claims(tokens["access_token"].as_str().expect("at"))["aud"],
        ORDERS
    );
    let refresh = tokens["refresh_token"].as_str().expect("rt").to_owned();

    // A refresh that names another audience is refused and rotates nothing.
    let (status, body) = server
        .refresh(tenant, auth, &refresh, &[("resource", API)])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target")),
        "{body}"
    );
    // Naming the grant's own audience, or none, refreshes within it (the
    // refused refresh left the token unused).
    let (status, next) = server
        .refresh(tenant, auth, &refresh, &[("resource", ORDERS)])
        .await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(
        claims(next["access_token"].as_str().expect("at"))["aud"],
        ORDERS
    );
    let next = next["refresh_token"].as_str().expect("rt");
    let (status, last) = server.refresh(tenant, auth, next, &[]).await;
    assert_eq!(status, 200, "{last}");
    assert_eq!(
        claims(last["access_token"].as_str().expect("at"))["aud"],
        ORDERS
    );
}

async fn exchange(
    server: &TestServer,
    setup: &crate::support::signin::WebSetup,
    code: &str,
    resources: &[&str],
) -> (u16, serde_json::Value) {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    form.extend(resources.iter().map(|r| ("resource", *r)));
    let (status, _, body) = server
        .post_form(
            &format!("/t/{}/token", setup.tenant.slug),
            Auth::Basic(&setup.client),
            &form,
        )
        .await;
    (status, body)
}
