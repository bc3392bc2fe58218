//! Change propagation between server processes: announced changes apply at
//! once; a lost announcement (pub/sub cut, or another process on the embedded
//! default) still applies within one poll of the database change counter.

use std::time::Duration;

use crate::support::proxy::{Mode, Proxy, upstream_of};
use crate::support::{Backend, DataDir, TestServer};

async fn status_of(server: &TestServer, path: &str) -> u16 {
    server.get(path).await.status().as_u16()
}

/// Disables a tenant through `writer` and returns how long `reader` took to
/// stop serving it.
async fn propagation(writer: &TestServer, reader: &TestServer) -> Duration {
    let tenant = writer.tenant().await;
    let path = format!("/t/{}/jwks.json", tenant.slug);
    assert_eq!(
        status_of(reader, &path).await,
        200,
        "reader caches the tenant"
    );
    let started = std::time::Instant::now();
    idp::tenants::set_enabled(writer.platform(), tenant.id, false)
        .await
        .expect("disabled");
    loop {
        if status_of(reader, &path).await == 404 {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "change never arrived"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[actix_rt::test]
async fn own_changes_apply_at_once() {
    // A poll interval far beyond the assertion: only the channel can be this fast.
    let server = TestServer::start_with(&DataDir::new(), |c| {
        c.tenancy.poll_interval_ms = 5_000;
        c.tenancy.staleness_bound_ms = 10_000;
    })
    .await;
    let took = propagation(&server, &server).await;
    assert!(took < Duration::from_millis(500), "{took:?}");
}

#[actix_rt::test]
async fn another_process_sees_a_change_within_the_poll_bound() {
    // Two servers on one database. On the embedded default they share the
    // SQLite file but not the in-process channel: only the counter carries it.
    let data = DataDir::new();
    let poll = 250;
    let writer = TestServer::start_with(&data, |c| c.tenancy.poll_interval_ms = poll).await;
    let reader = TestServer::start_with(&data, |c| c.tenancy.poll_interval_ms = poll).await;
    let took = propagation(&writer, &reader).await;
    assert!(took < Duration::from_millis(poll + 500), "{took:?}");
}

#[actix_rt::test]
async fn pubsub_carries_changes_to_other_processes() {
    let Some(_) = Backend::services() else {
        eprintln!("only PostgreSQL + Redis has a cross-process channel");
        return;
    };
    let data = DataDir::new();
    let writer = TestServer::start_with(&data, |_| {}).await;
    let reader = TestServer::start_with(&data, |c| {
        c.tenancy.poll_interval_ms = 5_000;
        c.tenancy.staleness_bound_ms = 10_000;
    })
    .await;
    let took = propagation(&writer, &reader).await;
    assert!(took < Duration::from_millis(1_000), "{took:?}");
}

#[actix_rt::test]
async fn a_lost_announcement_still_applies_within_the_poll_bound() {
    let Some((_, redis)) = Backend::services() else {
        eprintln!(
            "on the embedded default every cross-process change goes through the counter (tested above)"
        );
        return;
    };
    let data = DataDir::new();
    let proxy = Proxy::start(upstream_of(&redis));
    let writer = TestServer::start_with(&data, |_| {}).await;
    let reader = TestServer::start_with(&data, |c| c.redis.url = Some(proxy.rewrite(&redis))).await;
    // Let the reader's subscription connect, then cut its Redis entirely.
    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.set(Mode::Cut);
    let poll = reader.platform().config.tenancy.poll_interval_ms;
    let took = propagation(&writer, &reader).await;
    assert!(took < Duration::from_millis(poll + 500), "{took:?}");
}
