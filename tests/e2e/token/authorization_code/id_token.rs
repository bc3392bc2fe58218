//! ID tokens from the code grant (OIDC Core §3.1.3.6, §3.1.3.7): the nonce,
//! the required claims verified against the JWKS, and `at_hash` (SECURITY.md
//! OID-01/02/04).

use idp::crypto::keys::SigningAlg;
use idp::domain::client::{AuthMethod, TokenFormat};
use idp::domain::tenant::Tenant;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;

use super::{SCOPE, claims, code_for, code_with};
use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::{CHALLENGE, VERIFIER};

#[actix_rt::test]
async fn the_nonce_is_echoed_exactly_and_only_when_sent() {
    // OID-01.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let mut long = String::from("n+/=%&~ ");
    while long.len() < 384 {
        long.push_str("abcdefghijklmnopqrstuvwxyz0123456789-._");
    }
    long.truncate(384);
    for nonce in [Some("n-1"), Some(long.as_str()), None] {
        let mut params = vec![
            ("client_id", setup.client.id.as_str()),
            ("scope", SCOPE),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ];
        if let Some(nonce) = nonce {
            params.push(("nonce", nonce));
        }
        let code = code_with(&browser, &setup.tenant, &params).await;
        let (status, tokens) = server
            .redeem(
                &setup.tenant,
                Auth::Basic(&setup.client),
                &code,
                Some(VERIFIER),
            )
            .await;
        assert_eq!(status, 200, "OID-01: {tokens}");
        let id = claims(tokens["id_token"].as_str().expect("id_token"));
        match nonce {
            Some(nonce) => assert_eq!(id["nonce"].as_str(), Some(nonce), "OID-01"),
            None => assert!(id.get("nonce").is_none(), "OID-01: {id}"),
        }
    }
}

/// Verifies `id_token` against the tenant's JWKS; returns its claims.
async fn verified_id_token(
    server: &TestServer,
    tenant: &Tenant,
    id_token: &str,
    client_id: &str,
    alg: Algorithm,
) -> Value {
    let discovery: Value = server
        .get_json(&format!(
            "/t/{}/.well-known/openid-configuration",
            tenant.slug
        ))
        .await
        .1;
    let issuer = discovery["issuer"].as_str().expect("issuer").to_owned();
    let jwks: JwkSet = reqwest::Client::new()
        .get(discovery["jwks_uri"].as_str().expect("jwks_uri"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("jwks");
    let header = decode_header(id_token).expect("header");
    assert_eq!(header.alg, alg, "OID-02 alg");
    let kid = header.kid.expect("OID-02 kid");
    let jwk = jwks.find(&kid).expect("OID-02: kid found in the JWKS");
    let mut validation = Validation::new(alg);
    validation.set_issuer(&[&issuer]);
    validation.set_audience(&[client_id]);
    let id = decode::<Value>(
        id_token,
        &DecodingKey::from_jwk(jwk).expect("key"),
        &validation,
    )
    .expect("OID-02: the signature verifies")
    .claims;
    assert_eq!(id["iss"].as_str(), Some(issuer.as_str()), "OID-02 iss");
    id
}

#[actix_rt::test]
async fn id_tokens_carry_the_required_claims_and_verify() {
    // OID-02.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let mut subjects = Vec::new();
    for _ in 0..2 {
        // A fresh browser each time: two separate sign-ins.
        let browser = server.browser();
        let code = code_for(&browser, tenant, &setup.client.id).await;
        let (status, tokens) = server
            .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
            .await;
        assert_eq!(status, 200, "{tokens}");
        let id_token = tokens["id_token"].as_str().expect("id_token");
        let id = verified_id_token(
            &server,
            tenant,
            id_token,
            &setup.client.id,
            Algorithm::RS256,
        )
        .await;
        assert_eq!(id["iss"].as_str(), Some(server.issuer(tenant).as_str()));
        let audiences: Vec<&str> = match &id["aud"] {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            other => panic!("OID-02 aud: {other}"),
        };
        assert!(audiences.contains(&setup.client.id.as_str()), "OID-02 aud");
        if audiences.len() > 1 || id.get("azp").is_some() {
            assert_eq!(
                id["azp"].as_str(),
                Some(setup.client.id.as_str()),
                "OID-02 azp"
            );
        }
        let (exp, iat) = (id["exp"].as_i64(), id["iat"].as_i64());
        assert!(exp.expect("exp") > iat.expect("iat"), "OID-02 exp > iat");
        subjects.push(id["sub"].as_str().expect("sub").to_owned());
    }
    assert_eq!(subjects[0], subjects[1], "OID-02 stable sub");
    assert_eq!(subjects[0], setup.user_id);

    let es = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |c| {
            c.id_token_alg = Some(SigningAlg::ES256);
        })
        .await;
    let browser = server.browser();
    let code = code_for(&browser, tenant, &es.id).await;
    let (status, tokens) = server
        .redeem(tenant, Auth::Basic(&es), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{tokens}");
    let id_token = tokens["id_token"].as_str().expect("id_token");
    let id = verified_id_token(&server, tenant, id_token, &es.id, Algorithm::ES256).await;
    assert_eq!(id["sub"].as_str(), Some(subjects[0].as_str()), "OID-02");
}

/// base64url of the left half of SHA-256 of `access_token`, computed here.
fn expected_at_hash(access_token: &str) -> String {
    use base64::Engine;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16])
}

#[actix_rt::test]
async fn the_id_token_at_hash_matches_the_access_token() {
    // OID-04, for JWT and opaque access tokens, at redemption and refresh.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let opaque = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |c| {
            c.token_format = TokenFormat::Opaque;
        })
        .await;
    let browser = server.browser();
    for client in [&setup.client, &opaque] {
        let code = code_for(&browser, tenant, &client.id).await;
        let (status, tokens) = server
            .redeem(tenant, Auth::Basic(client), &code, Some(VERIFIER))
            .await;
        assert_eq!(status, 200, "{tokens}");
        let id = claims(tokens["id_token"].as_str().expect("id_token"));
        let access = tokens["access_token"].as_str().expect("access_token");
        assert_eq!(
            id["at_hash"].as_str(),
            Some(expected_at_hash(access).as_str()),
            "OID-04"
        );
        let (status, next) = server
            .refresh(
                tenant,
                Auth::Basic(client),
                tokens["refresh_token"].as_str().expect("rt"),
                &[],
            )
            .await;
        assert_eq!(status, 200, "{next}");
        let id = claims(next["id_token"].as_str().expect("id_token"));
        let access = next["access_token"].as_str().expect("access_token");
        assert_eq!(
            id["at_hash"].as_str(),
            Some(expected_at_hash(access).as_str()),
            "OID-04 after refresh"
        );
    }
}
