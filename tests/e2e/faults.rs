//! PostgreSQL and Redis cut or hung between the server and the service
//! (SECURITY.md F-01, F-02, F-04, F-07): 503 `temporarily_unavailable` with
//! `Retry-After` within the bound, never a hang or a 500, and recovery without
//! a restart. Each test has its own proxy; the shared services are never stopped.

use std::time::{Duration, Instant};

use crate::support::proxy::{Mode, Proxy, upstream_of};
use crate::support::{Backend, DataDir, TestServer, eventually};

/// The bound within which a fault must be answered.
const BOUND: Duration = Duration::from_millis(2_500);

async fn timed_get(
    server: &TestServer,
    path: &str,
) -> (u16, Option<String>, serde_json::Value, Duration) {
    let started = Instant::now();
    let response = server.get(path).await;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, retry_after, body, started.elapsed())
}

async fn assert_unavailable(server: &TestServer, path: &str) {
    let (status, retry_after, body, took) = timed_get(server, path).await;
    assert_eq!(status, 503, "{path}: {body}");
    assert_eq!(body["error"], "temporarily_unavailable", "{path}");
    assert!(retry_after.is_some(), "{path}: Retry-After");
    assert!(took < BOUND, "{path} took {took:?}");
}

async fn database_fault(mode: Mode) {
    let Some((database, _)) = Backend::services() else {
        eprintln!("database faults need PostgreSQL (DATABASE_URL)");
        return;
    };
    let proxy = Proxy::start(upstream_of(&database));
    let server = TestServer::start_with(&DataDir::new(), |c| {
        c.database.url = Some(proxy.rewrite(&database))
    })
    .await;
    let cached = server.tenant().await;
    let uncached = server.tenant().await;
    let cached_path = format!("/t/{}/jwks.json", cached.slug);
    let uncached_path = format!("/t/{}/.well-known/openid-configuration", uncached.slug);
    assert_eq!(server.get(&cached_path).await.status(), 200);

    proxy.set(mode);
    let fault_started = Instant::now();
    // A tenant that needs the database: 503 within the deadline.
    assert_unavailable(&server, &uncached_path).await;
    // A cached tenant: served only while freshness can be established, then
    // 503 (fail closed) once the staleness bound has passed.
    let bound = Duration::from_millis(server.platform().config.tenancy.staleness_bound_ms);
    eventually(
        bound + Duration::from_millis(1_000),
        "cached tenant fails closed",
        || {
            let server = &server;
            let path = cached_path.clone();
            async move { server.get(&path).await.status() == 503 }
        },
    )
    .await;
    assert!(fault_started.elapsed() < bound + BOUND);
    assert_unavailable(&server, &cached_path).await;
    assert_unavailable_ready(&server).await;
    assert_eq!(server.get("/health/live").await.status(), 200);

    proxy.set(Mode::Pass);
    let recovered = eventually(Duration::from_secs(10), "recovery without restart", || {
        let server = &server;
        let (a, b) = (cached_path.clone(), uncached_path.clone());
        async move {
            server.get(&a).await.status() == 200
                && server.get(&b).await.status() == 200
                && server.get("/health/ready").await.status() == 200
        }
    })
    .await;
    eprintln!("recovered {recovered:?} after the database came back");
}

async fn assert_unavailable_ready(server: &TestServer) {
    let (status, _, body, took) = timed_get(server, "/health/ready").await;
    assert_eq!(status, 503, "{body}");
    assert!(took < BOUND, "ready took {took:?}");
}

#[actix_rt::test]
async fn database_cut_gives_503_then_recovers() {
    database_fault(Mode::Cut).await;
}

#[actix_rt::test]
async fn database_hung_gives_503_then_recovers() {
    database_fault(Mode::Hang).await;
}

async fn redis_fault(mode: Mode) {
    let Some((_, redis)) = Backend::services() else {
        eprintln!("Redis faults need Redis (REDIS_URL)");
        return;
    };
    let proxy = Proxy::start(upstream_of(&redis));
    let server = TestServer::start_with(&DataDir::new(), |c| {
        c.redis.url = Some(proxy.rewrite(&redis))
    })
    .await;
    let tenant = server.tenant().await;
    let path = format!("/t/{}/jwks.json", tenant.slug);
    assert_eq!(server.get("/health/ready").await.status(), 200);

    proxy.set(mode);
    assert_unavailable_ready(&server).await;
    // Liveness answers at once while Redis calls wait out their deadline.
    let started = Instant::now();
    assert_eq!(server.get("/health/live").await.status(), 200);
    assert!(started.elapsed() < Duration::from_millis(500));
    // What needs no Redis keeps working: discovery and JWKS come from the database.
    assert_eq!(server.get(&path).await.status(), 200);
    // What needs Redis fails within its deadline and is not written.
    let platform = server.platform();
    let key = idp::ephemeral::Key::new(tenant.id, "probe", "x");
    let started = Instant::now();
    let put = platform
        .ephemeral
        .put(
            &platform.clock,
            &key,
            b"v",
            platform.clock.now_ms() + 60_000,
        )
        .await;
    assert!(put.is_err());
    assert!(
        started.elapsed() < BOUND,
        "put took {:?}",
        started.elapsed()
    );

    proxy.set(Mode::Pass);
    eventually(Duration::from_secs(10), "ready again", || {
        let server = &server;
        async move { server.get("/health/ready").await.status() == 200 }
    })
    .await;
    eventually(Duration::from_secs(10), "Redis calls work again", || {
        let key = key.clone();
        async move {
            platform
                .ephemeral
                .put(
                    &platform.clock,
                    &key,
                    b"v",
                    platform.clock.now_ms() + 60_000,
                )
                .await
                .is_ok()
        }
    })
    .await;
    let got = platform
        .ephemeral
        .take(&platform.clock, &key)
        .await
        .expect("take");
    assert_eq!(got.as_deref(), Some(&b"v"[..]));
}

#[actix_rt::test]
async fn redis_cut_gives_503_on_ready_then_recovers() {
    redis_fault(Mode::Cut).await;
}

#[actix_rt::test]
async fn redis_hung_times_out_then_recovers() {
    redis_fault(Mode::Hang).await;
}
