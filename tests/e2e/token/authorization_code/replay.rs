//! Single use of a code (SECURITY.md COD-01..04): a second redemption fails,
//! a replay that proves itself revokes what the code produced, one that does
//! not revokes nothing, and concurrent redemptions have one winner.

use std::time::Duration;

use idp::domain::client::{AuthMethod, TokenFormat};
use serde_json::Value;

use super::{assert_invalid_grant, code_for, race, userinfo};
use crate::support::oauth::{Auth, Creds, basic};
use crate::support::signin::{CALLBACK, VERIFIER};
use crate::support::{Backend, DataDir, TestServer};

#[actix_rt::test]
async fn a_code_is_redeemed_only_once() {
    // COD-01.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let (status, body) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &code,
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let response = reqwest::Client::new()
        .post(format!("{}/token", server.issuer(&setup.tenant)))
        .header(
            "authorization",
            basic(&setup.client.id, &setup.client.secret),
        )
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 400, "COD-01");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "COD-01: {content_type}"
    );
    let body: Value = response.json().await.expect("COD-01: a JSON body");
    assert_eq!(body["error"], "invalid_grant", "COD-01");
    let description = body["error_description"].as_str().unwrap_or_default();
    assert!(
        !description.contains(['\r', '\n', '\t']),
        "COD-01: {description:?}"
    );
}

#[actix_rt::test]
async fn a_proven_code_replay_revokes_the_tokens_it_produced() {
    // COD-02: the replay comes from the right client with the right verifier.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let browser = server.browser();
    let code = code_for(&browser, tenant, &setup.client.id).await;
    let (status, tokens) = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().expect("access_token");
    let refresh = tokens["refresh_token"].as_str().expect("refresh_token");
    assert_eq!(
        server.introspect(tenant, &introspector, access).await["active"],
        true
    );
    assert_eq!(userinfo(&server, tenant, access).await, 200);

    server.platform().clock.advance(Duration::from_secs(1));
    let replay = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&replay, "COD-02 replay");

    assert_eq!(
        server.introspect(tenant, &introspector, access).await["active"],
        false,
        "COD-02: the first access token is revoked"
    );
    let again = server
        .refresh(tenant, Auth::Basic(&setup.client), refresh, &[])
        .await;
    assert_invalid_grant(&again, "COD-02: the first refresh token is revoked");
    assert_eq!(
        userinfo(&server, tenant, access).await,
        401,
        "COD-02: userinfo refuses the revoked access token"
    );
}

#[actix_rt::test]
async fn an_unproven_code_replay_revokes_nothing() {
    // COD-03: replays with a bad verifier, a bad secret, or another client.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let other = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let browser = server.browser();
    let code = code_for(&browser, tenant, &setup.client.id).await;
    let (status, tokens) = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().expect("access_token");

    let wrong = "wrongwrongwrongwrongwrongwrongwrongwrongwrong";
    let bad_verifier = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(wrong))
        .await;
    assert_invalid_grant(&bad_verifier, "COD-03 bad verifier");
    let no_verifier = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, None)
        .await;
    assert_invalid_grant(&no_verifier, "COD-03 no verifier");
    let bad_secret = Creds {
        id: setup.client.id.clone(),
        secret: "not-the-secret".to_owned(),
    };
    let (status, body) = server
        .redeem(tenant, Auth::Basic(&bad_secret), &code, Some(VERIFIER))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "COD-03 bad client authentication: {body}"
    );
    let other_client = server
        .redeem(tenant, Auth::Basic(&other), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&other_client, "COD-03 another client");

    assert_eq!(
        server.introspect(tenant, &introspector, access).await["active"],
        true,
        "COD-03: the access token survives unproven replays"
    );
    assert_eq!(userinfo(&server, tenant, access).await, 200, "COD-03");
    let (status, body) = server
        .refresh(
            tenant,
            Auth::Basic(&setup.client),
            tokens["refresh_token"].as_str().expect("refresh_token"),
            &[],
        )
        .await;
    assert_eq!(status, 200, "COD-03: the refresh token survives: {body}");
}

#[actix_rt::test]
async fn concurrent_redemptions_of_one_code_have_one_winner() {
    // COD-04: 20 requests synchronised on their last byte; on PostgreSQL +
    // Redis split over two server processes sharing them.
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let second = match Backend::from_env() {
        Backend::Services { .. } => Some(TestServer::start_with(&data, |_| {}).await),
        Backend::Embedded => None,
    };
    let setup = first.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = first.machine(tenant, TokenFormat::Jwt).await;
    let browser = first.browser();
    let mut addrs = vec![first.running.addr.to_string()];
    if let Some(second) = &second {
        addrs.push(second.running.addr.to_string());
    }
    let targets: Vec<String> = (0..20).map(|i| addrs[i % addrs.len()].clone()).collect();
    let code = code_for(&browser, tenant, &setup.client.id).await;
    let results = race(
        &targets,
        &format!("/t/{}/token", tenant.slug),
        &basic(&setup.client.id, &setup.client.secret),
        &[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    let winners: Vec<&String> = results
        .iter()
        .filter(|(status, _)| *status == 200)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(winners.len(), 1, "COD-04 exactly one 200: {results:?}");
    for (status, body) in results.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 400, "COD-04: {body}");
        assert!(body.contains("invalid_grant"), "COD-04: {body}");
    }
    // OAuch's criterion: at most one issued access token works afterwards.
    let tokens: Value = serde_json::from_str(winners[0]).expect("JSON");
    let access = tokens["access_token"].as_str().expect("access_token");
    let active = first.introspect(tenant, &introspector, access).await["active"] == true;
    eprintln!("COD-04: the winner's access token is active afterwards: {active}");
    if let Some(second) = second {
        second.stop().await;
    }
}
