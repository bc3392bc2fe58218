//! Admin service: clients and users through the API, admin rights as a
//! resource, and tenant isolation of every object (SECURITY.md ).

use std::time::Duration;

use idp::domain::client::NewClient;
use serde_json::{Value, json};

use crate::support::admin::AdminService;
use crate::support::eventually;
use crate::support::oauth::Creds;

fn creds(created: &Value) -> Creds {
    Creds {
        id: created["client_id"].as_str().expect("id").to_owned(),
        secret: created["client_secret"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    }
}

#[actix_rt::test]
async fn a_client_is_managed_and_its_secret_is_shown_only_once() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    admin.server.api(&tenant).await;
    let base = format!("/v1/tenants/{}/clients", tenant.slug);
    let created = admin
        .post(&token, &base, &json!({ "name": "Billing", "grant_types": ["client_credentials"], "scopes": ["read"] }))
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let client = creds(&created.body);
    assert_eq!(client.secret.len(), 43, "256-bit secret, base64url");
    admin.server.access_token(&tenant, &client).await;

    let path = format!("{base}/{}", client.id);
    let read = admin.get(&token, &path).await;
    assert_eq!(read.status, 200);
    let text = read.body.to_string();
    assert!(
        !text.contains(&client.secret) && !text.contains("secret\""),
        "{text}"
    );
    let listed = admin.get(&token, &base).await;
    assert!(!listed.body.to_string().contains(&client.secret));

    // Rotate with overlap: both secrets work.
    let rotated = admin
        .post(
            &token,
            &format!("{path}/secret"),
            &json!({ "overlap_secs": 300 }),
        )
        .await;
    assert_eq!(rotated.status, 200, "{:?}", rotated.body);
    let next = creds(&rotated.body);
    eventually(Duration::from_secs(1), "the new secret works", || async {
        admin.server.token(&tenant, &next, &[]).await.0 == 200
    })
    .await;
    admin.server.access_token(&tenant, &client).await;

    // Disable: the token endpoint refuses it within a second.
    let etag = admin.get(&token, &path).await.etag;
    let disabled = admin
        .patch(&token, &path, &json!({ "enabled": false }), etag.as_deref())
        .await;
    assert_eq!(disabled.status, 200, "{:?}", disabled.body);
    let bad = admin
        .patch(
            &token,
            &path,
            &json!({ "client_id": "x" }),
            disabled.etag.as_deref(),
        )
        .await;
    assert_eq!(bad.status, 422);
    let bad = admin
        .patch(
            &token,
            &path,
            &json!({ "redirect_uris": ["http://evil.example/cb"] }),
            disabled.etag.as_deref(),
        )
        .await;
    assert_eq!(bad.status, 422, "redirect URI rules hold on update");
    eventually(
        Duration::from_secs(1),
        "disabled client refused",
        || async { admin.server.token(&tenant, &next, &[]).await.0 == 401 },
    )
    .await;

    assert_eq!(admin.delete(&token, &path).await.status, 204);
    assert_eq!(admin.get(&token, &path).await.status, 404);
    let actions: Vec<String> = admin
        .audit(&token, tenant.slug.as_str())
        .await
        .iter()
        .filter_map(|r| r["action"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        actions,
        [
            "client.delete",
            "client.update",
            "client.rotate_secret",
            "client.create"
        ]
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn users_are_managed_and_disabling_one_kills_their_tokens() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    let base = format!("/v1/tenants/{}/users", tenant.slug);
    let body =
        json!({ "username": "carol", "email": "Carol@Example.test", "password": "correct horse" });
    let created = admin.post(&token, &base, &body).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["email"], "carol@example.test");
    assert!(!created.body.to_string().contains("correct horse"));
    assert_eq!(admin.post(&token, &base, &body).await.status, 409);
    let weak = json!({ "username": "dave", "password": "short" });
    assert_eq!(admin.post(&token, &base, &weak).await.status, 422);
    let id = created.body["id"].as_str().expect("id").to_owned();
    let path = format!("{base}/{id}");
    let renamed = admin
        .patch(
            &token,
            &path,
            &json!({ "email": "carol2@example.test" }),
            created.etag.as_deref(),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    let password = admin
        .call(
            Some(&token),
            reqwest::Method::PUT,
            &format!("{path}/password"),
            Some(&json!({ "password": "a new password" })),
            None,
        )
        .await;
    assert_eq!(password.status, 204);
    let unlock = admin
        .call(
            Some(&token),
            reqwest::Method::POST,
            &format!("{path}/unlock"),
            None,
            None,
        )
        .await;
    assert_eq!(unlock.status, 204);
    assert_eq!(admin.delete(&token, &path).await.status, 204);
    assert_eq!(admin.get(&token, &path).await.status, 404);
    admin.server.stop().await;
}

#[actix_rt::test]
async fn a_tenant_admin_never_reaches_another_tenants_objects() {
    // through A's path B's objects are 404, through B's path 403.
    let admin = AdminService::start().await;
    let system = admin.system_token().await;
    let (a, b) = (admin.server.tenant().await, admin.server.tenant().await);
    let a_admin = admin.tenant_admin_token(&a).await;
    let b_client = admin.server.client(&b, NewClient::machine("b", &[])).await;
    let b_user = admin
        .post(
            &system,
            &format!("/v1/tenants/{}/users", b.slug),
            &json!({ "username": "bob" }),
        )
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    for (kind, id) in [("clients", &b_client.id), ("users", &b_user)] {
        let through_a = format!("/v1/tenants/{}/{kind}/{id}", a.slug);
        assert_eq!(
            admin.get(&a_admin, &through_a).await.status,
            404,
            "{through_a}"
        );
        assert_eq!(admin.delete(&a_admin, &through_a).await.status, 404);
        let patched = admin
            .patch(
                &a_admin,
                &through_a,
                &json!({ "enabled": false }),
                Some("\"x\""),
            )
            .await;
        assert_eq!(patched.status, 404);
        let through_b = format!("/v1/tenants/{}/{kind}/{id}", b.slug);
        let reply = admin.get(&a_admin, &through_b).await;
        assert_eq!(reply.status, 403, "{through_b}");
        assert!(!reply.body.to_string().contains(id.as_str()));
    }
    let revoke = admin
        .post(
            &a_admin,
            &format!("/v1/tenants/{}/revocations", a.slug),
            &json!({ "user_id": b_user }),
        )
        .await;
    assert_eq!(revoke.status, 404, "revoking B's user through A");
    // Every other resource through B's path: 403, and through A's path B's
    // objects do not exist.
    let b_api = admin
        .post(
            &system,
            &format!("/v1/tenants/{}/apis", b.slug),
            &json!({ "identifier": "https://b.example", "name": "B" }),
        )
        .await
        .body["id"]
        .as_str()
        .expect("api id")
        .to_owned();
    assert_eq!(
        admin
            .get(&a_admin, &format!("/v1/tenants/{}/apis/{b_api}", a.slug))
            .await
            .status,
        404
    );
    assert_eq!(
        admin
            .delete(
                &a_admin,
                &format!("/v1/tenants/{}/consents/{b_user}/{}", a.slug, b_client.id)
            )
            .await
            .status,
        404
    );
    let rotate = admin
        .post(
            &a_admin,
            &format!("/v1/tenants/{}/keys/rotate", b.slug),
            &json!({}),
        )
        .await;
    assert_eq!(rotate.status, 403, "X-11: rotating B's keys");
    for path in [
        "audit", "clients", "users", "apis", "consents", "keys", "scopes",
    ] {
        let reply = admin
            .get(&a_admin, &format!("/v1/tenants/{}/{path}", b.slug))
            .await;
        assert_eq!(reply.status, 403, "{path}");
    }
    // A's audit query returns only A's events.
    admin
        .post(
            &a_admin,
            &format!("/v1/tenants/{}/users", a.slug),
            &json!({ "username": "bob" }),
        )
        .await;
    let rows = admin.audit(&a_admin, a.slug.as_str()).await;
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r["tenant_id"] == a.id.to_string()),
        "{rows:?}"
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn admin_rights_are_granted_and_removed_by_system_admins() {
    let admin = AdminService::start().await;
    let system = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    let system_tenant = admin.system_tenant().await;
    let mut new = NewClient::machine("ops", &["admin"]);
    new.apis = vec!["urn:idp:admin".into()];
    let ops = admin.server.client(&system_tenant, new).await;
    let ops_token = admin.token_for(&ops).await;
    assert_eq!(admin.get(&ops_token, "/v1/tenants").await.status, 403);
    let subject = format!("client:{}", ops.id);
    let granted = admin
        .post(
            &system,
            "/v1/admins",
            &json!({ "subject": subject, "tenant": tenant.slug.as_str() }),
        )
        .await;
    assert_eq!(granted.status, 201, "{:?}", granted.body);
    let again = admin
        .post(
            &system,
            "/v1/admins",
            &json!({ "subject": subject, "tenant": tenant.slug.as_str() }),
        )
        .await;
    assert_eq!(again.status, 409);
    let unknown = admin
        .post(
            &system,
            "/v1/admins",
            &json!({ "subject": "client:nobody", "tenant": "*" }),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        admin
            .get(&ops_token, &format!("/v1/tenants/{}", tenant.slug))
            .await
            .status,
        200
    );
    assert_eq!(
        admin.get(&ops_token, "/v1/admins").await.status,
        403,
        "X-11"
    );
    let removed = admin
        .delete(&system, &format!("/v1/admins/{subject}/{}", tenant.slug))
        .await;
    assert_eq!(removed.status, 204);
    assert_eq!(
        admin
            .get(&ops_token, &format!("/v1/tenants/{}", tenant.slug))
            .await
            .status,
        403
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn apis_and_their_scopes_are_managed() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    let base = format!("/v1/tenants/{}/apis", tenant.slug);
    let created = admin
        .post(
            &token,
            &base,
            &json!({ "identifier": "https://orders.example", "name": "Orders",
                     "scopes": [{ "name": "orders:read", "description": "Read orders" }], "is_default": true }),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let bad = admin
        .post(
            &token,
            &base,
            &json!({ "identifier": "not a uri", "name": "X" }),
        )
        .await;
    assert_eq!(bad.status, 422);
    let taken = admin
        .post(
            &token,
            &base,
            &json!({ "identifier": "https://orders.example", "name": "Again" }),
        )
        .await;
    assert_eq!(taken.status, 409);
    let id = created.body["id"].as_str().expect("id").to_owned();
    let path = format!("{base}/{id}");
    let change = json!({ "scopes": [{ "name": "orders:read", "description": "See your orders" },
                                    { "name": "orders:write", "description": "Place orders" }] });
    assert_eq!(admin.patch(&token, &path, &change, None).await.status, 428);
    let updated = admin
        .patch(&token, &path, &change, created.etag.as_deref())
        .await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);
    let scopes = admin
        .get(&token, &format!("/v1/tenants/{}/scopes", tenant.slug))
        .await;
    let items = scopes.body["items"].as_array().expect("items");
    let email = items
        .iter()
        .find(|s| s["name"] == "email")
        .expect("email scope");
    assert_eq!(email["claims"], json!(["email", "email_verified"]));
    let write = items
        .iter()
        .find(|s| s["name"] == "orders:write")
        .expect("API scope");
    assert_eq!(write["description"], "Place orders");
    assert_eq!(write["defined_by"], "https://orders.example");
    // The server uses the new scope at once (its change counter poll).
    let client = admin
        .server
        .client(&tenant, NewClient::machine("m", &["orders:write"]))
        .await;
    eventually(
        Duration::from_secs(1),
        "the new scope is issued",
        || async {
            let (status, body) = admin
                .server
                .token(&tenant, &client, &[("scope", "orders:write")])
                .await;
            status == 200 && body["scope"] == "orders:write"
        },
    )
    .await;
    assert_eq!(admin.delete(&token, &path).await.status, 204);
    assert_eq!(admin.get(&token, &path).await.status, 404);
    admin.server.stop().await;
}
