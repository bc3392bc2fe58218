//! Admin bulk revocation (SECURITY.md RVK-06): after revoking a user's, a
//! client's or the tenant's tokens, access tokens introspect inactive within
//! a second, refresh tokens get `invalid_grant` and sessions ask for a login.

use std::time::Duration;

use idp::domain::client::NewClient;
use serde_json::{Value, json};

use crate::support::admin::AdminService;
use crate::support::eventually;
use crate::support::oauth::Auth;
use crate::support::signin::VERIFIER;
use crate::token::authorization_code::code_for;

async fn user_tokens(
    admin: &AdminService,
    setup: &crate::support::signin::WebSetup,
) -> (Value, crate::support::signin::Browserless) {
    let browser = admin.server.browser();
    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let (status, tokens) = admin
        .server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &code,
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    (tokens, browser)
}

/// `prompt=none`: a code while the session lives, `login_required` after.
async fn silent(
    browser: &crate::support::signin::Browserless,
    setup: &crate::support::signin::WebSetup,
) -> crate::support::signin::Page {
    browser
        .authorize(
            &setup.tenant,
            &[
                ("response_type", "code"),
                ("client_id", setup.client.id.as_str()),
                ("redirect_uri", crate::support::signin::CALLBACK),
                ("scope", "openid read"),
                ("state", "S"),
                ("code_challenge", crate::support::signin::CHALLENGE),
                ("code_challenge_method", "S256"),
                ("prompt", "none"),
            ],
        )
        .await
}

#[actix_rt::test]
async fn revoking_a_users_tokens_kills_access_refresh_and_session() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let setup = admin.server.web_setup().await;
    let (tokens, browser) = user_tokens(&admin, &setup).await;
    let at = tokens["access_token"].as_str().expect("at");
    let rt = tokens["refresh_token"].as_str().expect("rt");
    let introspector = &setup.client;
    assert_eq!(
        admin
            .server
            .introspect(&setup.tenant, introspector, at)
            .await["active"],
        true
    );
    let page = silent(&browser, &setup).await;
    assert!(
        page.location_query().contains_key("code"),
        "the session is live before"
    );
    // A second user's tokens are untouched.
    let revoked = admin
        .post(
            &token,
            &format!("/v1/tenants/{}/revocations", setup.tenant.slug),
            &json!({ "user_id": setup.user_id }),
        )
        .await;
    assert_eq!(revoked.status, 200, "{:?}", revoked.body);
    assert_eq!(revoked.body["refresh_families"], 1);
    let took = eventually(Duration::from_secs(1), "AT inactive", || async {
        admin
            .server
            .introspect(&setup.tenant, introspector, at)
            .await["active"]
            == false
    })
    .await;
    println!("user revocation visible after {took:?}");
    let (status, body) = admin
        .server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), rt, &[])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The browser's session now asks for a login again.
    let page = silent(&browser, &setup).await;
    assert_eq!(
        page.location_query().get("error").map(String::as_str),
        Some("login_required")
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn revoking_a_clients_or_the_tenants_tokens_kills_machine_tokens() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    admin.server.api(&tenant).await;
    let one = admin
        .server
        .client(&tenant, NewClient::machine("one", &["read"]))
        .await;
    let two = admin
        .server
        .client(&tenant, NewClient::machine("two", &["read"]))
        .await;
    let (at_one, at_two) = (
        admin.server.access_token(&tenant, &one).await,
        admin.server.access_token(&tenant, &two).await,
    );
    let path = format!("/v1/tenants/{}/revocations", tenant.slug);
    assert_eq!(
        admin
            .post(&token, &path, &json!({ "client_id": one.id }))
            .await
            .status,
        200
    );
    eventually(
        Duration::from_secs(1),
        "client one's token inactive",
        || async { admin.server.introspect(&tenant, &two, &at_one).await["active"] == false },
    )
    .await;
    assert_eq!(
        admin.server.introspect(&tenant, &two, &at_two).await["active"],
        true
    );
    assert_eq!(
        admin
            .post(&token, &path, &json!({ "all": true }))
            .await
            .status,
        200
    );
    eventually(Duration::from_secs(1), "every token inactive", || async {
        admin.server.introspect(&tenant, &two, &at_two).await["active"] == false
    })
    .await;
    let both = admin
        .post(&token, &path, &json!({ "all": true, "client_id": one.id }))
        .await;
    assert_eq!(both.status, 422);
    admin
        .server
        .platform()
        .clock
        .advance(Duration::from_millis(1100));
    let fresh = admin.server.access_token(&tenant, &two).await;
    assert_eq!(
        admin.server.introspect(&tenant, &two, &fresh).await["active"],
        true,
        "tokens issued after the revocation work"
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn revoking_a_consent_kills_the_tokens_it_allowed() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let setup = admin.server.web_setup().await;
    let (tokens, browser) = user_tokens(&admin, &setup).await;
    let at = tokens["access_token"].as_str().expect("at");
    let base = format!("/v1/tenants/{}/consents", setup.tenant.slug);
    let listed = admin
        .get(&token, &format!("{base}?user_id={}", setup.user_id))
        .await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    let items = listed.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["client_id"], setup.client.id.as_str());
    let path = format!("{base}/{}/{}", setup.user_id, setup.client.id);
    assert_eq!(admin.delete(&token, &path).await.status, 204);
    assert_eq!(admin.delete(&token, &path).await.status, 404, "gone");
    eventually(
        Duration::from_secs(1),
        "AT of the grant inactive",
        || async {
            admin
                .server
                .introspect(&setup.tenant, &setup.client, at)
                .await["active"]
                == false
        },
    )
    .await;
    let rt = tokens["refresh_token"].as_str().expect("rt");
    let (status, _) = admin
        .server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), rt, &[])
        .await;
    assert_eq!(status, 400);
    // The session lives on, but consent is asked again.
    let page = silent(&browser, &setup).await;
    assert_eq!(
        page.location_query().get("error").map(String::as_str),
        Some("consent_required")
    );
    admin.server.stop().await;
}

#[actix_rt::test]
async fn one_token_is_revoked_by_value() {
    let admin = AdminService::start().await;
    let token = admin.system_token().await;
    let setup = admin.server.web_setup().await;
    let (tokens, _) = user_tokens(&admin, &setup).await;
    let (at, rt) = (
        tokens["access_token"].as_str().expect("at"),
        tokens["refresh_token"].as_str().expect("rt"),
    );
    let path = format!("/v1/tenants/{}/revocations", setup.tenant.slug);
    let reply = admin.post(&token, &path, &json!({ "token": at })).await;
    assert_eq!(
        (reply.status, reply.body["target"].as_str()),
        (200, Some("jwt"))
    );
    eventually(Duration::from_secs(1), "AT inactive", || async {
        admin
            .server
            .introspect(&setup.tenant, &setup.client, at)
            .await["active"]
            == false
    })
    .await;
    let (status, _) = admin
        .server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), rt, &[])
        .await;
    assert_eq!(status, 200, "revoking one access token leaves the grant");
    let (tokens, _) = user_tokens(&admin, &setup).await;
    let rt = tokens["refresh_token"].as_str().expect("rt");
    let reply = admin.post(&token, &path, &json!({ "token": rt })).await;
    assert_eq!(
        (reply.status, reply.body["target"].as_str()),
        (200, Some("refresh"))
    );
    let (status, _) = admin
        .server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), rt, &[])
        .await;
    assert_eq!(status, 400);
    let unknown = admin.post(&token, &path, &json!({ "token": "nope" })).await;
    assert_eq!(unknown.status, 404);
    // Another tenant's token is not this tenant's.
    let other = admin.server.web_setup().await;
    let (foreign, _) = user_tokens(&admin, &other).await;
    let reply = admin
        .post(&token, &path, &json!({ "token": foreign["access_token"] }))
        .await;
    assert_eq!(reply.status, 404);
    admin.server.stop().await;
}
