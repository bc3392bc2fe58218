//! The authorization code grant over HTTP (SECURITY.md B and C: PKCE, code
//! single use and bindings, ID tokens, token values, and the cross-tenant
//! row X-02).
//!
//! Decided behaviour (PKC-04): a code is taken before its bindings are checked,
//! so a redemption with a wrong or missing `code_verifier` burns the code; the
//! replay that follows revokes nothing unless it proves itself (COD-03).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use idp::clock::Clock;
use idp::crypto::keys::SigningAlg;
use idp::domain::client::{AuthMethod, TokenFormat};
use idp::domain::policy::TenantPolicy;
use idp::domain::tenant::{NewTenant, Tenant};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::oauth::{Auth, Creds, assert_error_shape, basic};
use crate::support::signin::{Browserless, CALLBACK, CHALLENGE, VERIFIER, query_of};
use crate::support::{Backend, DataDir, TestServer, random_slug, test_config};

/// Scopes of every flow here.
const SCOPE: &str = "openid offline_access read";
/// A second registered redirect URI.
const OTHER_CALLBACK: &str = "https://app.example.test/other";

/// The claims of a JWT, unverified.
pub(crate) fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64"),
    )
    .expect("json")
}

/// A tenant of `server` created with `policy`.
pub(crate) async fn tenant_with(server: &TestServer, policy: TenantPolicy) -> Tenant {
    idp::tenants::create(
        server.platform(),
        NewTenant {
            policy,
            ..NewTenant::new(random_slug("t"), "Test tenant")
        },
    )
    .await
    .expect("tenant created")
}

/// A code for `client_id` with PKCE ([`CHALLENGE`]), signing in as alice and
/// approving consent when asked.
pub(crate) async fn code_for(browser: &Browserless, tenant: &Tenant, client_id: &str) -> String {
    code_with(
        browser,
        tenant,
        &[
            ("client_id", client_id),
            ("scope", SCOPE),
            ("state", "s"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await
}

/// A code for the authorization request `params` (without `response_type`
/// and `redirect_uri`).
pub(crate) async fn code_with(
    browser: &Browserless,
    tenant: &Tenant,
    params: &[(&str, &str)],
) -> String {
    let callback = browser.code_flow(tenant, params, "alice").await;
    callback
        .get("code")
        .cloned()
        .unwrap_or_else(|| panic!("a code: {callback:?}"))
}

/// Status and JSON of `token` at `{issuer}/userinfo`.
pub(crate) async fn userinfo(server: &TestServer, tenant: &Tenant, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/userinfo", server.issuer(tenant)))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

/// Asserts `(status, body)` is 400 `invalid_grant`.
#[track_caller]
fn assert_invalid_grant(result: &(u16, Value), row: &str) {
    assert_eq!(result.0, 400, "{row}: {}", result.1);
    assert_eq!(result.1["error"], "invalid_grant", "{row}: {}", result.1);
}

/// POSTs `form` to `{base}{path}` with Basic `creds`; checks the RFC 6749
/// error shape. For a server whose public URL is not its own address.
async fn post_at(base: &str, path: &str, creds: &Creds, form: &[(&str, &str)]) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("authorization", basic(&creds.id, &creds.secret))
        .form(form)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status >= 400 {
        assert_error_shape(status, &headers, &body);
    }
    (status, body)
}

/// Sends the same `POST {path}` form to each address of `targets` at once:
/// every request is written except its last byte, then all last bytes go
/// together. Returns status and body text of each response.
pub(crate) async fn race(
    targets: &[String],
    path: &str,
    authorization: &str,
    form: &[(&str, &str)],
) -> Vec<(u16, String)> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let barrier = Arc::new(tokio::sync::Barrier::new(targets.len()));
    let mut tasks = Vec::new();
    for addr in targets {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        let barrier = barrier.clone();
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(&addr)
                .await
                .expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let (head, last) = request.as_bytes().split_at(request.len() - 1);
            stream.write_all(head).await.expect("write");
            stream.flush().await.expect("flush");
            barrier.wait().await;
            stream.write_all(last).await.expect("write");
            let mut response = Vec::new();
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
                .await
                .expect("answered in time")
                .expect("read");
            parse_response(&String::from_utf8_lossy(&response))
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}

/// Status and (de-chunked) body of a raw HTTP/1.1 response.
fn parse_response(text: &str) -> (u16, String) {
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return (status, body.to_owned());
    }
    let mut rest = body;
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    (status, out)
}

// ---------------------------------------------------------------- PKCE

#[actix_rt::test]
async fn the_token_endpoint_requires_the_right_code_verifier() {
    // PKC-04: no verifier and a wrong verifier both give invalid_grant; a
    // failed redemption burns the code (decided, see the module doc).
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let auth = || Auth::Basic(&setup.client);

    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let missing = server.redeem(&setup.tenant, auth(), &code, None).await;
    assert_invalid_grant(&missing, "PKC-04 no code_verifier");
    let after = server
        .redeem(&setup.tenant, auth(), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&after, "PKC-04 a failed redemption burns the code");

    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let wrong = "wrongwrongwrongwrongwrongwrongwrongwrongwrong";
    let result = server
        .redeem(&setup.tenant, auth(), &code, Some(wrong))
        .await;
    assert_invalid_grant(&result, "PKC-04 wrong code_verifier");

    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let (status, body) = server
        .redeem(&setup.tenant, auth(), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "PKC-04 the right verifier: {body}");
}

#[actix_rt::test]
async fn a_verifier_shorter_than_43_characters_is_refused_even_if_it_matches() {
    // PKC-05: the challenge is S256 of a 42-character verifier.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let short = &VERIFIER[..42];
    let challenge = idp::crypto::b64url(&idp::crypto::sha256(short.as_bytes()));
    assert_eq!(challenge.len(), 43);
    let code = code_with(
        &browser,
        &setup.tenant,
        &[
            ("client_id", setup.client.id.as_str()),
            ("scope", SCOPE),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let (status, body) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &code,
            Some(short),
        )
        .await;
    assert_eq!(status, 400, "PKC-05: {body}");
    assert!(
        body["error"] == "invalid_grant" || body["error"] == "invalid_request",
        "PKC-05: {body}"
    );
}

#[actix_rt::test]
async fn a_verifier_for_a_code_issued_without_a_challenge_is_refused() {
    // PKC-06: PKCE downgrade, on a tenant that relaxes PKCE for confidential clients.
    let server = TestServer::start().await;
    let tenant = tenant_with(
        &server,
        TenantPolicy {
            require_pkce_for_confidential: false,
            ..TenantPolicy::default()
        },
    )
    .await;
    server.api(&tenant).await;
    server.user(&tenant, "alice").await;
    let client = server
        .web_client(&tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let browser = server.browser();
    // Relaxed PKCE holds only with nonce assurance: an OpenID request with a nonce.
    let without = [
        ("client_id", client.id.as_str()),
        ("scope", SCOPE),
        ("nonce", "n-relaxed"),
    ];
    let refused = browser
        .authorize(
            &tenant,
            &[
                ("response_type", "code"),
                ("redirect_uri", CALLBACK),
                ("client_id", client.id.as_str()),
                ("scope", SCOPE),
            ],
        )
        .await;
    let refused_at = refused.location.clone().expect("an error redirect");
    assert_eq!(
        query_of(&refused_at).get("error").map(String::as_str),
        Some("invalid_request"),
        "PKC-08: no challenge and no nonce"
    );

    let code = code_with(&browser, &tenant, &without).await;
    let result = server
        .redeem(&tenant, Auth::Basic(&client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&result, "PKC-06 a verifier for a code without a challenge");

    // The relaxed flow itself works when no verifier is sent.
    let code = code_with(&browser, &tenant, &without).await;
    let (status, body) = server
        .redeem(&tenant, Auth::Basic(&client), &code, None)
        .await;
    assert_eq!(status, 200, "PKC-06 relaxed policy, no PKCE: {body}");
}

#[actix_rt::test]
async fn the_challenge_itself_is_not_accepted_as_the_verifier() {
    // PKC-07: plain-style downgrade at the token endpoint.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let result = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &code,
            Some(CHALLENGE),
        )
        .await;
    assert_invalid_grant(&result, "PKC-07");
}

// ---------------------------------------------------------------- codes

#[actix_rt::test]
async fn a_code_is_redeemed_only_once() {
    // COD-01.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let (status, body) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &code,
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let response = reqwest::Client::new()
        .post(format!("{}/token", server.issuer(&setup.tenant)))
        .header(
            "authorization",
            basic(&setup.client.id, &setup.client.secret),
        )
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 400, "COD-01");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "COD-01: {content_type}"
    );
    let body: Value = response.json().await.expect("COD-01: a JSON body");
    assert_eq!(body["error"], "invalid_grant", "COD-01");
    let description = body["error_description"].as_str().unwrap_or_default();
    assert!(
        !description.contains(['\r', '\n', '\t']),
        "COD-01: {description:?}"
    );
}

#[actix_rt::test]
async fn a_proven_code_replay_revokes_the_tokens_it_produced() {
    // COD-02: the replay comes from the right client with the right verifier.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let browser = server.browser();
    let code = code_for(&browser, tenant, &setup.client.id).await;
    let (status, tokens) = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().expect("access_token");
    let refresh = tokens["refresh_token"].as_str().expect("refresh_token");
    assert_eq!(
        server.introspect(tenant, &introspector, access).await["active"],
        true
    );
    assert_eq!(userinfo(&server, tenant, access).await, 200);

    tokio::time::sleep(Duration::from_secs(1)).await;
    let replay = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&replay, "COD-02 replay");

    assert_eq!(
        server.introspect(tenant, &introspector, access).await["active"],
        false,
        "COD-02: the first access token is revoked"
    );
    let again = server
        .refresh(tenant, Auth::Basic(&setup.client), refresh, &[])
        .await;
    assert_invalid_grant(&again, "COD-02: the first refresh token is revoked");
    assert_eq!(
        userinfo(&server, tenant, access).await,
        401,
        "COD-02: userinfo refuses the revoked access token"
    );
}

#[actix_rt::test]
async fn an_unproven_code_replay_revokes_nothing() {
    // COD-03: replays with a bad verifier, a bad secret, or another client.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = server.machine(tenant, TokenFormat::Jwt).await;
    let other = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let browser = server.browser();
    let code = code_for(&browser, tenant, &setup.client.id).await;
    let (status, tokens) = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().expect("access_token");

    let wrong = "wrongwrongwrongwrongwrongwrongwrongwrongwrong";
    let bad_verifier = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(wrong))
        .await;
    assert_invalid_grant(&bad_verifier, "COD-03 bad verifier");
    let no_verifier = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, None)
        .await;
    assert_invalid_grant(&no_verifier, "COD-03 no verifier");
    let bad_secret = Creds {
        id: setup.client.id.clone(),
        secret: "not-the-secret".to_owned(),
    };
    let (status, body) = server
        .redeem(tenant, Auth::Basic(&bad_secret), &code, Some(VERIFIER))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "COD-03 bad client authentication: {body}"
    );
    let other_client = server
        .redeem(tenant, Auth::Basic(&other), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&other_client, "COD-03 another client");

    assert_eq!(
        server.introspect(tenant, &introspector, access).await["active"],
        true,
        "COD-03: the access token survives unproven replays"
    );
    assert_eq!(userinfo(&server, tenant, access).await, 200, "COD-03");
    let (status, body) = server
        .refresh(
            tenant,
            Auth::Basic(&setup.client),
            tokens["refresh_token"].as_str().expect("refresh_token"),
            &[],
        )
        .await;
    assert_eq!(status, 200, "COD-03: the refresh token survives: {body}");
}

#[actix_rt::test]
async fn concurrent_redemptions_of_one_code_have_one_winner() {
    // COD-04: 20 requests synchronised on their last byte; on PostgreSQL +
    // Redis split over two server processes sharing them.
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let second = match Backend::from_env() {
        Backend::Services { .. } => Some(TestServer::start_with(&data, |_| {}).await),
        Backend::Embedded => None,
    };
    let setup = first.web_setup().await;
    let tenant = &setup.tenant;
    let introspector = first.machine(tenant, TokenFormat::Jwt).await;
    let browser = first.browser();
    let mut addrs = vec![first.running.addr.to_string()];
    if let Some(second) = &second {
        addrs.push(second.running.addr.to_string());
    }
    let targets: Vec<String> = (0..20).map(|i| addrs[i % addrs.len()].clone()).collect();
    let code = code_for(&browser, tenant, &setup.client.id).await;
    let results = race(
        &targets,
        &format!("/t/{}/token", tenant.slug),
        &basic(&setup.client.id, &setup.client.secret),
        &[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    let winners: Vec<&String> = results
        .iter()
        .filter(|(status, _)| *status == 200)
        .map(|(_, body)| body)
        .collect();
    assert_eq!(winners.len(), 1, "COD-04 exactly one 200: {results:?}");
    for (status, body) in results.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 400, "COD-04: {body}");
        assert!(body.contains("invalid_grant"), "COD-04: {body}");
    }
    // OAuch's criterion: at most one issued access token works afterwards.
    let tokens: Value = serde_json::from_str(winners[0]).expect("JSON");
    let access = tokens["access_token"].as_str().expect("access_token");
    let active = first.introspect(tenant, &introspector, access).await["active"] == true;
    eprintln!("COD-04: the winner's access token is active afterwards: {active}");
    if let Some(second) = second {
        second.stop().await;
    }
}

#[actix_rt::test]
async fn a_code_is_bound_to_its_client() {
    // COD-05: cA2 of the same tenant presents cA's code.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let other = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let browser = server.browser();
    let code = code_for(&browser, &setup.tenant, &setup.client.id).await;
    let result = server
        .redeem(&setup.tenant, Auth::Basic(&other), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&result, "COD-05");
}

#[actix_rt::test]
async fn a_code_is_bound_to_its_redirect_uri() {
    // COD-06.
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let two = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |c| {
            c.redirect_uris.push(OTHER_CALLBACK.to_owned());
        })
        .await;
    let browser = server.browser();
    let token_path = format!("/t/{}/token", tenant.slug);
    let redeem = |code: String, redirect_uri: Option<&'static str>| {
        let server = &server;
        let token_path = &token_path;
        let two = &two;
        async move {
            let mut form = vec![
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("code_verifier", VERIFIER),
            ];
            if let Some(uri) = redirect_uri {
                form.push(("redirect_uri", uri));
            }
            let (status, _, body) = server.post_form(token_path, Auth::Basic(two), &form).await;
            (status, body)
        }
    };

    let code = code_for(&browser, tenant, &two.id).await;
    let other = redeem(code, Some(OTHER_CALLBACK)).await;
    assert_invalid_grant(&other, "COD-06 another registered redirect_uri");
    let code = code_for(&browser, tenant, &two.id).await;
    let omitted = redeem(code, None).await;
    assert_invalid_grant(&omitted, "COD-06 redirect_uri omitted though sent");
    let code = code_for(&browser, tenant, &two.id).await;
    let (status, body) = redeem(code, Some(CALLBACK)).await;
    assert_eq!(status, 200, "COD-06 the same redirect_uri: {body}");

    // A client with one registered URI that never sends it (OAuth 2.1) passes;
    // OpenID requests must send it (OIDC Core §3.1.2.1), so this one is plain OAuth.
    code_for(&browser, tenant, &setup.client.id).await;
    let page = browser
        .authorize(
            tenant,
            &[
                ("response_type", "code"),
                ("client_id", setup.client.id.as_str()),
                ("scope", "read"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
    let location = page.location.clone().expect("COD-06: a redirect");
    assert!(location.starts_with(CALLBACK), "COD-06: {location}");
    let code = query_of(&location)["code"].clone();
    let (status, _, body) = server
        .post_form(
            &token_path,
            Auth::Basic(&setup.client),
            &[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(status, 200, "COD-06 never sent, never required: {body}");
}

#[actix_rt::test]
async fn an_expired_code_is_refused() {
    // COD-07: tenant code TTL 2 s, redeemed 3 s later.
    let data = DataDir::new();
    let clock = Clock::default();
    let server = TestServer::start_config(&data, test_config(&data), clock.clone()).await;
    assert!(
        TenantPolicy::default().code_ttl_secs <= 60,
        "COD-07 default TTL"
    );
    let tenant = tenant_with(
        &server,
        TenantPolicy {
            code_ttl_secs: 2,
            ..TenantPolicy::default()
        },
    )
    .await;
    server.api(&tenant).await;
    server.user(&tenant, "alice").await;
    let client = server
        .web_client(&tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let browser = server.browser();
    let code = code_for(&browser, &tenant, &client.id).await;
    clock.advance(Duration::from_secs(3));
    let result = server
        .redeem(&tenant, Auth::Basic(&client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&result, "COD-07");

    // A fresh code inside its lifetime still works.
    let code = code_for(&browser, &tenant, &client.id).await;
    clock.advance(Duration::from_secs(1));
    let (status, body) = server
        .redeem(&tenant, Auth::Basic(&client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "COD-07 within the TTL: {body}");
}

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

// ---------------------------------------------------------------- OIDC

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

// ---------------------------------------------------------------- tokens

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

// ---------------------------------------------------------------- tenants

#[actix_rt::test]
async fn a_code_of_one_tenant_is_refused_at_another_and_still_works_at_home() {
    // X-02 (COD-05 across tenants).
    let server = TestServer::start().await;
    let a = server.web_setup().await;
    let b = server.web_setup().await;
    let browser = server.browser();
    let code = code_for(&browser, &a.tenant, &a.client.id).await;

    let (status, body) = server
        .redeem(&b.tenant, Auth::Basic(&a.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "X-02 cA at B: {body}"
    );
    let with_b = server
        .redeem(&b.tenant, Auth::Basic(&b.client), &code, Some(VERIFIER))
        .await;
    assert_invalid_grant(&with_b, "X-02 cB at B");

    let (status, body) = server
        .redeem(&a.tenant, Auth::Basic(&a.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "X-02: the code still works at A: {body}");
}

// ---------------------------------------------------------------- processes

#[actix_rt::test]
async fn a_flow_started_on_one_process_finishes_on_another() {
    // Two processes behind one public URL sharing PostgreSQL and Redis:
    // authorize and login on the first, consent and redemption on the second.
    let Backend::Services { .. } = Backend::from_env() else {
        eprintln!("the embedded default runs one server process");
        return;
    };
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let public = first.url.clone();
    let second = TestServer::start_with(&data, |c| c.http.public_url = public.clone()).await;
    // `second.url` is the shared public URL; reach the second by its address.
    let second_base = format!("http://{}", second.running.addr);
    assert_ne!(second_base, first.url);
    let rehome = |url: &str| url.replacen(&public, &second_base, 1);

    let setup = first.web_setup().await;
    let tenant = &setup.tenant;
    let browser = first.browser();
    let page = browser
        .authorize(
            tenant,
            &[
                ("response_type", "code"),
                ("redirect_uri", CALLBACK),
                ("client_id", setup.client.id.as_str()),
                ("scope", SCOPE),
                ("state", "two-processes"),
                ("nonce", "n-2"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
    let login = page.location.clone().expect("to the login page");
    assert!(login.contains("/login?"), "{login}");
    let page = browser
        .login(&login, "alice", crate::support::signin::PASSWORD)
        .await;
    let consent = page.location.clone().expect("to the consent page");
    assert!(consent.contains("/consent?"), "{consent}");

    // The cookies are host-only for 127.0.0.1, so the same jar serves both
    // processes; the second process answers the consent page and its post.
    let consent_page = browser.get(&rehome(&absolute(&public, &consent))).await;
    assert_eq!(
        consent_page.status, 200,
        "the second process knows the interaction: {}",
        consent_page.body
    );
    let done = browser
        .post(
            &format!("{second_base}/t/{}/consent", tenant.slug),
            &[
                (
                    "interaction",
                    &consent_page.hidden("interaction").expect("interaction"),
                ),
                ("csrf", &consent_page.hidden("csrf").expect("csrf")),
                ("decision", "approve"),
            ],
        )
        .await;
    let location = done.location.clone().expect("a redirect to the client");
    assert!(location.starts_with(CALLBACK), "{location}");
    let callback = query_of(&location);
    assert_eq!(callback["state"], "two-processes");
    assert_eq!(callback["iss"], first.issuer(tenant));

    let (status, tokens) = post_at(
        &second_base,
        &format!("/t/{}/token", tenant.slug),
        &setup.client,
        &[
            ("grant_type", "authorization_code"),
            ("code", callback["code"].as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "the second process redeems: {tokens}");
    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    assert_eq!(id["sub"].as_str(), Some(setup.user_id.as_str()));
    assert_eq!(id["nonce"], "n-2");
    assert_eq!(id["iss"].as_str(), Some(first.issuer(tenant).as_str()));

    // The code is spent for the first process too.
    let replay = first
        .redeem(
            tenant,
            Auth::Basic(&setup.client),
            &callback["code"],
            Some(VERIFIER),
        )
        .await;
    assert_invalid_grant(&replay, "COD-01 across processes");
    second.stop().await;
}

/// `url` made absolute against `base`.
fn absolute(base: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_owned()
    }
}
