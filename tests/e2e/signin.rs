//! The whole sign-in flow over HTTP: authorize, login, consent, code, tokens,
//! userinfo and refresh, for a confidential and a public client.

use idp::domain::client::AuthMethod;
use serde_json::Value;

use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::{CHALLENGE, VERIFIER};

fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64"),
    )
    .expect("json")
}

#[actix_rt::test]
async fn a_confidential_client_signs_a_user_in_and_refreshes() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let params = [
        ("client_id", setup.client.id.as_str()),
        ("scope", "openid profile email offline_access read"),
        ("state", "s-1"),
        ("nonce", "n-1"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let callback = browser.code_flow(&setup.tenant, &params, "alice").await;
    assert_eq!(callback["state"], "s-1");
    assert_eq!(callback["iss"], server.issuer(&setup.tenant));
    let (status, tokens) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &callback["code"],
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    assert_eq!(id["sub"], setup.user_id.as_str());
    assert_eq!(id["aud"], setup.client.id.as_str());
    assert_eq!(id["nonce"], "n-1");
    let access = tokens["access_token"].as_str().expect("at");
    assert_eq!(id["at_hash"], idp::domain::token::id_token::at_hash(access));

    let userinfo: Value = reqwest::Client::new()
        .get(format!("{}/t/{}/userinfo", server.url, setup.tenant.slug))
        .bearer_auth(access)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(userinfo["sub"], setup.user_id.as_str());
    assert_eq!(userinfo["email"], "alice@example.test");

    let refresh = tokens["refresh_token"].as_str().expect("rt");
    let (status, next) = server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), refresh, &[])
        .await;
    assert_eq!(status, 200, "{next}");
    assert_ne!(next["refresh_token"], tokens["refresh_token"]);

    // A second flow in the same browser needs neither login nor consent.
    let again = browser.code_flow(&setup.tenant, &params, "nobody").await;
    assert!(again.contains_key("code"));
}

#[actix_rt::test]
async fn a_public_client_uses_pkce_and_no_secret() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let public = server
        .web_client(&setup.tenant, AuthMethod::None, |_| {})
        .await;
    let browser = server.browser();
    let callback = browser
        .code_flow(
            &setup.tenant,
            &[
                ("client_id", public.id.as_str()),
                ("scope", "openid offline_access"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
            "alice",
        )
        .await;
    let (status, tokens) = server
        .redeem(
            &setup.tenant,
            Auth::PublicId(&public.id),
            &callback["code"],
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refresh_token"].is_string());
}
