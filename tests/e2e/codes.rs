//! Single-use authorization codes on the run's ephemeral store (SECURITY.md
//! COD-01 and the store half of COD-04): one redemption, even when many race.

use std::time::Duration;

use idp::domain::grant::authorization_code::CodeGrant;

use crate::support::{DataDir, TestServer};

fn grant() -> CodeGrant {
    CodeGrant {
        client_id: "c".into(),
        redirect_uri: "https://c.example/cb".into(),
        redirect_uri_sent: true,
        code_challenge: None,
        nonce: Some("n".into()),
        scopes: vec!["openid".into()],
        user_id: "u".into(),
        auth_time: 1,
        session_id: "s".into(),
        amr: vec!["pwd".into()],
        resource: None,
    }
}

#[actix_rt::test]
async fn a_code_is_redeemed_once_and_expires() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let platform = server.platform();
    let code = idp::codes::issue(platform, tenant.id, &grant(), 60)
        .await
        .expect("issued");
    assert!(code.expose().len() >= 43, "at least 256 bits");
    let other = server.tenant().await;
    assert_eq!(
        idp::codes::redeem(platform, other.id, code.expose(), "g", 60)
            .await
            .expect("redeem"),
        None,
        "another tenant's code is unknown"
    );
    assert_eq!(
        idp::codes::tombstone(platform, tenant.id, code.expose())
            .await
            .expect("read"),
        None,
        "no tombstone before the redemption"
    );
    assert_eq!(
        idp::codes::redeem(platform, tenant.id, code.expose(), "g", 60)
            .await
            .expect("redeem"),
        Some(grant())
    );
    // The redemption left its tombstone in the same atomic step.
    let tomb = idp::codes::tombstone(platform, tenant.id, code.expose())
        .await
        .expect("read")
        .expect("a tombstone");
    assert_eq!(tomb.grant_id, "g");
    assert_eq!(tomb.client_id, grant().client_id);
    assert_eq!(tomb.code_challenge, grant().code_challenge);
    assert_eq!(
        idp::codes::redeem(platform, tenant.id, code.expose(), "g2", 60)
            .await
            .expect("redeem"),
        None
    );
    assert_eq!(
        idp::codes::tombstone(platform, tenant.id, code.expose())
            .await
            .expect("read")
            .map(|t| t.grant_id),
        Some("g".to_owned()),
        "a failed redemption leaves the first tombstone alone"
    );

    let late = idp::codes::issue(platform, tenant.id, &grant(), 60)
        .await
        .expect("issued");
    platform.clock.advance(Duration::from_secs(61));
    assert_eq!(
        idp::codes::redeem(platform, tenant.id, late.expose(), "g", 60)
            .await
            .expect("redeem"),
        None
    );
}

#[actix_rt::test]
async fn concurrent_redemptions_across_processes_yield_one_grant() {
    // Two servers on one backend; on the embedded default only one process
    // may own the in-process store, so both redemptions race in one process.
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let second = TestServer::start_with(&data, |_| {}).await;
    let tenant = first.tenant().await;
    let shared_store = matches!(
        crate::support::Backend::from_env(),
        crate::support::Backend::Services { .. }
    );
    for _ in 0..5 {
        let code = idp::codes::issue(first.platform(), tenant.id, &grant(), 60)
            .await
            .expect("issued");
        let mut races = Vec::new();
        for i in 0..20 {
            let platform = if shared_store && i % 2 == 1 {
                second.platform().clone()
            } else {
                first.platform().clone()
            };
            let code = code.expose().clone();
            races.push(tokio::spawn(async move {
                idp::codes::redeem(&platform, tenant.id, &code, "g", 60)
                    .await
                    .expect("redeem")
            }));
        }
        let mut wins = 0;
        for race in races {
            wins += usize::from(race.await.expect("task").is_some());
        }
        assert_eq!(wins, 1, "exactly one redemption wins");
    }
}
