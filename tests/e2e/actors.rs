//! Per-tenant actors start on first use and stop when idle.

use std::time::Duration;

use idp::clock::Clock;

use crate::support::{DataDir, TestServer, eventually, test_config};

/// A key ring actor and a session actor per tenant.
const PER_TENANT: usize = 2;

#[actix_rt::test]
async fn idle_tenant_actors_stop_and_restart_on_use() {
    let data = DataDir::new();
    let mut config = test_config(&data);
    config.tenancy.idle_timeout_secs = 60;
    config.tenancy.sweep_interval_ms = 50;
    let clock = Clock::default();
    let server = TestServer::start_config(&data, config, clock.clone()).await;
    let gauge = server.running.state.actors.clone();
    let baseline = gauge.get();

    let tenants = [
        server.tenant().await,
        server.tenant().await,
        server.tenant().await,
    ];
    for tenant in &tenants {
        let path = format!("/t/{}/jwks.json", tenant.slug);
        assert_eq!(server.get(&path).await.status(), 200);
    }
    assert_eq!(gauge.get(), baseline + 3 * PER_TENANT);
    assert_eq!(server.running.state.tenants.len(), 3);

    clock.advance(Duration::from_secs(61));
    eventually(Duration::from_secs(5), "actors back to baseline", || {
        let count = gauge.get();
        async move { count == baseline }
    })
    .await;
    assert!(server.running.state.tenants.is_empty());

    // First use after idling starts them again.
    let path = format!("/t/{}/jwks.json", tenants[0].slug);
    assert_eq!(server.get(&path).await.status(), 200);
    assert_eq!(gauge.get(), baseline + PER_TENANT);
}

#[actix_rt::test]
async fn a_tenant_in_use_is_not_stopped() {
    let data = DataDir::new();
    let mut config = test_config(&data);
    config.tenancy.idle_timeout_secs = 60;
    config.tenancy.sweep_interval_ms = 50;
    let clock = Clock::default();
    let server = TestServer::start_config(&data, config, clock.clone()).await;
    let gauge = server.running.state.actors.clone();
    let baseline = gauge.get();
    let tenant = server.tenant().await;
    let path = format!("/t/{}/jwks.json", tenant.slug);
    for _ in 0..4 {
        clock.advance(Duration::from_secs(40));
        assert_eq!(server.get(&path).await.status(), 200);
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(
            gauge.get(),
            baseline + PER_TENANT,
            "used within the timeout: kept"
        );
    }
}
