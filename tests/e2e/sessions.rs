//! SSO sessions on the run's ephemeral store: idle and absolute lifetimes,
//! tenant binding, end, and continuity across server processes.

use std::time::Duration;

use idp::domain::policy::TenantPolicy;

use crate::support::{Backend, DataDir, TestServer};

#[actix_rt::test]
async fn sessions_expire_when_idle_and_at_their_absolute_limit() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let platform = server.platform();
    let policy = TenantPolicy {
        session_idle_ttl_secs: 60,
        session_absolute_ttl_secs: 150,
        ..TenantPolicy::default()
    };
    let (cookie, started) =
        idp::sessions::start(platform, tenant.id, &policy, "u", vec!["pwd".into()])
            .await
            .expect("started");
    let touch = || idp::sessions::touch(platform, tenant.id, &policy, cookie.expose());

    // Used within the idle lifetime: kept, and the idle clock restarts.
    for _ in 0..2 {
        platform.clock.advance(Duration::from_secs(50));
        assert_eq!(touch().await.expect("touch"), Some(started.clone()));
    }
    // Past the absolute lifetime it ends, however recently used.
    platform.clock.advance(Duration::from_secs(55));
    assert_eq!(touch().await.expect("touch"), None);

    // Unused past the idle lifetime it ends.
    let (idle, _) = idp::sessions::start(platform, tenant.id, &policy, "u", vec![])
        .await
        .expect("started");
    platform.clock.advance(Duration::from_secs(61));
    assert_eq!(
        idp::sessions::touch(platform, tenant.id, &policy, idle.expose())
            .await
            .expect("touch"),
        None
    );
}

#[actix_rt::test]
async fn a_session_belongs_to_its_tenant_and_ends_on_logout() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    let platform = server.platform();
    let policy = TenantPolicy::default();
    let (cookie, _) = idp::sessions::start(platform, a.id, &policy, "u", vec![])
        .await
        .expect("started");
    assert!(
        idp::sessions::touch(platform, b.id, &policy, cookie.expose())
            .await
            .expect("touch")
            .is_none(),
        "X-07"
    );
    assert!(
        idp::sessions::touch(platform, a.id, &policy, cookie.expose())
            .await
            .expect("touch")
            .is_some()
    );
    idp::sessions::end(platform, a.id, cookie.expose())
        .await
        .expect("ended");
    assert!(
        idp::sessions::touch(platform, a.id, &policy, cookie.expose())
            .await
            .expect("touch")
            .is_none()
    );
    let (again, _) = idp::sessions::start(platform, a.id, &policy, "u", vec![])
        .await
        .expect("started");
    assert_ne!(again.expose(), cookie.expose(), "a new id at every login");
}

#[actix_rt::test]
async fn another_process_continues_the_session() {
    let Backend::Services { .. } = Backend::from_env() else {
        eprintln!("the embedded default runs one server process");
        return;
    };
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let second = TestServer::start_with(&data, |_| {}).await;
    let tenant = first.tenant().await;
    let policy = TenantPolicy::default();
    let (cookie, session) = idp::sessions::start(first.platform(), tenant.id, &policy, "u", vec![])
        .await
        .expect("started");
    let seen = idp::sessions::touch(second.platform(), tenant.id, &policy, cookie.expose())
        .await
        .expect("touch");
    assert_eq!(seen, Some(session));
}
