//! Code and token values: codes are unique with at least 160 bits, guessing
//! them is throttled, and access and refresh tokens stay in their charset with
//! enough entropy (SECURITY.md COD-08/09, TOK-07).

use std::collections::HashSet;

use idp::domain::client::{AuthMethod, TokenFormat};

use super::{SCOPE, claims, code_for};
use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::{CALLBACK, CHALLENGE, VERIFIER};

/// Bits a string of `len` characters over an alphabet of `size` can carry.
fn bits(len: usize, size: f64) -> f64 {
    len as f64 * size.log2()
}

/// Alphabet size of `values` as base64url (64), or their distinct characters.
fn alphabet(values: &[String]) -> f64 {
    let b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if values.iter().all(|v| v.chars().all(b64)) {
        64.0
    } else {
        let distinct: HashSet<char> = values.iter().flat_map(|v| v.chars()).collect();
        distinct.len() as f64
    }
}

#[actix_rt::test]
async fn codes_are_unique_and_carry_at_least_160_bits() {
    // COD-08: 500 codes.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    code_for(&browser, &setup.tenant, &setup.client.id).await;
    let params = [
        ("response_type", "code"),
        ("redirect_uri", CALLBACK),
        ("client_id", setup.client.id.as_str()),
        ("scope", SCOPE),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let mut codes = Vec::new();
    for _ in 0..500 {
        let page = browser.authorize(&setup.tenant, &params).await;
        assert_eq!(page.status, 302, "{}", page.body);
        codes.push(page.location_query()["code"].clone());
    }
    let distinct: HashSet<&String> = codes.iter().collect();
    assert_eq!(distinct.len(), 500, "COD-08: all distinct");
    let shortest = codes.iter().map(String::len).min().expect("codes");
    let entropy = bits(shortest, alphabet(&codes));
    assert!(entropy >= 160.0, "COD-08: {entropy} bits");
}

#[actix_rt::test]
async fn guessing_codes_is_throttled() {
    // COD-09: random codes from one client end in 429 with Retry-After.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let mut throttled_at = None;
    for i in 0..60 {
        let guess = idp::crypto::b64url(&uuid::Uuid::new_v4().into_bytes());
        let (status, headers, body) = server
            .post_form(
                &format!("/t/{}/token", setup.tenant.slug),
                Auth::Basic(&setup.client),
                &[
                    ("grant_type", "authorization_code"),
                    ("code", guess.as_str()),
                    ("redirect_uri", CALLBACK),
                    ("code_verifier", VERIFIER),
                ],
            )
            .await;
        if status == 429 {
            let retry_after = headers
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            assert!(
                retry_after.is_some_and(|s| s > 0),
                "COD-09 Retry-After: {headers:?}"
            );
            // The block ends with its fixed window, so later requests may
            // pass again: the first 429 is what this row asks for.
            throttled_at = Some(i);
            break;
        }
        assert_eq!(status, 400, "COD-09: {body}");
        assert_eq!(body["error"], "invalid_grant", "COD-09");
    }
    let at = throttled_at.expect("COD-09: guessing is throttled within 60 requests");
    // 21 failures block; a counting window may roll over once meanwhile.
    assert!(at <= 45, "COD-09: throttled after {at} guesses");
}

#[actix_rt::test]
async fn access_and_refresh_tokens_stay_in_their_charset_with_enough_entropy() {
    // TOK-07: 50 of each kind (JWT and opaque access tokens, refresh tokens).
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let opaque = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |c| {
            c.token_format = TokenFormat::Opaque;
        })
        .await;
    let browser = server.browser();
    let vschar =
        |v: &String| !v.is_empty() && v.chars().all(|c| ('\u{20}'..='\u{7E}').contains(&c));
    let mut refresh_tokens = Vec::new();
    for client in [&setup.client, &opaque] {
        let code = code_for(&browser, tenant, &client.id).await;
        let (status, mut tokens) = server
            .redeem(tenant, Auth::Basic(client), &code, Some(VERIFIER))
            .await;
        assert_eq!(status, 200, "{tokens}");
        let mut access_tokens = Vec::new();
        for _ in 0..25 {
            let rt = tokens["refresh_token"].as_str().expect("rt").to_owned();
            access_tokens.push(tokens["access_token"].as_str().expect("at").to_owned());
            refresh_tokens.push(rt.clone());
            let (status, next) = server.refresh(tenant, Auth::Basic(client), &rt, &[]).await;
            assert_eq!(status, 200, "{next}");
            tokens = next;
        }
        assert!(access_tokens.iter().all(vschar), "TOK-07 AT charset");
        let distinct: HashSet<&String> = access_tokens.iter().collect();
        assert_eq!(distinct.len(), access_tokens.len(), "TOK-07 AT distinct");
        let random: Vec<String> = if client.id == opaque.id {
            access_tokens.clone()
        } else {
            // A JWT's unpredictable part is its `jti`.
            access_tokens
                .iter()
                .map(|t| claims(t)["jti"].as_str().expect("jti").to_owned())
                .collect()
        };
        let distinct: HashSet<&String> = random.iter().collect();
        assert_eq!(distinct.len(), random.len(), "TOK-07 distinct");
        let shortest = random.iter().map(String::len).min().expect("tokens");
        let entropy = bits(shortest, alphabet(&random));
        assert!(entropy >= 128.0, "TOK-07 AT entropy {entropy}");
    }
    assert_eq!(refresh_tokens.len(), 50);
    assert!(refresh_tokens.iter().all(vschar), "TOK-07 RT charset");
    let distinct: HashSet<&String> = refresh_tokens.iter().collect();
    assert_eq!(distinct.len(), 50, "TOK-07 RT distinct");
    let shortest = refresh_tokens.iter().map(String::len).min().expect("rts");
    let entropy = bits(shortest, alphabet(&refresh_tokens));
    assert!(entropy >= 160.0, "TOK-07 RT entropy {entropy}");
}
