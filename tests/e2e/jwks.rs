//! JWKS contents and key isolation (SECURITY.md KEY-01, KEY-03, KEY-04, X-06).

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::prelude::*;
use idp::store::schema::signing_keys::dsl;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use serde_json::{Value, json};

use crate::support::TestServer;

async fn jwks(server: &TestServer, slug: &str) -> Value {
    let (status, body) = server.get_json(&format!("/t/{slug}/jwks.json")).await;
    assert_eq!(status, 200);
    body
}

#[actix_rt::test]
async fn jwks_holds_public_keys_with_unique_kids() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let body = jwks(&server, tenant.slug.as_str()).await;
    let keys = body["keys"].as_array().expect("keys");
    assert!(keys.len() >= 2);
    let mut kids = HashSet::new();
    let mut algs = HashSet::new();
    for key in keys {
        for private in ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] {
            assert!(
                key.get(private).is_none(),
                "private member {private} in {key}"
            );
        }
        assert!(
            kids.insert(key["kid"].as_str().expect("kid").to_owned()),
            "duplicate kid"
        );
        algs.insert(key["alg"].as_str().expect("alg").to_owned());
        assert_eq!(key["use"], "sig");
        if key["kty"] == "RSA" {
            let n = URL_SAFE_NO_PAD
                .decode(key["n"].as_str().expect("n"))
                .expect("b64");
            assert!(n.len() * 8 >= 2048, "RSA modulus of {} bits", n.len() * 8);
        }
    }
    assert!(algs.contains("RS256") && algs.contains("ES256"), "{algs:?}");
    // The whole document parses as a JWK set.
    serde_json::from_value::<JwkSet>(body).expect("valid JWK set");
}

#[actix_rt::test]
async fn jwks_is_cacheable_and_revalidates() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let path = format!("/t/{}/jwks.json", tenant.slug);
    let response = server.get(&path).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let cache = headers["cache-control"].to_str().expect("ascii");
    assert!(
        cache.contains("max-age=") && cache.contains("public"),
        "{cache}"
    );
    let etag = headers["etag"].to_str().expect("ascii").to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert!(
        headers["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/jwk-set+json")
    );

    let client = reqwest::Client::new();
    let url = format!("{}{path}", server.url);
    let revalidated = client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(revalidated.status(), 304);
    assert_eq!(revalidated.headers()["etag"].to_str().expect("ascii"), etag);
    let other = client
        .get(&url)
        .header("if-none-match", "\"something-else\"")
        .send()
        .await
        .expect("sent");
    assert_eq!(other.status(), 200);
}

#[actix_rt::test]
async fn tenants_share_no_keys_and_verify_only_their_own_tokens() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    let jwks_a: JwkSet = serde_json::from_value(jwks(&server, a.slug.as_str()).await).expect("set");
    let jwks_b: JwkSet = serde_json::from_value(jwks(&server, b.slug.as_str()).await).expect("set");
    let kids_a: HashSet<_> = jwks_a
        .keys
        .iter()
        .filter_map(|k| k.common.key_id.clone())
        .collect();
    let kids_b: HashSet<_> = jwks_b
        .keys
        .iter()
        .filter_map(|k| k.common.key_id.clone())
        .collect();
    assert!(kids_a.is_disjoint(&kids_b));

    // A token signed with A's key but claiming B's issuer.
    let ring_a = idp::tenants::load_state(server.platform(), &a.slug, None)
        .await
        .expect("load")
        .expect("tenant a")
        .keys;
    let now = server.platform().clock.now_secs();
    for alg in idp::crypto::keys::SigningAlg::ALL {
        let signer = ring_a
            .signer(alg, now)
            .expect("A signs with every algorithm");
        let forged = signer
            .sign_jwt(
                "JWT",
                &json!({"iss": server.issuer(&b), "sub": "x", "exp": now + 60}),
            )
            .expect("signed");
        let kid = decode_header(&forged).expect("header").kid.expect("kid");

        assert!(
            jwks_b.find(&kid).is_none(),
            "B's JWKS must not know A's kid"
        );
        let key_a =
            DecodingKey::from_jwk(jwks_a.find(&kid).expect("A publishes its kid")).expect("key");
        let mut validation = Validation::new(decode_header(&forged).expect("header").alg);
        validation.set_issuer(&[server.issuer(&b)]);
        decode::<Value>(&forged, &key_a, &validation).expect("verifies with A's own key");
        for jwk in &jwks_b.keys {
            let Ok(key_b) = DecodingKey::from_jwk(jwk) else {
                continue;
            };
            let mut v = Validation::new(jsonwebtoken::Algorithm::ES256);
            v.algorithms = vec![
                jsonwebtoken::Algorithm::ES256,
                jsonwebtoken::Algorithm::RS256,
            ];
            assert!(
                decode::<Value>(&forged, &key_b, &v).is_err(),
                "B's keys must reject it"
            );
        }
    }
}

#[actix_rt::test]
async fn private_keys_are_ciphertext_at_rest() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let tenant_id = tenant.id.to_string();
    let rows: Vec<(String, Vec<u8>)> = server
        .platform()
        .db
        .run(move |conn| {
            Ok(dsl::signing_keys
                .filter(dsl::tenant_id.eq(tenant_id))
                .select((dsl::alg, dsl::private_key))
                .load(conn)?)
        })
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);
    for (alg, stored) in rows {
        let text = String::from_utf8_lossy(&stored);
        assert!(!text.contains("BEGIN"), "{alg}: looks like PEM");
        assert!(
            serde_json::from_slice::<Value>(&stored).is_err(),
            "{alg}: parses as JSON"
        );
        // Not PKCS#8 DER either: neither key type parses from the stored bytes.
        assert!(
            aws_lc_rs::rsa::KeyPair::from_pkcs8(&stored).is_err(),
            "{alg}: RSA PKCS#8"
        );
        assert!(
            aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(
                &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                &stored
            )
            .is_err(),
            "{alg}: EC PKCS#8"
        );
    }
}

#[actix_rt::test]
async fn a_reload_reuses_parsed_keys_only_when_they_are_unchanged() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    let load = |slug, known| idp::tenants::load_state(server.platform(), slug, known);
    let first = load(&a.slug, None).await.expect("load").expect("a").keys;
    let again = load(&a.slug, Some(first.clone()))
        .await
        .expect("load")
        .expect("a")
        .keys;
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "same keys: the parsed ring is reused"
    );
    let foreign = load(&b.slug, None).await.expect("load").expect("b").keys;
    let fresh = load(&a.slug, Some(foreign.clone()))
        .await
        .expect("load")
        .expect("a")
        .keys;
    assert!(
        !std::sync::Arc::ptr_eq(&foreign, &fresh),
        "other keys: parsed anew"
    );
    assert_eq!(fresh.schedule(), first.schedule());
}
