//! Key rotation through the admin API while tokens are being issued
//! (SECURITY.md KEY-02, F-19): the new key is published before it signs,
//! every token verifies against the JWKS served at that moment, and tokens
//! of the old key keep verifying after the switch.

use std::time::{Duration, Instant};

use idp::domain::client::NewClient;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use serde_json::{Value, json};

use crate::support::admin::AdminService;

#[actix_rt::test]
async fn rotation_publishes_first_then_signs_and_old_tokens_still_verify() {
    let admin = AdminService::start_with(|c| {
        c.tenancy.jwks_max_age_secs = 1;
        c.tenancy.staleness_bound_ms = 1000;
    })
    .await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;
    admin.server.api(&tenant).await;
    let client = admin
        .server
        .client(&tenant, NewClient::machine("m", &["read"]))
        .await;
    let jwks_path = format!("/t/{}/jwks.json", tenant.slug);
    let first = admin.server.access_token(&tenant, &client).await;
    let old_kid = decode_header(&first).expect("header").kid.expect("kid");

    let start = Instant::now();
    let mut rotated_kid: Option<String> = None;
    let (mut issued, mut by_new, mut published_first) = (0, 0, None);
    while start.elapsed() < Duration::from_secs(5) {
        if rotated_kid.is_none() && start.elapsed() > Duration::from_millis(300) {
            let reply = admin
                .post(
                    &token,
                    &format!("/v1/tenants/{}/keys/rotate", tenant.slug),
                    &json!({ "alg": "ES256" }),
                )
                .await;
            assert_eq!(reply.status, 200, "{:?}", reply.body);
            rotated_kid = reply.body["items"][0]["kid"].as_str().map(str::to_owned);
        }
        let at = admin.server.access_token(&tenant, &client).await;
        let jwks: JwkSet = admin
            .server
            .get(&jwks_path)
            .await
            .json()
            .await
            .expect("jwks");
        let header = decode_header(&at).expect("header");
        let kid = header.kid.clone().expect("kid");
        let jwk = jwks
            .find(&kid)
            .unwrap_or_else(|| panic!("F-19: {kid} is not in the JWKS served now"));
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[crate::support::oauth::API]);
        decode::<Value>(&at, &DecodingKey::from_jwk(jwk).expect("key"), &validation)
            .expect("verifies");
        issued += 1;
        if let Some(new) = &rotated_kid {
            if published_first.is_none() && jwks.find(new).is_some() {
                published_first = Some(by_new);
            }
            if &kid == new {
                by_new += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        by_new > 0,
        "the new key signs after its delay ({issued} tokens)"
    );
    assert_eq!(
        published_first,
        Some(0),
        "KEY-02: the new key was published before it signed"
    );
    assert!(issued - by_new > 10, "the old key signed meanwhile");
    let jwks: JwkSet = admin
        .server
        .get(&jwks_path)
        .await
        .json()
        .await
        .expect("jwks");
    assert!(
        jwks.find(&old_kid).is_some(),
        "the old key stays until its tokens expire"
    );
    let keys = admin
        .get(&token, &format!("/v1/tenants/{}/keys", tenant.slug))
        .await;
    let text = keys.body.to_string();
    for private in ["\"d\"", "\"p\"", "\"q\"", "private"] {
        assert!(!text.contains(private), "KEY-01: {private} in {text}");
    }
    admin.server.stop().await;
}
