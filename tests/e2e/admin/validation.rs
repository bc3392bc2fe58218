//! Admin service: values that would be accepted and then do nothing, or
//! pass for someone else, are refused with 422 naming the field (redirect
//! URIs with credentials or white space, clients that could never complete a
//! flow, reserved API identifiers, switches and grants nothing serves yet,
//! colours the pages cannot take).

use serde_json::{Value, json};

use crate::support::admin::{AdminService, Reply};

/// A 422 whose message starts with `field` (or names it).
fn assert_names(reply: &Reply, field: &str, what: &str) {
    assert_eq!(reply.status, 422, "{what}: {:?}", reply.body);
    let message = reply.body["message"].as_str().unwrap_or_default();
    assert!(message.contains(field), "{what}: {message} names {field}");
}

fn web_client(extra: Value) -> Value {
    let mut body = json!({
        "name": "Web",
        "grant_types": ["authorization_code"],
        "redirect_uris": ["https://app.example.test/cb"],
        "scopes": ["openid"],
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    body
}

#[actix_rt::test]
async fn client_registrations_that_could_mislead_or_never_work_are_refused() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    let base = format!("/v1/tenants/{}/clients", tenant.slug);
    for (extra, field, what) in [
        (
            json!({ "redirect_uris": ["https://user:pw@app.example.com/cb"] }),
            "redirect_uris",
            "userinfo",
        ),
        (
            json!({ "redirect_uris": [" https://app.example.com/cb"] }),
            "redirect_uris",
            "leading space",
        ),
        (
            json!({ "redirect_uris": ["https://app.example.com/cb "] }),
            "redirect_uris",
            "trailing space",
        ),
        (
            json!({ "post_logout_redirect_uris": ["https://u:p@app.example.com/out"] }),
            "post_logout_redirect_uris",
            "post-logout userinfo",
        ),
        (
            json!({ "post_logout_redirect_uris": ["https://app.example.com/out "] }),
            "post_logout_redirect_uris",
            "post-logout space",
        ),
        (
            json!({ "redirect_uris": [] }),
            "redirect_uris",
            "authorization_code without a redirect URI",
        ),
        (
            json!({ "scopes": ["openid", "no-such-scope"] }),
            "scopes",
            "a scope neither OpenID Connect nor an API defines",
        ),
        (
            json!({ "grant_types": ["urn:ietf:params:oauth:grant-type:device_code"] }),
            "grant_types",
            "device_code",
        ),
        (
            json!({ "grant_types": ["authorization_code", "password"] }),
            "grant_types",
            "password",
        ),
    ] {
        let refused = admin.post(&token, &base, &web_client(extra)).await;
        assert_names(&refused, field, what);
    }
    let listed = admin.get(&token, &base).await;
    assert_eq!(listed.body["items"], json!([]), "nothing was created");
    let created = admin.post(&token, &base, &web_client(json!({}))).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let path = format!("{base}/{}", created.body["client_id"].as_str().expect("id"));
    let etag = admin.get(&token, &path).await.etag;
    let refused = admin
        .patch(
            &token,
            &path,
            &json!({ "redirect_uris": [] }),
            etag.as_deref(),
        )
        .await;
    assert_names(&refused, "redirect_uris", "update to no redirect URI");
    admin.server.stop().await;
}

#[actix_rt::test]
async fn platform_and_foreign_api_identifiers_are_reserved() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let (a, b) = (admin.server.tenant().await, admin.server.tenant().await);
    let base = format!("/v1/tenants/{}/apis", a.slug);
    for identifier in [
        "urn:idp:admin".to_owned(),
        "urn:idp:anything".to_owned(),
        admin.server.issuer(&b),
        admin.server.url.clone(),
        format!("{}/t/{}/userinfo", admin.server.url, a.slug),
    ] {
        let refused = admin
            .post(
                &token,
                &base,
                &json!({ "identifier": identifier, "name": "X" }),
            )
            .await;
        assert_names(&refused, "identifier", &identifier);
    }
    let ok = admin
        .post(
            &token,
            &base,
            &json!({ "identifier": "https://api.a.example", "name": "A" }),
        )
        .await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);
    admin.server.stop().await;
}

#[actix_rt::test]
async fn policy_switches_that_nothing_serves_are_refused() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    let path = format!("/v1/tenants/{}", tenant.slug);
    let read = admin.get(&token, &path).await;
    let grants = read.body["policy"]["allowed_grants"].clone();
    assert!(
        !grants.to_string().contains("device_code"),
        "the default policy lists only served grants: {grants}"
    );
    for (policy, field) in [
        (json!({ "implicit_enabled": true }), "implicit_enabled"),
        (
            json!({ "password_grant_enabled": true }),
            "password_grant_enabled",
        ),
        (json!({ "allowed_grants": ["password"] }), "allowed_grants"),
        (
            json!({ "allowed_grants": ["authorization_code", "urn:ietf:params:oauth:grant-type:device_code"] }),
            "allowed_grants",
        ),
        (json!({ "branding": { "accent_color": "blue" } }), "#rrggbb"),
    ] {
        let refused = admin
            .patch(
                &token,
                &path,
                &json!({ "policy": policy }),
                read.etag.as_deref(),
            )
            .await;
        assert_names(&refused, field, &policy.to_string());
    }
    let after = admin.get(&token, &path).await;
    assert_eq!(after.etag, read.etag, "nothing changed");
    let created = admin
        .post(
            &token,
            "/v1/tenants",
            &json!({
                "slug": crate::support::random_slug("pol").to_string(),
                "display_name": "P",
                "policy": { "password_grant_enabled": true },
            }),
        )
        .await;
    assert_names(&created, "password_grant_enabled", "at creation too");
    admin.server.stop().await;
}
