//! Introspection (RFC 7662) and revocation (RFC 7009): SECURITY.md RVK-01,
//! RVK-02, RVK-04, RVK-05, X-04, X-05, and opaque tokens end to end.

use std::time::Duration;

use idp::domain::client::TokenFormat;
use serde_json::json;

use crate::support::oauth::Auth;
use crate::support::{DataDir, TestServer, eventually};

#[actix_rt::test]
async fn active_tokens_give_claims_and_everything_else_exactly_inactive() {
    for format in [TokenFormat::Jwt, TokenFormat::Opaque] {
        let server = TestServer::start().await;
        let tenant = server.tenant().await;
        server.api(&tenant).await;
        let creds = server.machine(&tenant, format).await;
        let token = server.access_token(&tenant, &creds).await;

        let active = server.introspect(&tenant, &creds, &token).await;
        assert_eq!(active["active"], true, "{format:?}");
        assert_eq!(active["client_id"], creds.id);
        assert_eq!(active["iss"], server.issuer(&tenant));
        assert_eq!(active["scope"], "read write");
        assert_eq!(active["token_type"], "Bearer");

        // RVK-05: unauthenticated.
        let (status, _, body) = server
            .post_form(
                &format!("/t/{}/introspect", tenant.slug),
                Auth::None,
                &[("token", &token)],
            )
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client"))
        );

        // Garbage and tampered tokens.
        for bad in [
            "garbage",
            "a.b.c",
            &format!("{token}x"),
            &token[..token.len() - 2],
        ] {
            assert_eq!(
                server.introspect(&tenant, &creds, bad).await,
                json!({"active": false})
            );
        }

        // Expired: move this server's clock past the lifetime.
        server.platform().clock.advance(Duration::from_secs(901));
        assert_eq!(
            server.introspect(&tenant, &creds, &token).await,
            json!({"active": false}),
            "{format:?} expired"
        );
    }
}

#[actix_rt::test]
async fn revocation_is_per_client_and_unknown_tokens_get_200() {
    for format in [TokenFormat::Jwt, TokenFormat::Opaque] {
        let server = TestServer::start().await;
        let tenant = server.tenant().await;
        server.api(&tenant).await;
        let owner = server.machine(&tenant, format).await;
        let other = server.machine(&tenant, format).await;
        let token = server.access_token(&tenant, &owner).await;

        // RVK-02
        assert_eq!(server.revoke(&tenant, &owner, "no-such-token").await, 200);
        // RVK-01: another client's revocation changes nothing.
        assert_eq!(server.revoke(&tenant, &other, &token).await, 200);
        assert_eq!(
            server.introspect(&tenant, &owner, &token).await["active"],
            true
        );
        // The owner's revocation holds at once on the process that answered it.
        assert_eq!(server.revoke(&tenant, &owner, &token).await, 200);
        assert_eq!(
            server.introspect(&tenant, &owner, &token).await,
            json!({"active": false})
        );
        // Revocation needs authentication.
        let (status, _, _) = server
            .post_form(
                &format!("/t/{}/revoke", tenant.slug),
                Auth::None,
                &[("token", &token)],
            )
            .await;
        assert_eq!(status, 401);
    }
}

#[actix_rt::test]
async fn a_revocation_reaches_another_process_within_a_second() {
    // RVK-04: two servers on one database.
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let second = TestServer::start_with(&data, |c| c.http.public_url = first.url.clone()).await;
    let tenant = first.tenant().await;
    first.api(&tenant).await;
    for format in [TokenFormat::Jwt, TokenFormat::Opaque] {
        let creds = first.machine(&tenant, format).await;
        let token = first.access_token(&tenant, &creds).await;
        assert_eq!(
            second.introspect(&tenant, &creds, &token).await["active"],
            true
        );
        assert_eq!(first.revoke(&tenant, &creds, &token).await, 200);
        let took = eventually(
            Duration::from_secs(1),
            "revocation seen by the other process",
            || async {
                second.introspect(&tenant, &creds, &token).await == json!({"active": false})
            },
        )
        .await;
        eprintln!("{format:?} revocation reached the other process in {took:?}");
    }
}

#[actix_rt::test]
async fn tokens_of_one_tenant_mean_nothing_at_another() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    server.api(&a).await;
    server.api(&b).await;
    for format in [TokenFormat::Jwt, TokenFormat::Opaque] {
        let ca = server.machine(&a, format).await;
        let cb = server.machine(&b, format).await;
        let token = server.access_token(&a, &ca).await;
        //
        assert_eq!(
            server.introspect(&b, &cb, &token).await,
            json!({"active": false})
        );
        // A's client is unknown at B.
        let (status, _, _) = server
            .post_form(
                &format!("/t/{}/introspect", b.slug),
                Auth::Basic(&ca),
                &[("token", &token)],
            )
            .await;
        assert_eq!(status, 401);
        //
        assert_eq!(server.revoke(&b, &cb, &token).await, 200);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(server.introspect(&a, &ca, &token).await["active"], true);
    }
}

#[actix_rt::test]
async fn opaque_tokens_survive_a_restart() {
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let tenant = first.tenant().await;
    first.api(&tenant).await;
    let creds = first.machine(&tenant, TokenFormat::Opaque).await;
    let token = first.access_token(&tenant, &creds).await;
    assert_eq!(token.len(), 43, "256 random bits, base64url");
    first.stop().await;
    let second = TestServer::start_with(&data, |_| {}).await;
    assert_eq!(
        second.introspect(&tenant, &creds, &token).await["active"],
        true
    );
}

#[actix_rt::test]
async fn revoking_one_token_many_times_at_once_is_always_200() {
    for format in [TokenFormat::Jwt, TokenFormat::Opaque] {
        let server = TestServer::start().await;
        let tenant = server.tenant().await;
        server.api(&tenant).await;
        let creds = server.machine(&tenant, format).await;
        let token = server.access_token(&tenant, &creds).await;
        let revocations = (0..8).map(|_| server.revoke(&tenant, &creds, &token));
        for status in futures_util::future::join_all(revocations).await {
            assert_eq!(status, 200, "{format:?}");
        }
        assert_eq!(
            server.introspect(&tenant, &creds, &token).await,
            json!({"active": false})
        );
    }
}
