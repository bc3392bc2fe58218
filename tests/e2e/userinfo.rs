//! The UserInfo endpoint over HTTP (SECURITY.md OID-06, OID-07, OID-09 and
//! the userinfo half of X-04): the token only in the `Authorization` header,
//! per-scope claims, no token-type confusion, no cross-tenant tokens.

use std::collections::BTreeSet;
use std::time::Duration;

use idp::domain::client::TokenFormat;
use idp::domain::tenant::Tenant;
use serde_json::Value;

use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::{Browserless, CHALLENGE, VERIFIER, WebSetup};

/// The decoded payload of a JWT.
fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64"),
    )
    .expect("json")
}

/// Signs alice in through `browser` with `scope` and redeems the code.
async fn tokens(
    server: &TestServer,
    setup: &WebSetup,
    browser: &Browserless,
    scope: &str,
) -> Value {
    let callback = browser
        .code_flow(
            &setup.tenant,
            &[
                ("client_id", setup.client.id.as_str()),
                ("scope", scope),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
            &setup.username,
        )
        .await;
    let (status, body) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &callback["code"],
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn access(tokens: &Value) -> String {
    tokens["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

fn userinfo_url(server: &TestServer, tenant: &Tenant) -> String {
    format!("{}/t/{}/userinfo", server.url, tenant.slug)
}

/// Status, `WWW-Authenticate` and JSON body of a response.
async fn read(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("body");
    (
        status,
        challenge,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// `GET` userinfo with `Authorization: {scheme} {token}`.
async fn get_with(
    server: &TestServer,
    tenant: &Tenant,
    scheme: &str,
    token: &str,
) -> (u16, String, Value) {
    read(
        reqwest::Client::new()
            .get(userinfo_url(server, tenant))
            .header("authorization", format!("{scheme} {token}"))
            .send()
            .await
            .expect("sent"),
    )
    .await
}

/// Asserts an RFC 6750 §3.1 `invalid_token` answer.
fn assert_invalid_token(answer: &(u16, String, Value), what: &str) {
    let (status, challenge, body) = answer;
    assert_eq!(*status, 401, "{what}: {body}");
    assert!(
        challenge.starts_with("Bearer") && challenge.contains("error=\"invalid_token\""),
        "{what}: WWW-Authenticate {challenge:?}"
    );
    assert!(body.get("sub").is_none(), "{what}: no claims");
}

#[actix_rt::test]
async fn userinfo_answers_get_and_post_with_the_bearer_header() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let tokens = tokens(&server, &setup, &browser, "openid profile email").await;
    let at = access(&tokens);
    let id_sub = claims(tokens["id_token"].as_str().expect("id_token"))["sub"].clone();
    assert_eq!(id_sub, setup.user_id.as_str());

    for scheme in ["Bearer", "bearer", "BEARER"] {
        let (status, _, body) = get_with(&server, &setup.tenant, scheme, &at).await;
        assert_eq!(status, 200, "OID-06: GET with scheme {scheme}: {body}");
        assert_eq!(body["sub"], id_sub, "OID-06: sub equals the ID token's");
    }

    let http = reqwest::Client::new();
    let (status, _, body) = read(
        http.post(userinfo_url(&server, &setup.tenant))
            .bearer_auth(&at)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 200, "OID-06: POST with the header: {body}");
    assert_eq!(body["sub"], id_sub, "OID-06");

    // A POST with a form body that carries no token is fine too.
    let (status, _, body) = read(
        http.post(userinfo_url(&server, &setup.tenant))
            .bearer_auth(&at)
            .form(&[("unrelated", "x")])
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 200, "OID-06: POST form with the header: {body}");
    assert_eq!(body["sub"], id_sub, "OID-06");
}

#[actix_rt::test]
async fn userinfo_refuses_bad_revoked_and_expired_tokens() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let browser = server.browser();

    for bad in [
        "not-a-token",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "a.b.c",
    ] {
        let answer = get_with(&server, tenant, "Bearer", bad).await;
        assert_invalid_token(&answer, &format!("OID-06: bad token {bad}"));
    }

    // Revoked.
    let first = access(&tokens(&server, &setup, &browser, "openid profile").await);
    assert_eq!(get_with(&server, tenant, "Bearer", &first).await.0, 200);
    assert_eq!(server.revoke(tenant, &setup.client, &first).await, 200);
    let answer = get_with(&server, tenant, "Bearer", &first).await;
    assert_invalid_token(&answer, "OID-06: revoked access token");

    // Expired: past the default 900 s lifetime.
    let second = access(&tokens(&server, &setup, &browser, "openid profile").await);
    assert_eq!(get_with(&server, tenant, "Bearer", &second).await.0, 200);
    server.platform().clock.advance(Duration::from_secs(901));
    let answer = get_with(&server, tenant, "Bearer", &second).await;
    assert_invalid_token(&answer, "OID-06: expired access token");
}

#[actix_rt::test]
async fn userinfo_refuses_a_token_outside_the_header() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let at = access(&tokens(&server, &setup, &browser, "openid email").await);
    let http = reqwest::Client::new();
    let url = userinfo_url(&server, &setup.tenant);

    let (status, _, body) = read(
        http.get(format!("{url}?access_token={at}"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert!(
        matches!(status, 400 | 401),
        "OID-06: token in the query string is refused: {status} {body}"
    );
    assert!(body.get("sub").is_none(), "OID-06: {body}");

    let (status, _, body) = read(
        http.post(&url)
            .form(&[("access_token", at.as_str())])
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert!(
        matches!(status, 400 | 401),
        "OID-06: token in the form body is refused: {status} {body}"
    );
    assert!(body.get("sub").is_none(), "OID-06: {body}");

    // No token at all: a bare challenge.
    let (status, challenge, _) = read(http.get(&url).send().await.expect("sent")).await;
    assert_eq!(status, 401, "OID-06: no token");
    assert!(challenge.starts_with("Bearer"), "OID-06: {challenge:?}");
}

#[actix_rt::test]
async fn each_scope_releases_exactly_its_claims() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let cases: [(&str, &[&str]); 5] = [
        ("openid", &["sub"]),
        (
            "openid profile",
            &[
                "sub",
                "name",
                "given_name",
                "family_name",
                "locale",
                "preferred_username",
            ],
        ),
        ("openid email", &["sub", "email", "email_verified"]),
        (
            "openid phone",
            &["sub", "phone_number", "phone_number_verified"],
        ),
        ("openid address", &["sub", "address"]),
    ];
    for (scope, expected) in cases {
        let at = access(&tokens(&server, &setup, &browser, scope).await);
        let (status, _, body) = get_with(&server, &setup.tenant, "Bearer", &at).await;
        assert_eq!(status, 200, "{scope}: {body}");
        let got: BTreeSet<&str> = body
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let want: BTreeSet<&str> = expected.iter().copied().collect();
        assert_eq!(got, want, "OID-07: claims of {scope}: {body}");
        match scope {
            "openid profile" => {
                assert_eq!(body["name"], "alice Tester");
                assert_eq!(body["given_name"], "alice");
                assert_eq!(body["family_name"], "Tester");
                assert_eq!(body["locale"], "en");
                assert_eq!(body["preferred_username"], "alice");
            }
            "openid email" => {
                assert_eq!(body["email"], "alice@example.test");
                assert_eq!(body["email_verified"], true);
            }
            "openid phone" => assert_eq!(body["phone_number"], "+15555550100"),
            "openid address" => {
                assert_eq!(body["address"]["formatted"], "1 Test Street, Testville");
            }
            _ => {}
        }
    }
}

#[actix_rt::test]
async fn an_id_token_is_not_an_access_token() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let tokens = tokens(&server, &setup, &browser, "openid profile").await;
    let at = access(&tokens);
    let id_token = tokens["id_token"].as_str().expect("id_token");

    let header = jsonwebtoken::decode_header(&at).expect("the access token is a JWT");
    assert_eq!(header.typ.as_deref(), Some("at+jwt"), "OID-09");
    let id_header = jsonwebtoken::decode_header(id_token).expect("header");
    assert_ne!(id_header.typ.as_deref(), Some("at+jwt"), "OID-09");

    let answer = get_with(&server, &setup.tenant, "Bearer", id_token).await;
    assert_invalid_token(&answer, "OID-09: ID token used as an access token");
    assert_eq!(
        get_with(&server, &setup.tenant, "Bearer", &at).await.0,
        200,
        "the access token itself works"
    );
}

#[actix_rt::test]
async fn another_tenants_access_token_is_invalid_here() {
    let server = TestServer::start().await;
    let a = server.web_setup().await;
    let b = server.web_setup().await;
    let browser = server.browser();
    let at_a = access(&tokens(&server, &a, &browser, "openid profile").await);
    assert_eq!(get_with(&server, &a.tenant, "Bearer", &at_a).await.0, 200);
    let answer = get_with(&server, &b.tenant, "Bearer", &at_a).await;
    assert_invalid_token(&answer, "X-04: A's access token at B's userinfo");
}

#[actix_rt::test]
async fn a_client_credentials_token_gets_no_userinfo() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let machine = server.machine(&tenant, TokenFormat::Jwt).await;
    let at = server.access_token(&tenant, &machine).await;
    let (status, challenge, body) = get_with(&server, &tenant, "Bearer", &at).await;
    assert!(
        matches!(status, 401 | 403),
        "a client_credentials token is refused: {status} {body}"
    );
    assert!(challenge.starts_with("Bearer"), "{challenge:?}");
    assert!(body.get("sub").is_none(), "{body}");
}
