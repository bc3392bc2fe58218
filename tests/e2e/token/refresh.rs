//! The refresh token grant over HTTP (SECURITY.md RFT rows, RVK-03 and the
//! cross-tenant row X-03): client binding, rotation, reuse detection,
//! concurrency, scope narrowing, lifetimes and revocation on security events.

use std::time::Duration;

use idp::clock::Clock;
use idp::domain::client::{AuthMethod, NewClient, TokenFormat};
use idp::domain::policy::TenantPolicy;
use idp::domain::tenant::Tenant;
use idp::domain::user::UserId;
use idp::protocol::params::GrantType;
use serde_json::Value;

use crate::support::oauth::{Auth, Creds, basic};
use crate::support::signin::VERIFIER;
use crate::support::{Backend, DataDir, TestServer, eventually, test_config};
use crate::token::authorization_code::{code_for, race, tenant_with, userinfo};

/// Signs alice in for `client` in a fresh browser and redeems the code;
/// returns the token response (with a refresh token).
async fn tokens(server: &TestServer, tenant: &Tenant, client: &Creds) -> Value {
    let browser = server.browser();
    let code = code_for(&browser, tenant, &client.id).await;
    let (status, tokens) = server
        .redeem(tenant, Auth::Basic(client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refresh_token"].is_string(), "{tokens}");
    tokens
}

fn rt(tokens: &Value) -> &str {
    tokens["refresh_token"].as_str().expect("refresh_token")
}

fn at(tokens: &Value) -> &str {
    tokens["access_token"].as_str().expect("access_token")
}

#[track_caller]
fn assert_invalid_grant(result: &(u16, Value), row: &str) {
    assert_eq!(result.0, 400, "{row}: {}", result.1);
    assert_eq!(result.1["error"], "invalid_grant", "{row}: {}", result.1);
}

/// Whether `token` introspects as active.
async fn active(server: &TestServer, tenant: &Tenant, introspector: &Creds, token: &str) -> bool {
    server.introspect(tenant, introspector, token).await["active"] == true
}

#[actix_rt::test]
async fn a_refresh_token_is_bound_to_its_client() {
    // RFT-01: cA2 of the same tenant presents cA's refresh token.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let other = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let tokens = tokens(&server, &setup.tenant, &setup.client).await;
    let result = server
        .refresh(&setup.tenant, Auth::Basic(&other), rt(&tokens), &[])
        .await;
    assert_invalid_grant(&result, "RFT-01");
    // The owner's token is untouched (no reuse detection).
    let (status, body) = server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), rt(&tokens), &[])
        .await;
    assert_eq!(status, 200, "RFT-01: {body}");
}

#[actix_rt::test]
async fn a_confidential_client_authenticates_to_refresh() {
    // RFT-02.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tokens = tokens(&server, &setup.tenant, &setup.client).await;
    let refresh = rt(&tokens);
    for (auth, what) in [
        (Auth::None, "no client authentication"),
        (Auth::PublicId(&setup.client.id), "client_id without secret"),
    ] {
        let (status, body) = server.refresh(&setup.tenant, auth, refresh, &[]).await;
        assert_eq!(status, 401, "RFT-02 {what}: {body}");
        assert_eq!(body["error"], "invalid_client", "RFT-02 {what}");
    }
    let (status, body) = server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), refresh, &[])
        .await;
    assert_eq!(
        status, 200,
        "RFT-02 the refresh token was not spent: {body}"
    );
}

#[actix_rt::test]
async fn every_refresh_rotates_the_refresh_token() {
    // RFT-03.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tokens0 = tokens(&server, &setup.tenant, &setup.client).await;
    let (status, tokens1) = server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "{tokens1}");
    assert_ne!(rt(&tokens1), rt(&tokens0), "RFT-03 a new refresh token");
    assert_ne!(at(&tokens1), at(&tokens0));
    let (status, tokens2) = server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), rt(&tokens1), &[])
        .await;
    assert_eq!(status, 200, "RFT-03 the new one works: {tokens2}");
    assert_ne!(rt(&tokens2), rt(&tokens1), "RFT-03");
}

#[actix_rt::test]
async fn reusing_a_refresh_token_revokes_the_whole_grant() {
    // RFT-04: RT0 -> RT1; replaying RT0 kills RT1 and AT1.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let tokens0 = tokens(&server, tenant, &setup.client).await;
    let (status, tokens1) = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "{tokens1}");
    assert!(active(&server, tenant, &introspector, at(&tokens1)).await);
    assert_eq!(userinfo(&server, tenant, at(&tokens1)).await, 200);

    let replay = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    assert_invalid_grant(&replay, "RFT-04 replayed RT0");
    let next = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens1), &[])
        .await;
    assert_invalid_grant(&next, "RFT-04 RT1 after reuse");
    assert!(
        !active(&server, tenant, &introspector, at(&tokens1)).await,
        "RFT-04: AT1 introspects inactive"
    );
    assert!(
        !active(&server, tenant, &introspector, at(&tokens0)).await,
        "RFT-04: AT0 introspects inactive"
    );
    assert_eq!(
        userinfo(&server, tenant, at(&tokens1)).await,
        401,
        "RFT-04: userinfo refuses AT1"
    );
}

#[actix_rt::test]
async fn a_replay_within_the_same_second_is_detected() {
    // RFT-05: RT0 -> RT1 -> RT2 quickly, then RT0 again.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let tokens0 = tokens(&server, tenant, &setup.client).await;
    let started = std::time::Instant::now();
    let (status, tokens1) = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "{tokens1}");
    let (status, tokens2) = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens1), &[])
        .await;
    assert_eq!(status, 200, "{tokens2}");
    let replay = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    eprintln!("RFT-05: three refreshes in {:?}", started.elapsed());
    assert_invalid_grant(&replay, "RFT-05 replayed RT0");
    let dead = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens2), &[])
        .await;
    assert_invalid_grant(&dead, "RFT-05 RT2 is dead");
    assert!(
        !active(&server, tenant, &introspector, at(&tokens2)).await,
        "RFT-05: AT2 is dead"
    );
}

#[actix_rt::test]
async fn concurrent_refreshes_of_one_token_have_one_winner() {
    // RFT-06: 20 refreshes synchronised on their last byte; on PostgreSQL +
    // Redis split over two server processes.
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let second = match Backend::from_env() {
        Backend::Services { .. } => Some(TestServer::start_with(&data, |_| {}).await),
        Backend::Embedded => None,
    };
    let setup = first.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = first.machine(tenant, TokenFormat::Jwt).await;
    let tokens0 = tokens(&first, tenant, &setup.client).await;
    let mut addrs = vec![first.running.addr.to_string()];
    if let Some(second) = &second {
        addrs.push(second.running.addr.to_string());
    }
    let targets: Vec<String> = (0..20).map(|i| addrs[i % addrs.len()].clone()).collect();
    let results = race(
        &targets,
        &format!("/t/{}/token", tenant.slug),
        &basic(&setup.client.id, &setup.client.secret),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt(&tokens0)),
        ],
    )
    .await;
    let winners: Vec<&String> = results
        .iter()
        .filter(|(status, _)| *status == 200)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(winners.len(), 1, "RFT-06 exactly one 200: {results:?}");
    for (status, body) in results.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 400, "RFT-06: {body}");
        assert!(body.contains("invalid_grant"), "RFT-06: {body}");
    }
    // At most one family alive: RT0 and its one successor are the only
    // candidates, and RT0 is spent.
    let winner: Value = serde_json::from_str(winners[0]).expect("JSON");
    assert!(
        !active(&first, tenant, &introspector, at(&tokens0)).await
            || active(&first, tenant, &introspector, at(&winner)).await,
        "RFT-06: if the grant was revoked, all of it was"
    );
    let (status, body) = first
        .refresh(tenant, Auth::Basic(&setup.client), rt(&winner), &[])
        .await;
    assert!(
        status == 200 || body["error"] == "invalid_grant",
        "RFT-06 the successor: {status} {body}"
    );
    eprintln!(
        "RFT-06: the winner's refresh token {} afterwards",
        if status == 200 {
            "lives"
        } else {
            "was revoked"
        }
    );
    if let Some(second) = second {
        second.stop().await;
    }
}

#[actix_rt::test]
async fn refresh_can_narrow_scope_but_never_widen_it() {
    // RFT-07.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let tokens0 = tokens(&server, tenant, &setup.client).await;
    let original = tokens0["scope"].as_str().expect("scope").to_owned();
    let mut original_set: Vec<&str> = original.split(' ').collect();
    original_set.sort_unstable();
    assert_eq!(original_set, ["offline_access", "openid", "read"]);

    let (status, body) = server
        .refresh(
            tenant,
            Auth::Basic(&setup.client),
            rt(&tokens0),
            &[("scope", "openid offline_access read write")],
        )
        .await;
    assert_eq!(status, 400, "RFT-07 widening: {body}");
    assert_eq!(body["error"], "invalid_scope", "RFT-07");

    // The refused request spent nothing: RT0 narrows to `read`.
    let (status, narrow) = server
        .refresh(
            tenant,
            Auth::Basic(&setup.client),
            rt(&tokens0),
            &[("scope", "read")],
        )
        .await;
    assert_eq!(status, 200, "RFT-07 narrowing: {narrow}");
    assert_eq!(narrow["scope"], "read", "RFT-07");
    let claims = server.introspect(tenant, &introspector, at(&narrow)).await;
    assert_eq!(claims["scope"], "read", "RFT-07 the narrowed AT: {claims}");
    assert!(narrow.get("id_token").is_none(), "no openid, no ID token");

    let (status, full) = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&narrow), &[])
        .await;
    assert_eq!(status, 200, "{full}");
    let mut full_set: Vec<&str> = full["scope"].as_str().expect("scope").split(' ').collect();
    full_set.sort_unstable();
    assert_eq!(
        full_set, original_set,
        "RFT-07 the next refresh gets the original scope"
    );
}

#[actix_rt::test]
async fn refresh_tokens_expire_when_idle_and_at_their_absolute_lifetime() {
    // RFT-09.
    let data = DataDir::new();
    let clock = Clock::default();
    let server = TestServer::start_config(&data, test_config(&data), clock.clone()).await;

    // Idle TTL 2 s: a refresh 3 s later is refused.
    let idle = tenant_with(
        &server,
        TenantPolicy {
            refresh_idle_ttl_secs: 2,
            refresh_absolute_ttl_secs: 3600,
            ..TenantPolicy::default()
        },
    )
    .await;
    server.api(&idle).await;
    server.user(&idle, "alice").await;
    let client = server
        .web_client(&idle, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let tokens0 = tokens(&server, &idle, &client).await;
    let (status, tokens1) = server
        .refresh(&idle, Auth::Basic(&client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "RFT-09 within the idle TTL: {tokens1}");
    clock.advance(Duration::from_secs(3));
    let late = server
        .refresh(&idle, Auth::Basic(&client), rt(&tokens1), &[])
        .await;
    assert_invalid_grant(&late, "RFT-09 idle");

    // Absolute 6 s, idle 5 s: refreshing every 3 s ends at 6 s anyway.
    let absolute = tenant_with(
        &server,
        TenantPolicy {
            refresh_idle_ttl_secs: 5,
            refresh_absolute_ttl_secs: 6,
            ..TenantPolicy::default()
        },
    )
    .await;
    server.api(&absolute).await;
    server.user(&absolute, "alice").await;
    let client = server
        .web_client(&absolute, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let tokens0 = tokens(&server, &absolute, &client).await;
    clock.advance(Duration::from_secs(3));
    let (status, tokens1) = server
        .refresh(&absolute, Auth::Basic(&client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "RFT-09 within both lifetimes: {tokens1}");
    clock.advance(Duration::from_secs(3));
    let late = server
        .refresh(&absolute, Auth::Basic(&client), rt(&tokens1), &[])
        .await;
    assert_invalid_grant(&late, "RFT-09 absolute");
}

#[actix_rt::test]
async fn client_credentials_never_returns_a_refresh_token() {
    // RFT-11, also for a client that may use refresh tokens.
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let machine = server.machine(&tenant, TokenFormat::Jwt).await;
    let both = server
        .client(
            &tenant,
            NewClient {
                grant_types: vec![GrantType::ClientCredentials, GrantType::RefreshToken],
                ..NewClient::machine("both", &["read", "write"])
            },
        )
        .await;
    for creds in [&machine, &both] {
        for params in [&[][..], &[("scope", "read")][..]] {
            let (status, body) = server.token(&tenant, creds, params).await;
            assert_eq!(status, 200, "{body}");
            assert!(body.get("refresh_token").is_none(), "RFT-11: {body}");
        }
    }
}

#[actix_rt::test]
async fn tokens_revoked_by_reuse_stay_revoked_after_a_new_sso_sign_in() {
    // RFT-12: reuse detection, then SSO and a new code in the same browser.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let browser = server.browser();
    let code = code_for(&browser, tenant, &setup.client.id).await;
    let (status, tokens0) = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{tokens0}");
    let (status, tokens1) = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "{tokens1}");
    let replay = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    assert_invalid_grant(&replay, "RFT-12 reuse");

    let code = code_for(&browser, tenant, &setup.client.id).await;
    let (status, fresh) = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "RFT-12 a new code after SSO: {fresh}");
    assert!(active(&server, tenant, &introspector, at(&fresh)).await);

    assert!(
        !active(&server, tenant, &introspector, at(&tokens1)).await,
        "RFT-12: the old AT1 is still inactive"
    );
    let old = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens1), &[])
        .await;
    assert_invalid_grant(&old, "RFT-12: the old RT1 is still refused");
    let (status, body) = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&fresh), &[])
        .await;
    assert_eq!(status, 200, "RFT-12 the new grant works: {body}");
}

#[actix_rt::test]
async fn disabling_a_user_revokes_their_refresh_tokens() {
    // RFT-08, trigger "user disabled" (logout is tested elsewhere).
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let tokens = tokens(&server, tenant, &setup.client).await;
    assert!(active(&server, tenant, &introspector, at(&tokens)).await);

    let found = idp::users::set_enabled(
        server.platform(),
        tenant.id,
        &tenant.policy,
        &UserId::new(setup.user_id.as_str()),
        false,
    )
    .await
    .expect("disabled");
    assert!(found);

    let result = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens), &[])
        .await;
    assert_invalid_grant(&result, "RFT-08 user disabled: the old RT");
    eventually(
        Duration::from_secs(2),
        "RFT-08: the disabled user's access token introspects inactive",
        || async { !active(&server, tenant, &introspector, at(&tokens)).await },
    )
    .await;
}

#[actix_rt::test]
async fn revoking_a_refresh_token_revokes_its_access_tokens() {
    // RVK-03.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let tokens0 = tokens(&server, tenant, &setup.client).await;
    let (status, tokens1) = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "{tokens1}");
    assert!(active(&server, tenant, &introspector, at(&tokens1)).await);

    assert_eq!(
        server.revoke(tenant, &setup.client, rt(&tokens1)).await,
        200
    );
    assert!(
        !active(&server, tenant, &introspector, at(&tokens1)).await,
        "RVK-03: the grant's latest access token is inactive"
    );
    assert!(
        !active(&server, tenant, &introspector, at(&tokens0)).await,
        "RVK-03: the grant's first access token is inactive"
    );
    let result = server
        .refresh(tenant, Auth::Basic(&setup.client), rt(&tokens1), &[])
        .await;
    assert_invalid_grant(&result, "RVK-03: the revoked RT");
}

#[actix_rt::test]
async fn a_refresh_token_of_one_tenant_is_refused_at_another_without_side_effects() {
    //
    let server = TestServer::start().await;
    let a = server.web_setup().await;
    let b = server.web_setup().await;
    let introspector = server.machine(&a.tenant, TokenFormat::Jwt).await;
    let tokens0 = tokens(&server, &a.tenant, &a.client).await;

    let (status, body) = server
        .refresh(&b.tenant, Auth::Basic(&a.client), rt(&tokens0), &[])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "X-03 cA at B: {body}"
    );
    let with_b = server
        .refresh(&b.tenant, Auth::Basic(&b.client), rt(&tokens0), &[])
        .await;
    assert_invalid_grant(&with_b, "X-03 cB at B");

    let (status, tokens1) = server
        .refresh(&a.tenant, Auth::Basic(&a.client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "X-03: the RT still works at A: {tokens1}");
    // No reuse detection was triggered: the grant's tokens all live.
    assert!(
        active(&server, &a.tenant, &introspector, at(&tokens0)).await,
        "X-03: AT0 still active"
    );
    let (status, body) = server
        .refresh(&a.tenant, Auth::Basic(&a.client), rt(&tokens1), &[])
        .await;
    assert_eq!(status, 200, "X-03: the successor works too: {body}");
}

#[actix_rt::test]
async fn a_reused_token_is_caught_after_its_idle_expiry_and_behind_a_bad_scope() {
    // RFT-04: neither an idle expiry nor a refused `scope` hides a reuse.
    let data = DataDir::new();
    let clock = Clock::default();
    let server = TestServer::start_config(&data, test_config(&data), clock.clone()).await;
    let tenant = tenant_with(
        &server,
        TenantPolicy {
            refresh_idle_ttl_secs: 2,
            refresh_absolute_ttl_secs: 3600,
            ..TenantPolicy::default()
        },
    )
    .await;
    server.api(&tenant).await;
    server.user(&tenant, "alice").await;
    let client = server
        .web_client(&tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let introspector = server.machine(&tenant, TokenFormat::Jwt).await;

    // The thief rotates RT0; the owner presents RT0 after its idle expiry.
    let tokens0 = tokens(&server, &tenant, &client).await;
    let (status, stolen) = server
        .refresh(&tenant, Auth::Basic(&client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "{stolen}");
    clock.advance(Duration::from_secs(3));
    let late = server
        .refresh(&tenant, Auth::Basic(&client), rt(&tokens0), &[])
        .await;
    assert_invalid_grant(&late, "RFT-04 reuse after idle expiry");
    assert!(
        !active(&server, &tenant, &introspector, at(&stolen)).await,
        "RFT-04: the thief's access token dies with the family"
    );

    // A used token with a scope the grant never had is still a reuse.
    let tokens0 = tokens(&server, &tenant, &client).await;
    let (status, tokens1) = server
        .refresh(&tenant, Auth::Basic(&client), rt(&tokens0), &[])
        .await;
    assert_eq!(status, 200, "{tokens1}");
    let probe = server
        .refresh(
            &tenant,
            Auth::Basic(&client),
            rt(&tokens0),
            &[("scope", "admin")],
        )
        .await;
    assert_invalid_grant(&probe, "RFT-04 reuse with a bad scope");
    let next = server
        .refresh(&tenant, Auth::Basic(&client), rt(&tokens1), &[])
        .await;
    assert_invalid_grant(&next, "RFT-04: the family is revoked");
}
