//! Admin changes reach every server process within one poll interval plus
//! 500 ms even when the announcement is lost: here the admin service's
//! pub/sub is cut (PostgreSQL + Redis) or, on the embedded default, it is
//! another process whose channel no server hears, so only the database
//! change counter carries each change to a second server process.

use std::future::Future;
use std::time::{Duration, Instant};

use idp::domain::client::NewClient;
use serde_json::json;

use crate::support::admin::AdminService;
use crate::support::proxy::{Mode, Proxy, upstream_of};
use crate::support::{Backend, DataDir, TestServer};

/// How long `check` took to hold on the reader after the change returned.
async fn arrival<F, Fut>(what: &str, bound: Duration, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < bound, "{what}: not within {bound:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[actix_rt::test]
async fn admin_changes_reach_another_server_process_without_pubsub() {
    let data = DataDir::new();
    let proxy = Backend::services().map(|(_, redis)| (Proxy::start(upstream_of(&redis)), redis));
    let server = TestServer::start_with(&data, |_| {}).await;
    let reader = TestServer::start_with(&data, |_| {}).await;
    let admin = AdminService::beside(server, &data, |c| {
        if let Some((proxy, redis)) = &proxy {
            c.redis.url = Some(proxy.rewrite(redis));
        }
    })
    .await;
    let token = admin.system_token().await;
    if let Some((proxy, _)) = &proxy {
        proxy.set(Mode::Cut);
    }
    let poll = reader.platform().config.tenancy.poll_interval_ms;
    let bound = Duration::from_millis(poll + 500);

    let tenant = admin.server.tenant().await;
    admin.server.api(&tenant).await;
    let client = admin
        .server
        .client(&tenant, NewClient::machine("m", &["read"]))
        .await;
    let at = reader.access_token(&tenant, &client).await;
    let base = format!("/v1/tenants/{}", tenant.slug);
    let mut took = Vec::new();

    // A client disabled.
    let path = format!("{base}/clients/{}", client.id);
    let etag = admin.get(&token, &path).await.etag;
    let reply = admin
        .patch(&token, &path, &json!({ "enabled": false }), etag.as_deref())
        .await;
    assert_eq!(reply.status, 200);
    took.push(
        arrival("client disabled", bound, || async {
            reader.token(&tenant, &client, &[]).await.0 == 401
        })
        .await,
    );
    let reply = admin
        .patch(
            &token,
            &path,
            &json!({ "enabled": true }),
            reply.etag.as_deref(),
        )
        .await;
    assert_eq!(reply.status, 200);
    took.push(
        arrival("client enabled", bound, || async {
            reader.token(&tenant, &client, &[]).await.0 == 200
        })
        .await,
    );

    // A secret rotated without overlap.
    let rotated = admin
        .post(&token, &format!("{path}/secret"), &json!({}))
        .await;
    assert_eq!(rotated.status, 200);
    took.push(
        arrival("old secret refused", bound, || async {
            reader.token(&tenant, &client, &[]).await.0 == 401
        })
        .await,
    );
    let client = crate::support::oauth::Creds {
        id: client.id.clone(),
        secret: rotated.body["client_secret"]
            .as_str()
            .expect("secret")
            .to_owned(),
    };

    // Every token of the client revoked.
    let revoked = admin
        .post(
            &token,
            &format!("{base}/revocations"),
            &json!({ "client_id": client.id }),
        )
        .await;
    assert_eq!(revoked.status, 200);
    took.push(
        arrival("revocation", bound, || async {
            reader.introspect(&tenant, &client, &at).await["active"] == false
        })
        .await,
    );

    // A key rotated: the reader publishes the new key.
    let keys = admin
        .post(
            &token,
            &format!("{base}/keys/rotate"),
            &json!({ "alg": "ES256" }),
        )
        .await;
    let kid = keys.body["items"][0]["kid"]
        .as_str()
        .expect("kid")
        .to_owned();
    let jwks = format!("/t/{}/jwks.json", tenant.slug);
    took.push(
        arrival("new key published", bound, || async {
            reader
                .get(&jwks)
                .await
                .text()
                .await
                .is_ok_and(|t| t.contains(&kid))
        })
        .await,
    );

    // The tenant deactivated.
    assert_eq!(admin.delete(&token, &base).await.status, 204);
    took.push(
        arrival("tenant stops", bound, || async {
            reader.get(&jwks).await.status() == 404
        })
        .await,
    );
    println!("propagation without pub/sub: {took:?} (poll interval {poll} ms)");
    admin.server.stop().await;
    reader.stop().await;
}
