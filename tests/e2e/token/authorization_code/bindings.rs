//! What a code is bound to (SECURITY.md COD-05..07): its client, its
//! redirect URI, and its lifetime.

use std::time::Duration;

use idp::clock::Clock;
use idp::domain::client::AuthMethod;
use idp::domain::policy::TenantPolicy;

use super::{OTHER_CALLBACK, assert_invalid_grant, code_for, tenant_with};
use crate::support::oauth::Auth;
use crate::support::signin::{CALLBACK, CHALLENGE, VERIFIER, query_of};
use crate::support::{DataDir, TestServer, test_config};

#[actix_rt::test]
async fn a_code_is_bound_to_its_client() {
    // COD-05: cA2 of the same tenant presents cA's code.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let other = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let browser = server.browser();
    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let result = server
        .redeem(&setup.tenant, Auth::Basic(&other), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&result, "COD-05");
}

#[actix_rt::test]
async fn a_code_is_bound_to_its_redirect_uri() {
    // COD-06.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let two = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |c| {
            c.redirect_uris.push(OTHER_CALLBACK.to_owned());
        })
        .await;
    let browser = server.browser();
    let token_path = format!("/t/{}/token", tenant.slug);
    let redeem = |code: String, redirect_uri: Option<&'static str>| {
        let server = &server;
        let token_path = &token_path;
        let two = &two;
        async move {
            let mut form = vec![
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("code_verifier", VERIFIER),
            ];
            if let Some(uri) = redirect_uri {
                form.push(("redirect_uri", uri));
            }
            let (status, _, body) = server.post_form(token_path, Auth::Basic(two), &form).await;
            (status, body)
        }
    };

    let code = code_for(&browser, tenant, &two.id).await;
    let other = redeem(code, Some(OTHER_CALLBACK)).await;
    assert_invalid_grant(&other, "COD-06 another registered redirect_uri");
    let code = code_for(&browser, tenant, &two.id).await;
    let omitted = redeem(code, None).await;
    assert_invalid_grant(&omitted, "COD-06 redirect_uri omitted though sent");
    let code = code_for(&browser, tenant, &two.id).await;
    let (status, body) = redeem(code, Some(CALLBACK)).await;
    assert_eq!(status, 200, "COD-06 the same redirect_uri: {body}");

    // A client with one registered URI that never sends it (OAuth 2.1) passes;
    // OpenID requests must send it (OIDC Core §3.1.2.1), so this one is plain OAuth.
    code_for(&browser, tenant, &setup.client.id).await;
    let page = browser
        .authorize(
            tenant,
            &[
                ("response_type", "code"),
                ("client_id", setup.client.id.as_str()),
                ("scope", "read"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
    let location = page.location.clone().expect("COD-06: a redirect");
    assert!(location.starts_with(CALLBACK), "COD-06: {location}");
    let code = query_of(&location)["code"].clone();
    let (status, _, body) = server
        .post_form(
            &token_path,
            Auth::Basic(&setup.client),
            &[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(status, 200, "COD-06 never sent, never required: {body}");
}

#[actix_rt::test]
async fn an_expired_code_is_refused() {
    // COD-07: tenant code TTL 2 s, redeemed 3 s later.
    let data = DataDir::new();
    let clock = Clock::default();
    let server = TestServer::start_config(&data, test_config(&data), clock.clone()).await;
    assert!(
        TenantPolicy::default().code_ttl_secs <= 60,
        "COD-07 default TTL"
    );
    let tenant = tenant_with(
        &server,
        TenantPolicy {
            code_ttl_secs: 2,
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
    let code = code_for(&browser, &tenant, &client.id).await;
    clock.advance(Duration::from_secs(3));
    let result = server
        .redeem(&tenant, Auth::Basic(&client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&result, "COD-07");

    // A fresh code inside its lifetime still works.
    let code = code_for(&browser, &tenant, &client.id).await;
    clock.advance(Duration::from_secs(1));
    let (status, body) = server
        .redeem(&tenant, Auth::Basic(&client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "COD-07 within the TTL: {body}");
}
