//! Admin service, tenants: create, read, update with ETags, deactivate, and
//! who may do what (SECURITY.md ).

use std::time::Duration;

use idp::domain::client::NewClient;
use serde_json::json;

use crate::support::admin::AdminService;
use crate::support::{eventually, random_slug};

#[actix_rt::test]
async fn a_tenant_is_created_updated_with_its_etag_and_audited() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let slug = random_slug("adm").to_string();
    let created = admin
        .post(
            &token,
            "/v1/tenants",
            &json!({ "slug": slug, "display_name": "Acme" }),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(
        created.body["issuer"],
        format!("{}/t/{slug}", admin.server.url)
    );
    let etag = created.etag.clone().expect("etag");
    // NUL characters (PostgreSQL text cannot hold them) are refused, not 500.
    let nul = admin
        .post(
            &token,
            "/v1/tenants",
            &json!({ "slug": random_slug("n").to_string(), "display_name": "a\u{0}b" }),
        )
        .await;
    assert_eq!(nul.status, 422, "{:?}", nul.body);
    assert_eq!(
        admin
            .get(&token, "/v1/tenants/a%00b/clients/x%00")
            .await
            .status,
        400
    );
    let not_json = admin
        .call(
            Some(&token),
            reqwest::Method::POST,
            "/v1/tenants",
            None,
            None,
        )
        .await;
    assert_eq!(not_json.status, 400);
    let (status, discovery) = admin
        .server
        .get_json(&format!("/t/{slug}/.well-known/openid-configuration"))
        .await;
    assert_eq!(status, 200, "the new tenant serves at once: {discovery}");

    let read = admin.get(&token, &format!("/v1/tenants/{slug}")).await;
    assert_eq!(read.etag.as_deref(), Some(etag.as_str()));

    let path = format!("/v1/tenants/{slug}");
    let change = json!({ "policy": { "access_token_ttl_secs": 300 } });
    let missing = admin.patch(&token, &path, &change, None).await;
    assert_eq!(missing.status, 428, "{:?}", missing.body);
    assert_eq!(missing.body["error"], "precondition_required");
    let stale = admin.patch(&token, &path, &change, Some("\"0000\"")).await;
    assert_eq!(stale.status, 412);
    let over_cap = json!({ "policy": { "access_token_ttl_secs": 999_999 } });
    let refused = admin.patch(&token, &path, &over_cap, Some(&etag)).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let unknown = json!({ "policy": { "no_such_setting": 1 } });
    assert_eq!(
        admin
            .patch(&token, &path, &unknown, Some(&etag))
            .await
            .status,
        422
    );
    let updated = admin.patch(&token, &path, &change, Some(&etag)).await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    assert_eq!(updated.body["policy"]["access_token_ttl_secs"], 300);
    assert_ne!(updated.etag, Some(etag.clone()));
    let again = admin.patch(&token, &path, &change, Some(&etag)).await;
    assert_eq!(again.status, 412, "the old ETag is stale now");

    let rows = admin.audit(&token, &slug).await;
    let actions: Vec<&str> = rows.iter().filter_map(|r| r["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["tenant.update", "tenant.create"],
        "one row per change, none for refusals"
    );
    assert!(
        rows[0]["actor"]
            .as_str()
            .is_some_and(|a| a.starts_with("client:"))
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn concurrent_updates_with_one_etag_let_exactly_one_win() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    let path = format!("/v1/tenants/{}", tenant.slug);
    let etag = admin.get(&token, &path).await.etag.expect("etag");
    let updates = (0..8).map(|i| {
        let body = json!({ "display_name": format!("Name {i}") });
        let (admin, token, path, etag) = (&admin, &token, &path, &etag);
        async move { admin.patch(token, path, &body, Some(etag)).await.status }
    });
    let statuses = futures_util::future::join_all(updates).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 412),
        "{statuses:?}"
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn a_deactivated_tenant_stops_everywhere_and_others_are_untouched() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let (a, b) = (admin.server.tenant().await, admin.server.tenant().await);
    admin.server.api(&a).await;
    let creds = admin
        .server
        .client(&a, NewClient::machine("m", &["read"]))
        .await;
    let at = admin.server.access_token(&a, &creds).await;
    assert_eq!(
        admin
            .delete(&token, &format!("/v1/tenants/{}", a.slug))
            .await
            .status,
        204
    );
    let took = eventually(
        Duration::from_secs(1),
        "X-16: A's endpoints stop",
        || async {
            admin
                .server
                .get(&format!("/t/{}/.well-known/openid-configuration", a.slug))
                .await
                .status()
                == 404
        },
    )
    .await;
    assert!(took < Duration::from_secs(1));
    let (status, _, _) = admin
        .server
        .post_form(
            &format!("/t/{}/token", a.slug),
            crate::support::oauth::Auth::Basic(&creds),
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(status, 404, "A issues nothing");
    let (status, _, _) = admin
        .server
        .post_form(
            &format!("/t/{}/introspect", a.slug),
            crate::support::oauth::Auth::Basic(&creds),
            &[("token", &at)],
        )
        .await;
    assert_eq!(
        status, 404,
        "A's tokens can no longer be introspected as active"
    );
    let (status, _) = admin
        .server
        .get_json(&format!("/t/{}/.well-known/openid-configuration", b.slug))
        .await;
    assert_eq!(status, 200, "B is unaffected");
    let system = admin.delete(&token, "/v1/tenants/system").await;
    assert_eq!(
        system.status, 409,
        "the system tenant cannot be deactivated"
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn only_system_tenant_admin_tokens_are_accepted() {
    let admin = AdminService::start().await;
    let none = admin
        .call(None, reqwest::Method::GET, "/v1/tenants", None, None)
        .await;
    assert_eq!(none.status, 401);
    assert_eq!(none.body["error"], "unauthorized");
    assert_eq!(admin.get("not-a-token", "/v1/tenants").await.status, 401);

    // a token from tenant A's own issuer.
    let a = admin.server.tenant().await;
    admin.server.api(&a).await;
    let creds = admin
        .server
        .client(&a, NewClient::machine("m", &["read"]))
        .await;
    let foreign = admin.server.access_token(&a, &creds).await;
    assert_eq!(admin.get(&foreign, "/v1/tenants").await.status, 401, "X-12");

    // A system-tenant token without the admin audience and scope.
    // (The system tenant is shared by every test of a PostgreSQL run.)
    let system = admin.system_tenant().await;
    let identifier = format!("https://{}.api.example", random_slug("other"));
    admin.server.api_with(&system, &identifier, false).await;
    let mut other = NewClient::machine("other", &["read"]);
    other.apis = vec![identifier.clone()];
    let other = admin.server.client(&system, other).await;
    let (status, body) = admin
        .server
        .token(&system, &other, &[("resource", &identifier)])
        .await;
    assert_eq!(status, 200, "{body}");
    let wrong_audience = body["access_token"].as_str().expect("token");
    assert_eq!(admin.get(wrong_audience, "/v1/tenants").await.status, 401);

    // Right token, but the client holds no admin rights.
    let mut plain = NewClient::machine("plain", &["admin"]);
    plain.apis = vec!["urn:idp:admin".into()];
    let plain = admin.server.client(&system, plain).await;
    let token = admin.token_for(&plain).await;
    let reply = admin.get(&token, "/v1/tenants").await;
    assert_eq!(reply.status, 403, "{:?}", reply.body);
    admin.server.stop().await;
}

#[actix_rt::test]
async fn a_tenant_admin_cannot_do_system_operations() {
    let admin = AdminService::start().await;
    let (a, b) = (admin.server.tenant().await, admin.server.tenant().await);
    let token = admin.tenant_admin_token(&a).await;
    let create = admin
        .post(
            &token,
            "/v1/tenants",
            &json!({ "slug": random_slug("x").to_string(), "display_name": "X" }),
        )
        .await;
    assert_eq!(create.status, 403, "X-11: creating tenants");
    assert_eq!(
        admin
            .delete(&token, &format!("/v1/tenants/{}", a.slug))
            .await
            .status,
        403
    );
    assert_eq!(
        admin
            .get(&token, &format!("/v1/tenants/{}", b.slug))
            .await
            .status,
        403,
        "X-10"
    );
    assert_eq!(
        admin.get(&token, "/v1/tenants/system").await.status,
        403,
        "X-11"
    );
    assert_eq!(
        admin.get(&token, "/v1/tenants/no-such-tenant").await.status,
        403
    );
    assert_eq!(admin.get(&token, "/v1/audit").await.status, 403);
    let own = admin.get(&token, &format!("/v1/tenants/{}", a.slug)).await;
    assert_eq!(own.status, 200);
    let reactivate = admin
        .patch(
            &token,
            &format!("/v1/tenants/{}", a.slug),
            &json!({ "enabled": false }),
            own.etag.as_deref(),
        )
        .await;
    assert_eq!(reactivate.status, 403, "deactivation is a system operation");
    let listed = admin.get(&token, "/v1/tenants").await;
    let slugs: Vec<&str> = listed.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["slug"].as_str())
        .collect();
    assert_eq!(
        slugs,
        [a.slug.as_str()],
        "a tenant admin lists only its tenants"
    );
    admin.server.stop().await;
}

/// X-16, reactivation: what a tenant issued before its deactivation stays
/// dead when it is enabled again (an admin who deactivates after a breach
/// must not see the stolen tokens come back).
#[actix_rt::test]
async fn a_reactivated_tenant_does_not_revive_its_old_tokens() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let setup = admin.server.web_setup().await;
    let (tenant, client) = (&setup.tenant, &setup.client);
    let browser = admin.server.browser();
    let code = crate::token::authorization_code::code_for(&browser, tenant, &client.id).await;
    let (status, tokens) = admin
        .server
        .redeem(
            tenant,
            crate::support::oauth::Auth::Basic(client),
            &code,
            Some(crate::support::signin::VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    let at = tokens["access_token"].as_str().expect("at").to_owned();
    let rt = tokens["refresh_token"].as_str().expect("rt").to_owned();
    assert_eq!(
        admin.server.introspect(tenant, client, &at).await["active"],
        true
    );

    let path = format!("/v1/tenants/{}", tenant.slug);
    for enabled in [false, true] {
        let etag = admin.get(&token, &path).await.etag;
        let changed = admin
            .patch(
                &token,
                &path,
                &json!({ "enabled": enabled }),
                etag.as_deref(),
            )
            .await;
        assert_eq!(changed.status, 200, "{:?}", changed.body);
        let expected = if enabled { 200 } else { 404 };
        eventually(Duration::from_secs(1), "the tenant follows", || async {
            admin
                .server
                .get(&format!(
                    "/t/{}/.well-known/openid-configuration",
                    tenant.slug
                ))
                .await
                .status()
                == expected
        })
        .await;
    }
    assert_eq!(
        admin.server.introspect(tenant, client, &at).await,
        json!({ "active": false }),
        "an access token from before the deactivation stays dead"
    );
    let (status, body) = admin
        .server
        .refresh(tenant, crate::support::oauth::Auth::Basic(client), &rt, &[])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "a refresh token from before the deactivation stays dead"
    );
    // The browser's session is dead too: the next authorization asks for a login.
    let page = browser
        .authorize(
            tenant,
            &[
                ("response_type", "code"),
                ("client_id", client.id.as_str()),
                ("redirect_uri", crate::support::signin::CALLBACK),
                ("scope", "openid"),
                ("state", "S"),
                ("code_challenge", crate::support::signin::CHALLENGE),
                ("code_challenge_method", "S256"),
                ("prompt", "none"),
            ],
        )
        .await;
    assert_eq!(
        page.location_query().get("error").map(String::as_str),
        Some("login_required")
    );
    // New tokens work (from the second after the watermark: equal seconds
    // count as before it).
    let fresh = admin
        .server
        .machine(tenant, idp::domain::client::TokenFormat::Jwt)
        .await;
    eventually(Duration::from_secs(3), "a new token is active", || async {
        let at = admin.server.access_token(tenant, &fresh).await;
        admin.server.introspect(tenant, &fresh, &at).await["active"] == true
    })
    .await;
    admin.server.stop().await;
}
