//! Admin service: refused calls (401, 403) are security events in the
//! platform-wide audit log, at most `PER_MINUTE` a minute per process.

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::support::admin::AdminService;
use crate::support::eventually;

/// The platform-wide audit rows of `resource_id`.
async fn refusals(admin: &AdminService, token: &str, resource: &str) -> Vec<Value> {
    let path = format!(
        "/v1/audit?limit=200&resource_type=request&resource_id={}",
        url::form_urlencoded::byte_serialize(resource.as_bytes()).collect::<String>()
    );
    let reply = admin.get(token, &path).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["items"].as_array().cloned().unwrap_or_default()
}

#[actix_rt::test]
async fn refused_calls_are_audited_as_security_events_within_a_budget() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let (a, b) = (admin.server.tenant().await, admin.server.tenant().await);
    let a_admin = admin.tenant_admin_token(&a).await;
    // A fresh minute of the admin service's clock, so the burst below
    // meets one budget.
    let clock = admin.admin_clock();
    let into = clock.now_ms().rem_euclid(60_000);
    clock.advance(Duration::from_millis(
        u64::try_from(60_000 - into + 10).expect("positive"),
    ));

    let path = format!("/v1/tenants/{}/users", b.slug);
    let resource = format!("GET {path}");
    let anonymous = admin.call(None, Method::GET, &path, None, None).await;
    assert_eq!(anonymous.status, 401);
    let forbidden = admin.get(&a_admin, &path).await;
    assert_eq!(forbidden.status, 403);
    eventually(Duration::from_secs(2), "both refusals audited", || async {
        refusals(&admin, &token, &resource).await.len() == 2
    })
    .await;
    let rows = refusals(&admin, &token, &resource).await;
    let mut seen: Vec<(String, u64)> = rows
        .iter()
        .map(|r| {
            assert_eq!(r["action"], "admin.refused");
            assert!(r["tenant_id"].is_null(), "platform-wide: {r}");
            let actor = r["actor"].as_str().unwrap_or_default();
            let actor = if actor.starts_with("client:") {
                "client"
            } else {
                actor
            };
            (
                actor.to_owned(),
                r["detail"]["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [("anonymous".to_owned(), 401), ("client".to_owned(), 403)],
        "{rows:?}"
    );

    // A flood of bad tokens is not a flood of rows.
    let limit = usize::try_from(idp_admin::refusals::PER_MINUTE).expect("small");
    for _ in 0..limit + 20 {
        let reply = admin
            .call(Some("not-a-token"), Method::GET, &path, None, None)
            .await;
        assert_eq!(reply.status, 401);
    }
    eventually(Duration::from_secs(3), "the budget is used up", || async {
        refusals(&admin, &token, &resource).await.len() >= limit
    })
    .await;
    assert_eq!(
        refusals(&admin, &token, &resource).await.len(),
        limit,
        "at most {limit} refusals a minute are written"
    );
    admin.server.stop().await;
}
