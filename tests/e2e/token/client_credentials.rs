//! The token endpoint with client_credentials (RFC 6749 §4.4, RFC 8707,
//! RFC 9068): SECURITY.md TOK-01..06, TOK-08, CLA-01, CLA-06, KEY-05, RFT-11.

use std::collections::HashSet;

use idp::domain::client::{AuthMethod, NewClient, TokenFormat};
use idp::protocol::params::GrantType;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use serde_json::Value;

use crate::support::TestServer;
use crate::support::oauth::{API, Auth, Creds, basic};

#[actix_rt::test]
async fn jwt_access_token_follows_rfc9068_and_verifies_against_the_jwks() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let creds = server.machine(&tenant, TokenFormat::Jwt).await;

    let (status, body) = server.token(&tenant, &creds, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer", "TOK-08");
    assert!(
        body["expires_in"]
            .as_i64()
            .is_some_and(|e| (1..=900).contains(&e)),
        "TOK-08"
    );
    assert!(body.get("refresh_token").is_none(), "RFT-11");
    assert_eq!(body["scope"], "read write");
    let token = body["access_token"].as_str().expect("token");

    let header = decode_header(token).expect("header");
    assert_eq!(header.typ.as_deref(), Some("at+jwt"), "KEY-05");
    assert_eq!(
        header.alg,
        jsonwebtoken::Algorithm::ES256,
        "ES256 by default"
    );
    let jwks: JwkSet = server
        .get(&format!("/t/{}/jwks.json", tenant.slug))
        .await
        .json()
        .await
        .expect("jwks");
    let jwk = jwks
        .find(header.kid.as_deref().expect("kid"))
        .expect("kid in JWKS");
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[server.issuer(&tenant)]);
    validation.set_audience(&[API]);
    let claims = decode::<Value>(
        token,
        &DecodingKey::from_jwk(jwk).expect("key"),
        &validation,
    )
    .expect("verifies")
    .claims;
    for claim in [
        "iss",
        "exp",
        "aud",
        "sub",
        "client_id",
        "iat",
        "jti",
        "scope",
    ] {
        assert!(claims.get(claim).is_some(), "KEY-05: {claim}");
    }
    assert_eq!(claims["sub"], creds.id);
    assert_eq!(claims["client_id"], creds.id);
    assert_ne!(claims["aud"], creds.id, "aud is never the caller");
}

#[actix_rt::test]
async fn rs256_per_client_and_scope_and_resource_selection() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    server
        .api_with(&tenant, "https://other.example.test", false)
        .await;
    let rs = server
        .client(
            &tenant,
            NewClient {
                access_token_alg: Some(idp::crypto::keys::SigningAlg::RS256),
                ..NewClient::machine("rs", &["read"])
            },
        )
        .await;
    let (status, body) = server.token(&tenant, &rs, &[]).await;
    assert_eq!(status, 200);
    let token = body["access_token"].as_str().expect("token");
    assert_eq!(
        decode_header(token).expect("h").alg,
        jsonwebtoken::Algorithm::RS256
    );
    assert_eq!(body["scope"], "read", "only the client's scopes");

    let (status, body) = server
        .token(&tenant, &rs, &[("resource", "https://other.example.test")])
        .await;
    assert_eq!(status, 200);
    let claims: Value = claims_of(body["access_token"].as_str().expect("t"));
    assert_eq!(claims["aud"], "https://other.example.test");

    let (status, body) = server.token(&tenant, &rs, &[("scope", "write")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let (status, body) = server
        .token(
            &tenant,
            &rs,
            &[("resource", "https://unknown.example.test")],
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target"))
    );
    let (status, body) = server
        .token(
            &tenant,
            &rs,
            &[
                ("resource", API),
                ("resource", "https://other.example.test"),
            ],
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_target"))
    );
}

fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("b64");
    serde_json::from_slice(&bytes).expect("json")
}

#[actix_rt::test]
async fn the_token_endpoint_takes_post_only_and_no_credentials_in_the_uri() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let creds = server.machine(&tenant, TokenFormat::Jwt).await;
    let path = format!("/t/{}/token", tenant.slug);

    // TOK-01
    let get = server
        .get(&format!(
            "{path}?grant_type=client_credentials&client_id={}&client_secret={}",
            creds.id, creds.secret
        ))
        .await;
    assert_eq!(get.status(), 405);
    let body: Value = get.json().await.expect("json");
    assert!(body.get("access_token").is_none());

    // TOK-02
    let client = reqwest::Client::new();
    let response = client
        .post(format!(
            "{}{path}?client_secret={}",
            server.url, creds.secret
        ))
        .header("authorization", basic(&creds.id, &creds.secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "invalid_request");

    // Not a form body.
    let response = client
        .post(format!("{}{path}", server.url))
        .header("authorization", basic(&creds.id, &creds.secret))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
}

#[actix_rt::test]
async fn client_authentication_errors_are_rfc6749_shaped() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let creds = server.machine(&tenant, TokenFormat::Jwt).await;
    let path = format!("/t/{}/token", tenant.slug);
    let grant = [("grant_type", "client_credentials")];

    // TOK-04: bad Basic credentials.
    let wrong = Creds {
        id: creds.id.clone(),
        secret: "wrong".into(),
    };
    let (status, headers, body) = server.post_form(&path, Auth::Basic(&wrong), &grant).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let challenge = headers["www-authenticate"].to_str().expect("ascii");
    assert!(challenge.starts_with("Basic"), "{challenge}");

    // Unknown client, and no credentials at all.
    let unknown = Creds {
        id: "nobody".into(),
        secret: creds.secret.clone(),
    };
    let (status, _, _) = server.post_form(&path, Auth::Basic(&unknown), &grant).await;
    assert_eq!(status, 401);
    let (status, _, body) = server.post_form(&path, Auth::None, &grant).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );

    // Malformed or foreign Authorization headers.
    let client = reqwest::Client::new();
    for header in [
        "Basic !!!",
        "Basic",
        "Basic bm8tY29sb24=",
        "Bearer abc",
        "Digest x",
    ] {
        let response = client
            .post(format!("{}{path}", server.url))
            .header("authorization", header)
            .form(&grant)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 401, "{header}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"], "invalid_client", "{header}");
    }

    // TOK-06: two methods at once.
    let response = client
        .post(format!("{}{path}", server.url))
        .header("authorization", basic(&creds.id, &creds.secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", creds.id.as_str()),
            ("client_secret", creds.secret.as_str()),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "invalid_request");

    // The registered method is enforced: a Basic client using the body.
    let (status, _, body) = server.post_form(&path, Auth::Post(&creds), &grant).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );

    // Other errors are 400 with the RFC 6749 code.
    let (status, _, body) = server
        .post_form(&path, Auth::Basic(&creds), &[("grant_type", "password")])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, _, body) = server.post_form(&path, Auth::Basic(&creds), &[]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _, body) = server
        .post_form(
            &path,
            Auth::Basic(&creds),
            &[
                ("grant_type", "client_credentials"),
                ("scope", "read"),
                ("scope", "write"),
            ],
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "repeated parameter"
    );
}

#[actix_rt::test]
async fn post_method_and_form_encoded_basic_both_work() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let post = server
        .client_with_method(&tenant, AuthMethod::ClientSecretPost)
        .await;
    let path = format!("/t/{}/token", tenant.slug);
    let (status, _, body) = server
        .post_form(
            &path,
            Auth::Post(&post),
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // CLA-06: an id with ':', '%' and '+' authenticates when form-encoded.
    let created = idp::clients::create_with_id(
        server.platform(),
        tenant.id,
        idp::ids::ClientId::new("odd:id%with+chars"),
        NewClient::machine("odd", &["read"]),
    )
    .await
    .expect("created");
    let odd = Creds {
        id: created.client.id.to_string(),
        secret: created.secret.expect("secret").expose().clone(),
    };
    let (status, body) = server.token(&tenant, &odd, &[]).await;
    assert_eq!(status, 200, "{body}");
}

#[actix_rt::test]
async fn generated_secrets_have_256_bits_and_differ() {
    // CLA-01
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let mut seen = HashSet::new();
    for _ in 0..5 {
        let creds = server.machine(&tenant, TokenFormat::Jwt).await;
        assert!(creds.secret.len() >= 43, "{}", creds.secret);
        assert!(
            creds
                .secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert!(seen.insert(creds.secret));
    }
}

#[actix_rt::test]
async fn public_and_disabled_clients_get_no_machine_tokens() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let public = server
        .client(
            &tenant,
            NewClient {
                auth_method: AuthMethod::None,
                grant_types: vec![GrantType::AuthorizationCode],
                redirect_uris: vec!["https://app.example.test/cb".into()],
                ..NewClient::machine("spa", &["read"])
            },
        )
        .await;
    let (status, _, body) = server
        .post_form(
            &format!("/t/{}/token", tenant.slug),
            Auth::None,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", public.id.as_str()),
            ],
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );

    let creds = server.machine(&tenant, TokenFormat::Jwt).await;
    assert_eq!(server.token(&tenant, &creds, &[]).await.0, 200);
    idp::clients::set_enabled(
        server.platform(),
        tenant.id,
        &idp::ids::ClientId::new(creds.id.clone()),
        false,
    )
    .await
    .expect("disabled");
    crate::support::eventually(
        std::time::Duration::from_secs(1),
        "disabled client refused",
        || async { server.token(&tenant, &creds, &[]).await.0 == 401 },
    )
    .await;
}

#[actix_rt::test]
async fn tenant_policy_caps_token_lifetime_and_switches_grants() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let creds = server.machine(&tenant, TokenFormat::Jwt).await;
    assert_eq!(
        server.token(&tenant, &creds, &[]).await.1["expires_in"],
        900
    );

    let short = idp::domain::policy::TenantPolicy {
        access_token_ttl_secs: 60,
        ..idp::domain::policy::TenantPolicy::default()
    };
    idp::tenants::update_policy(server.platform(), tenant.id, short)
        .await
        .expect("policy");
    crate::support::eventually(
        std::time::Duration::from_secs(1),
        "short lifetime applies",
        || async { server.token(&tenant, &creds, &[]).await.1["expires_in"] == 60 },
    )
    .await;

    let closed = idp::domain::policy::TenantPolicy {
        allowed_grants: vec![GrantType::AuthorizationCode],
        ..idp::domain::policy::TenantPolicy::default()
    };
    idp::tenants::update_policy(server.platform(), tenant.id, closed)
        .await
        .expect("policy");
    crate::support::eventually(
        std::time::Duration::from_secs(1),
        "grant switched off",
        || async { server.token(&tenant, &creds, &[]).await.1["error"] == "unauthorized_client" },
    )
    .await;

    let invalid = idp::domain::policy::TenantPolicy {
        code_ttl_secs: 3600,
        ..idp::domain::policy::TenantPolicy::default()
    };
    assert!(matches!(
        idp::tenants::update_policy(server.platform(), tenant.id, invalid).await,
        Err(idp::tenants::TenantError::Policy(_))
    ));
}

#[actix_rt::test]
async fn a_rotated_secret_overlaps_then_only_the_new_one_works() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let old = server.machine(&tenant, TokenFormat::Jwt).await;
    let id = idp::ids::ClientId::new(old.id.clone());
    let secret = idp::clients::rotate_secret(server.platform(), tenant.id, &id, 60)
        .await
        .expect("rotated");
    let new = Creds {
        id: old.id.clone(),
        secret: secret.expose().clone(),
    };
    crate::support::eventually(
        std::time::Duration::from_secs(1),
        "new secret works",
        || async { server.token(&tenant, &new, &[]).await.0 == 200 },
    )
    .await;
    assert_eq!(
        server.token(&tenant, &old, &[]).await.0,
        200,
        "old secret during the overlap"
    );
    server
        .platform()
        .clock
        .advance(std::time::Duration::from_secs(61));
    assert_eq!(
        server.token(&tenant, &old, &[]).await.0,
        401,
        "old secret after the overlap"
    );
    assert_eq!(server.token(&tenant, &new, &[]).await.0, 200);

    // Without overlap the old secret stops at once.
    let newest = idp::clients::rotate_secret(server.platform(), tenant.id, &id, 0)
        .await
        .expect("rotated");
    let newest = Creds {
        id: old.id.clone(),
        secret: newest.expose().clone(),
    };
    crate::support::eventually(
        std::time::Duration::from_secs(1),
        "newest secret works",
        || async { server.token(&tenant, &newest, &[]).await.0 == 200 },
    )
    .await;
    assert_eq!(server.token(&tenant, &new, &[]).await.0, 401);
}

#[actix_rt::test]
async fn repeated_wrong_secrets_block_the_client_for_the_window() {
    // CLA-04
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let target = server.machine(&tenant, TokenFormat::Jwt).await;
    let bystander = server.machine(&tenant, TokenFormat::Jwt).await;
    let wrong = Creds {
        id: target.id.clone(),
        secret: "guess".into(),
    };
    let limit = usize::try_from(idp_server::throttle::MAX_FAILURES).expect("small");
    // Failures count in fixed windows: start at the beginning of one, so the
    // run never straddles two.
    let clock = &server.platform().clock;
    let window_ms = i64::try_from(idp_server::throttle::WINDOW.as_millis()).expect("small");
    let into = clock.now_ms().rem_euclid(window_ms);
    clock.advance(std::time::Duration::from_millis(
        u64::try_from(window_ms - into + 10).expect("positive"),
    ));
    // After MAX_FAILURES failures (as the README says), the next try is 429.
    for _ in 0..limit {
        assert_eq!(server.token(&tenant, &wrong, &[]).await.0, 401);
    }
    assert_eq!(
        server.token(&tenant, &wrong, &[]).await.0,
        429,
        "the try after the limit"
    );
    assert_eq!(
        server.token(&tenant, &target, &[]).await.0,
        429,
        "blocked even with the right secret"
    );
    assert_eq!(
        server.token(&tenant, &bystander, &[]).await.0,
        200,
        "another client is unaffected"
    );

    server
        .platform()
        .clock
        .advance(idp_server::throttle::WINDOW);
    assert_eq!(
        server.token(&tenant, &target, &[]).await.0,
        200,
        "free again after the window"
    );
}
