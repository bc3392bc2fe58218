//! The authorization endpoint over HTTP: redirect URI matching and the error
//! page (no open redirector), request errors redirected with `state` and
//! `iss`, PKCE, `prompt` / `max_age` / `id_token_hint`, consent, and tenant
//! isolation (SECURITY.md RDR-*, PKC-*, ISS-*, OID-03/10/11, X-01, X-07).

use std::time::Duration;

use idp::clients::ClientOpError;
use idp::clock::Clock;
use idp::domain::client::{AuthMethod, ClientError, NewClient};
use idp::domain::redirect_uri::RedirectUriError;
use idp::domain::tenant::{NewTenant, Tenant};
use idp::protocol::params::GrantType;
use serde_json::Value;

use crate::support::oauth::Auth;
use crate::support::signin::{
    Browserless, CALLBACK, CHALLENGE, PASSWORD, Page, VERIFIER, query_of,
};
use crate::support::{DataDir, TestServer, random_slug, test_config};

/// The payload of a JWT.
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

/// A valid code request of `client` to [`CALLBACK`], with `extra` appended.
fn request<'a>(client: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", client),
        ("redirect_uri", CALLBACK),
        ("scope", "openid read"),
        ("state", "S"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    params.extend_from_slice(extra);
    params
}

/// `params` with `name` removed.
fn without<'a>(params: &[(&'a str, &'a str)], name: &str) -> Vec<(&'a str, &'a str)> {
    params.iter().filter(|(k, _)| *k != name).copied().collect()
}

/// `params` with `name` set to `value` (replacing any earlier value).
fn with<'a>(
    params: &[(&'a str, &'a str)],
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut out = without(params, name);
    out.push((name, value));
    out
}

/// `url` with `params` as its query.
fn with_query(url: &str, params: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(url).expect("url");
    url.query_pairs_mut().extend_pairs(params);
    url.into()
}

/// The hosted error page: 4xx HTML, never a redirect.
#[track_caller]
fn assert_error_page(page: &Page, what: &str) {
    assert!(
        (400..500).contains(&page.status),
        "{what}: expected an error page, got {} {:?} {}",
        page.status,
        page.location,
        page.body
    );
    assert_eq!(page.location, None, "{what}: an error page never redirects");
    assert!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html")),
        "{what}: an HTML page"
    );
}

/// A 302 to `uri` carrying `error`, `state` and the tenant's `iss`.
#[track_caller]
fn assert_error_redirect(
    page: &Page,
    uri: &str,
    error: &str,
    state: &str,
    issuer: &str,
    what: &str,
) {
    assert_eq!(page.status, 302, "{what}: {} {}", page.status, page.body);
    let location = page.location.as_deref().expect("Location");
    assert!(
        location.starts_with(&format!("{uri}?")),
        "{what}: back to the client: {location}"
    );
    let query = query_of(location);
    assert_eq!(
        query.get("error").map(String::as_str),
        Some(error),
        "{what}: {location}"
    );
    assert_eq!(
        query.get("state").map(String::as_str),
        Some(state),
        "{what}: state"
    );
    assert_eq!(
        query.get("iss").map(String::as_str),
        Some(issuer),
        "{what}: iss"
    );
    assert!(!query.contains_key("code"), "{what}: no code with an error");
}

/// A 302 to this tenant's login page.
#[track_caller]
fn assert_login_redirect(page: &Page, tenant: &Tenant, what: &str) {
    assert_eq!(page.status, 302, "{what}: {} {}", page.status, page.body);
    let location = page.location.as_deref().unwrap_or_default();
    assert!(
        location.starts_with(&format!("/t/{}/login?", tenant.slug)),
        "{what}: to the login page, got {location}"
    );
}

/// Follows login (as `login`) and consent (approving) until the response
/// leaves the server; returns that last response.
async fn follow(browser: &Browserless, mut page: Page, login: &str) -> Page {
    for _ in 0..3 {
        assert!(
            matches!(page.status, 302 | 303),
            "every step redirects: {} {}",
            page.status,
            page.body
        );
        let location = page.location.clone().expect("Location");
        page = if location.starts_with("/t/") && location.contains("/login?") {
            browser.login(&location, login, PASSWORD).await
        } else if location.starts_with("/t/") && location.contains("/consent?") {
            browser.consent(&location, "approve").await
        } else {
            return page;
        };
    }
    panic!("the flow did not leave the server");
}

/// Redeems a callback's code (confidential Basic client, [`VERIFIER`]).
async fn tokens(
    server: &TestServer,
    tenant: &Tenant,
    client: &crate::support::oauth::Creds,
    code: &str,
) -> Value {
    let (status, body) = server
        .redeem(tenant, Auth::Basic(client), code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

// ---------------------------------------------------------------- RDR

#[actix_rt::test]
async fn redirect_uri_is_matched_by_exact_string_comparison() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let client = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |c| {
            c.redirect_uris = vec!["https://c.example/cb".to_owned()];
        })
        .await;
    let browser = server.browser();
    let good = request(&client.id, &[]);
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&good, "redirect_uri", "https://c.example/cb"),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "RDR-01: the registered URI itself");
    for bad in [
        "https://c.example/cb/",
        "https://c.example/CB",
        "https://c.example/cb?x=1",
        "https://c.example/cb#f",
        "https://c.example/cb/../x",
        "https://c.example/cb%2F..%2Fx",
        "https://c.example/cb;/../x",
        "https://c.example.evil/cb",
        "https://c.example@evil/cb",
        "HTTPS://c.example/cb",
        "https://C.EXAMPLE/cb",
        "https://c.example:443/cb",
        "https://c.example/c%62",
        "https://c.example/cb ",
        "https://c.example",
    ] {
        let page = browser
            .authorize(&setup.tenant, &with(&good, "redirect_uri", bad))
            .await;
        assert_error_page(&page, &format!("RDR-01: {bad}"));
    }
}

#[actix_rt::test]
async fn loopback_redirect_uris_may_vary_only_in_port() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let native = server
        .web_client(&setup.tenant, AuthMethod::None, |c| {
            c.redirect_uris = vec!["http://127.0.0.1/cb".to_owned()];
        })
        .await;
    let browser = server.browser();
    let base = request(&native.id, &[]);
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&base, "redirect_uri", "http://127.0.0.1:51234/cb"),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "RDR-02: another port is accepted");
    let last = follow(&browser, page, "alice").await;
    let location = last.location.as_deref().expect("Location");
    assert!(
        location.starts_with("http://127.0.0.1:51234/cb?"),
        "RDR-02: the code goes to the presented port: {location}"
    );
    assert!(query_of(location).contains_key("code"));
    for bad in [
        "http://127.0.0.1:51234/cb2",
        "http://127.0.0.1:51234/CB",
        "http://127.0.0.1:51234/cb/",
        "http://localhost:51234/cb",
        "http://127.0.0.2:51234/cb",
        "https://127.0.0.1:51234/cb",
    ] {
        let page = browser
            .authorize(&setup.tenant, &with(&base, "redirect_uri", bad))
            .await;
        assert_error_page(&page, &format!("RDR-02: {bad}"));
    }
}

#[actix_rt::test]
async fn insecure_http_and_fragment_redirect_uris_cannot_be_registered() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    for (uri, method, expected) in [
        (
            "http://app.example/cb",
            AuthMethod::ClientSecretBasic,
            RedirectUriError::InsecureHttp,
        ),
        (
            "http://app.example/cb",
            AuthMethod::None,
            RedirectUriError::InsecureHttp,
        ),
        (
            "http://localhost/cb",
            AuthMethod::ClientSecretBasic,
            RedirectUriError::InsecureHttp,
        ),
        (
            "https://c.example/cb#x",
            AuthMethod::ClientSecretBasic,
            RedirectUriError::Fragment,
        ),
        (
            "https://c.example/cb#",
            AuthMethod::None,
            RedirectUriError::Fragment,
        ),
    ] {
        let new = NewClient::web("App", method, &[CALLBACK, uri], &["read"]);
        let result = idp::clients::create(server.platform(), tenant.id, new).await;
        assert!(
            matches!(
                &result,
                Err(ClientOpError::Invalid(ClientError::RedirectUri(e))) if *e == expected
            ),
            "RDR-03/RDR-04: {uri} must be refused with {expected:?}, got {result:?}"
        );
    }
}

#[actix_rt::test]
async fn a_bad_client_or_redirect_uri_gets_an_error_page_and_no_redirect() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let good = request(&setup.client.id, &[]);

    // (i) Unknown client naming an attacker's URI.
    let unknown = with(&good, "client_id", "no-such-client");
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&unknown, "redirect_uri", "https://evil"),
        )
        .await;
    assert_error_page(&page, "RDR-05 (i): unknown client_id");
    assert!(!page.body.contains("evil"), "RDR-05: no link to evil");

    // (ii) Known client, unregistered URI.
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&good, "redirect_uri", "https://evil/cb"),
        )
        .await;
    assert_error_page(&page, "RDR-05 (ii): unregistered redirect_uri");
    assert!(!page.body.contains("evil"), "RDR-05: no link to evil");

    // No client_id at all, and a client_id sent twice.
    let page = browser
        .authorize(&setup.tenant, &without(&good, "client_id"))
        .await;
    assert_error_page(&page, "RDR-05: missing client_id");
    let mut twice = good.clone();
    twice.push(("client_id", "no-such-client"));
    let page = browser.authorize(&setup.tenant, &twice).await;
    assert_error_page(&page, "RDR-05: client_id sent twice");

    // Even a request error that would otherwise be redirected stays on the
    // page when the redirect URI is bad.
    let bad_scope = with(&good, "scope", "nope");
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&bad_scope, "redirect_uri", "https://evil/cb"),
        )
        .await;
    assert_error_page(&page, "RDR-05: invalid scope with an unregistered URI");

    // A disabled client is unknown too.
    idp::clients::set_enabled(
        server.platform(),
        setup.tenant.id,
        &idp::ids::ClientId::new(setup.client.id.as_str()),
        false,
    )
    .await
    .expect("disabled");
    crate::support::eventually(Duration::from_secs(5), "RDR-05: disabled client", || {
        let browser = &browser;
        let tenant = &setup.tenant;
        let good = &good;
        async move {
            let page = browser.authorize(tenant, good).await;
            page.status == 400 && page.location.is_none()
        }
    })
    .await;
}

#[actix_rt::test]
async fn redirect_uri_is_required_when_several_are_registered() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let two = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |c| {
            c.redirect_uris
                .push("https://app.example.test/cb2".to_owned());
        })
        .await;
    let browser = server.browser();
    let page = browser
        .authorize(
            &setup.tenant,
            &without(&request(&two.id, &[]), "redirect_uri"),
        )
        .await;
    assert_error_page(&page, "RDR-06: two URIs, none named");
    // With one registered URI a plain OAuth request may omit it...
    let oauth_only = with(&request(&setup.client.id, &[]), "scope", "read");
    let page = browser
        .authorize(&setup.tenant, &without(&oauth_only, "redirect_uri"))
        .await;
    assert_login_redirect(&page, &setup.tenant, "RDR-06: the only URI is implied");
    // ...but an OpenID request must name it (OIDC Core §3.1.2.1).
    let page = browser
        .authorize(
            &setup.tenant,
            &without(&request(&setup.client.id, &[]), "redirect_uri"),
        )
        .await;
    assert_error_page(&page, "OpenID request without redirect_uri");
}

#[actix_rt::test]
async fn request_errors_go_back_to_the_client_with_state_and_iss() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    let browser = server.browser();
    let good = request(&setup.client.id, &[]);

    let page = browser
        .authorize(&setup.tenant, &with(&good, "scope", "openid nope"))
        .await;
    assert_error_redirect(&page, CALLBACK, "invalid_scope", "S", &issuer, "RDR-07");

    // RDR-09: unknown parameters are ignored; a repeated one is refused.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("extra", "foo")]),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "RDR-09: unknown parameter ignored");
    let mut repeated = good.clone();
    repeated.push(("scope", "write"));
    let page = browser.authorize(&setup.tenant, &repeated).await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_request",
        "S",
        &issuer,
        "RDR-09: scope twice",
    );
    let mut repeated = good.clone();
    repeated.push(("code_challenge", CHALLENGE));
    let page = browser.authorize(&setup.tenant, &repeated).await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_request",
        "S",
        &issuer,
        "RDR-09: code_challenge twice",
    );

    // RDR-10: missing or unsupported response_type.
    let page = browser
        .authorize(&setup.tenant, &without(&good, "response_type"))
        .await;
    assert_eq!(page.status, 302, "RDR-10: {}", page.body);
    let query = page.location_query();
    assert!(
        matches!(
            query.get("error").map(String::as_str),
            Some("invalid_request" | "unsupported_response_type")
        ),
        "RDR-10: {query:?}"
    );
    assert_eq!(query.get("state").map(String::as_str), Some("S"), "RDR-10");
    assert_eq!(query.get("iss"), Some(&issuer), "RDR-10");
    let page = browser
        .authorize(&setup.tenant, &with(&good, "response_type", "foo"))
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "unsupported_response_type",
        "S",
        &issuer,
        "RDR-10: response_type=foo",
    );
}

#[actix_rt::test]
async fn implicit_and_password_grants_are_refused_while_the_tenant_switch_is_off() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    assert!(!setup.tenant.policy.implicit_enabled, "RDR-11: default off");
    assert!(
        !setup.tenant.policy.password_grant_enabled,
        "RDR-11: default off"
    );
    let issuer = server.issuer(&setup.tenant);
    // A client that is itself registered for the password grant: only the
    // tenant switch stands in the way.
    let legacy = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |c| {
            c.grant_types.push(GrantType::Password);
        })
        .await;
    let browser = server.browser();
    for response_type in ["token", "id_token token", "id_token", "code token"] {
        let page = browser
            .authorize(
                &setup.tenant,
                &with(
                    &request(&legacy.id, &[("nonce", "n")]),
                    "response_type",
                    response_type,
                ),
            )
            .await;
        assert_error_redirect(
            &page,
            CALLBACK,
            "unsupported_response_type",
            "S",
            &issuer,
            &format!("RDR-11: response_type={response_type}"),
        );
        let location = page.location.as_deref().unwrap_or_default();
        assert!(
            !location.contains("access_token") && !location.contains('#'),
            "RDR-11: no token in the front channel: {location}"
        );
    }
    for client in [&legacy, &setup.client] {
        let (status, _, body) = server
            .post_form(
                &format!("/t/{}/token", setup.tenant.slug),
                Auth::Basic(client),
                &[
                    ("grant_type", "password"),
                    ("username", "alice"),
                    ("password", PASSWORD),
                    ("scope", "openid read"),
                ],
            )
            .await;
        assert_eq!(status, 400, "RDR-11: {body}");
        assert_eq!(body["error"], "unsupported_grant_type", "RDR-11: {body}");
        assert!(body.get("access_token").is_none());
    }
}

#[actix_rt::test]
async fn a_long_state_comes_back_byte_exact_on_success_and_on_denial() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let state: String = "ab+/=%&~Z9".repeat(103).chars().take(1024).collect();
    assert_eq!(state.len(), 1024);
    let browser = server.browser();
    let callback = browser
        .code_flow(
            &setup.tenant,
            &[
                ("client_id", setup.client.id.as_str()),
                ("scope", "openid read"),
                ("state", state.as_str()),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
            "alice",
        )
        .await;
    assert_eq!(callback.get("state"), Some(&state), "RDR-12: on success");
    assert!(callback.contains_key("code"));

    // On access_denied: a scope not yet granted brings the consent page.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[])
                .into_iter()
                .map(|(k, v)| match k {
                    "state" => (k, state.as_str()),
                    "scope" => (k, "openid write"),
                    _ => (k, v),
                })
                .collect::<Vec<_>>(),
        )
        .await;
    let location = page.location.clone().expect("Location");
    assert!(location.contains("/consent?"), "consent asked: {location}");
    let denied = browser.consent(&location, "deny").await;
    assert_error_redirect(
        &denied,
        CALLBACK,
        "access_denied",
        &state,
        &server.issuer(&setup.tenant),
        "RDR-12/RDR-16: on denial",
    );

    // And on a request error.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[])
                .into_iter()
                .map(|(k, v)| match k {
                    "state" => (k, state.as_str()),
                    "scope" => (k, "nope"),
                    _ => (k, v),
                })
                .collect::<Vec<_>>(),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_scope",
        &state,
        &server.issuer(&setup.tenant),
        "RDR-12: on a request error",
    );
}

#[actix_rt::test]
async fn the_authorization_endpoint_accepts_a_posted_form() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let path = format!("/t/{}/authorize", setup.tenant.slug);
    let page = browser.post(&path, &request(&setup.client.id, &[])).await;
    assert_login_redirect(&page, &setup.tenant, "RDR-13: POST form");
    let last = follow(&browser, page, "alice").await;
    let query = last.location_query();
    assert!(query.contains_key("code"), "RDR-13: {query:?}");
    assert_eq!(query.get("state").map(String::as_str), Some("S"));
    // Errors of a posted request are redirected the same way.
    let page = browser
        .post(
            &path,
            &with(&request(&setup.client.id, &[]), "scope", "nope"),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_scope",
        "S",
        &server.issuer(&setup.tenant),
        "RDR-13: POST error",
    );
}

#[actix_rt::test]
async fn the_authorization_endpoint_sends_no_cors_headers() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    // A client that registered a web origin: still no CORS on authorize.
    let spa = server
        .web_client(&setup.tenant, AuthMethod::None, |c| {
            c.web_origins = vec!["https://app.example.test".to_owned()];
        })
        .await;
    let url = format!("{}/t/{}/authorize", server.url, setup.tenant.slug);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for origin in ["https://evil", "https://app.example.test"] {
        for client in [&setup.client.id, &spa.id] {
            let responses = [
                http.get(with_query(&url, &request(client, &[])))
                    .header("origin", origin)
                    .send()
                    .await
                    .expect("sent"),
                http.get(with_query(
                    &url,
                    &with(&request(client, &[]), "scope", "nope"),
                ))
                .header("origin", origin)
                .send()
                .await
                .expect("sent"),
                http.post(&url)
                    .form(&request(client, &[]))
                    .header("origin", origin)
                    .send()
                    .await
                    .expect("sent"),
                http.request(reqwest::Method::OPTIONS, &url)
                    .header("origin", origin)
                    .header("access-control-request-method", "GET")
                    .send()
                    .await
                    .expect("sent"),
            ];
            for response in responses {
                let cors: Vec<_> = response
                    .headers()
                    .keys()
                    .filter(|k| k.as_str().starts_with("access-control-"))
                    .collect();
                assert!(
                    cors.is_empty(),
                    "RDR-14: {} {} from {origin}: {cors:?}",
                    response.url(),
                    response.status()
                );
            }
        }
    }
}

#[actix_rt::test]
async fn a_registered_query_is_kept_and_cannot_be_polluted() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let registered = "https://app.example.test/cb?x=1";
    let client = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |c| {
            c.redirect_uris = vec![registered.to_owned()];
        })
        .await;
    let browser = server.browser();
    let base = with(&request(&client.id, &[]), "redirect_uri", registered);
    let polluting_state = with(&base, "state", "s&code=evil&iss=https://evil");
    let page = browser.authorize(&setup.tenant, &polluting_state).await;
    let last = follow(&browser, page, "alice").await;
    let location = last.location.clone().expect("Location");
    assert!(
        location.starts_with("https://app.example.test/cb?x=1&code="),
        "RDR-15: {location}"
    );
    let pairs: Vec<(String, String)> = url::Url::parse(&location)
        .expect("url")
        .query_pairs()
        .into_owned()
        .collect();
    let count = |name: &str| pairs.iter().filter(|(k, _)| k == name).count();
    assert_eq!(count("x"), 1, "RDR-15: {location}");
    assert_eq!(count("code"), 1, "RDR-15: one code: {location}");
    assert_eq!(count("iss"), 1, "RDR-15: one iss: {location}");
    let query = query_of(&location);
    assert_eq!(query["state"], "s&code=evil&iss=https://evil");
    assert_ne!(query["code"], "evil");
    assert_eq!(query["iss"], server.issuer(&setup.tenant));

    // Error redirects keep the registered query too.
    let page = browser
        .authorize(&setup.tenant, &with(&base, "scope", "nope"))
        .await;
    assert_error_redirect(
        &page,
        "https://app.example.test/cb",
        "invalid_scope",
        "S",
        &server.issuer(&setup.tenant),
        "RDR-15: error redirect",
    );
    assert_eq!(page.location_query()["x"], "1", "RDR-15");

    for bad in [
        "https://app.example.test/cb?code=evil",
        "https://app.example.test/cb?x=1&code=evil",
        "https://app.example.test/cb?x=2",
        "https://app.example.test/cb?x=1&x=1",
    ] {
        let page = browser
            .authorize(&setup.tenant, &with(&base, "redirect_uri", bad))
            .await;
        assert_error_page(&page, &format!("RDR-15: {bad}"));
    }
}

#[actix_rt::test]
async fn denying_consent_sends_access_denied_with_state_and_iss() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    let location = page.location.clone().expect("Location");
    let after_login = browser.login(&location, "alice", PASSWORD).await;
    let consent = after_login.location.clone().expect("Location");
    assert!(consent.contains("/consent?"), "consent asked: {consent}");
    let denied = browser.consent(&consent, "deny").await;
    assert_error_redirect(
        &denied,
        CALLBACK,
        "access_denied",
        "S",
        &server.issuer(&setup.tenant),
        "RDR-16",
    );
    // Nothing was granted: the next flow asks again.
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    assert!(
        page.location
            .as_deref()
            .unwrap_or_default()
            .contains("/consent?"),
        "RDR-16: a denial grants nothing: {:?}",
        page.location
    );
}

// ---------------------------------------------------------------- PKC

#[actix_rt::test]
async fn pkce_is_required_and_s256_only_with_a_well_formed_challenge() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    let public = server
        .web_client(&setup.tenant, AuthMethod::None, |_| {})
        .await;
    let browser = server.browser();

    // PKC-01: a public client without a challenge.
    let page = browser
        .authorize(
            &setup.tenant,
            &without(
                &without(&request(&public.id, &[]), "code_challenge"),
                "code_challenge_method",
            ),
        )
        .await;
    assert_error_redirect(&page, CALLBACK, "invalid_request", "S", &issuer, "PKC-01");
    let description = page.location_query()["error_description"].clone();
    assert!(
        description.contains("code_challenge"),
        "PKC-01: {description}"
    );

    // PKC-08: a confidential client too, under the default policy.
    let page = browser
        .authorize(
            &setup.tenant,
            &without(
                &without(&request(&setup.client.id, &[]), "code_challenge"),
                "code_challenge_method",
            ),
        )
        .await;
    assert_error_redirect(&page, CALLBACK, "invalid_request", "S", &issuer, "PKC-08");

    // PKC-02: plain, no method, or an unknown method.
    for client in [&public.id, &setup.client.id] {
        let base = request(client, &[]);
        let verifier_as_plain = with(&base, "code_challenge", VERIFIER);
        for (params, what) in [
            (with(&base, "code_challenge_method", "plain"), "plain"),
            (
                with(&verifier_as_plain, "code_challenge_method", "plain"),
                "plain with a verifier",
            ),
            (without(&base, "code_challenge_method"), "no method"),
            (
                without(&verifier_as_plain, "code_challenge_method"),
                "no method, verifier",
            ),
            (with(&base, "code_challenge_method", "s256"), "s256"),
            (with(&base, "code_challenge_method", "S512"), "S512"),
        ] {
            let page = browser.authorize(&setup.tenant, &params).await;
            assert_error_redirect(
                &page,
                CALLBACK,
                "invalid_request",
                "S",
                &issuer,
                &format!("PKC-02: {what}"),
            );
        }
    }

    // PKC-03: the challenge's ABNF.
    let long = "a".repeat(129);
    let plus = format!("{}+", &CHALLENGE[..42]);
    let slash = format!("{}/", &CHALLENGE[..42]);
    let padded = format!("{}=", &CHALLENGE[..42]);
    for (challenge, what) in [
        (&CHALLENGE[..42], "42 characters"),
        (long.as_str(), "129 characters"),
        (plus.as_str(), "contains +"),
        (slash.as_str(), "contains /"),
        (padded.as_str(), "contains ="),
    ] {
        let page = browser
            .authorize(
                &setup.tenant,
                &with(&request(&public.id, &[]), "code_challenge", challenge),
            )
            .await;
        assert_error_redirect(
            &page,
            CALLBACK,
            "invalid_request",
            "S",
            &issuer,
            &format!("PKC-03: {what}"),
        );
    }
    // The well-formed S256 challenge goes on to the login page.
    let page = browser
        .authorize(&setup.tenant, &request(&public.id, &[]))
        .await;
    assert_login_redirect(&page, &setup.tenant, "PKC-01: with a challenge");
}

#[actix_rt::test]
async fn both_discovery_documents_advertise_s256_and_the_iss_parameter() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    for path in [
        format!("/t/{}/.well-known/openid-configuration", tenant.slug),
        format!("/.well-known/oauth-authorization-server/t/{}", tenant.slug),
    ] {
        let (status, metadata) = server.get_json(&path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(metadata["issuer"], server.issuer(&tenant), "{path}");
        assert_eq!(
            metadata["code_challenge_methods_supported"],
            serde_json::json!(["S256"]),
            "PKC-02/PKC-09: {path}"
        );
        assert_eq!(
            metadata["authorization_response_iss_parameter_supported"],
            Value::Bool(true),
            "ISS-02: {path}"
        );
        let response_types = metadata["response_types_supported"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            !response_types
                .iter()
                .any(|t| t.as_str().is_some_and(|t| t.contains("token"))),
            "RDR-11: no implicit response types advertised: {response_types:?}"
        );
        let grants = metadata["grant_types_supported"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            !grants.contains(&Value::from("password")),
            "RDR-11: no password grant advertised: {grants:?}"
        );
    }
}

// ---------------------------------------------------------------- ISS

#[actix_rt::test]
async fn every_authorization_response_carries_the_tenant_issuer() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    assert!(issuer.ends_with(&format!("/t/{}", setup.tenant.slug)));

    // login_required (no session yet).
    let browser = server.browser();
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("prompt", "none")]),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "login_required",
        "S",
        &issuer,
        "ISS-01: login_required",
    );

    // invalid_scope.
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&request(&setup.client.id, &[]), "scope", "nope"),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_scope",
        "S",
        &issuer,
        "ISS-01: invalid_scope",
    );

    // access_denied.
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    let after_login = browser
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let denied = browser
        .consent(after_login.location.as_deref().expect("Location"), "deny")
        .await;
    assert_error_redirect(
        &denied,
        CALLBACK,
        "access_denied",
        "S",
        &issuer,
        "ISS-01: access_denied",
    );

    // Success.
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    let last = follow(&browser, page, "alice").await;
    let query = last.location_query();
    assert!(query.contains_key("code"), "{query:?}");
    assert_eq!(query.get("iss"), Some(&issuer), "ISS-01: success");
    assert_eq!(query.get("state").map(String::as_str), Some("S"));
    let tokens = tokens(&server, &setup.tenant, &setup.client, &query["code"]).await;
    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    assert_eq!(
        id["iss"],
        issuer.as_str(),
        "ISS-03: token iss equals the parameter"
    );
}

// ---------------------------------------------------------------- OID

#[actix_rt::test]
async fn max_age_forces_a_new_login_once_the_session_is_older() {
    let data = DataDir::new();
    let clock = Clock::default();
    let server = TestServer::start_config(&data, test_config(&data), clock.clone()).await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let first = browser
        .code_flow(
            &setup.tenant,
            &without(
                &without(&request(&setup.client.id, &[]), "response_type"),
                "redirect_uri",
            ),
            "alice",
        )
        .await;
    let tokens1 = tokens(&server, &setup.tenant, &setup.client, &first["code"]).await;
    let auth_time1 = claims(tokens1["id_token"].as_str().expect("id_token"))["auth_time"]
        .as_i64()
        .expect("auth_time");

    clock.advance(Duration::from_secs(120));

    // Younger than max_age: silent.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("max_age", "3600")]),
        )
        .await;
    let location = page.location.clone().expect("Location");
    assert!(
        location.starts_with(&format!("{CALLBACK}?")),
        "OID-03: a session younger than max_age is reused: {location}"
    );
    let query = query_of(&location);
    let tokens2 = tokens(&server, &setup.tenant, &setup.client, &query["code"]).await;
    let id2 = claims(tokens2["id_token"].as_str().expect("id_token"));
    assert_eq!(
        id2["auth_time"].as_i64(),
        Some(auth_time1),
        "OID-03: auth_time present"
    );

    // Older than max_age: login again.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("max_age", "60")]),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "OID-03: session older than max_age");
    let last = follow(&browser, page, "alice").await;
    let query = last.location_query();
    let tokens3 = tokens(&server, &setup.tenant, &setup.client, &query["code"]).await;
    let auth_time3 = claims(tokens3["id_token"].as_str().expect("id_token"))["auth_time"]
        .as_i64()
        .expect("OID-03: auth_time present with max_age");
    assert!(
        auth_time3 >= auth_time1 + 120,
        "OID-03: a fresh auth_time: {auth_time1} -> {auth_time3}"
    );

    // A few seconds later (whole seconds: auth_time has second precision),
    // max_age=0 forces a login, and with prompt=none it is login_required.
    clock.advance(Duration::from_secs(5));
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("max_age", "0")]),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "OID-03: max_age=0");
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("max_age", "1"), ("prompt", "none")]),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "login_required",
        "S",
        &server.issuer(&setup.tenant),
        "OID-03: max_age passed with prompt=none",
    );
}

#[actix_rt::test]
async fn prompt_login_forces_a_login_even_with_a_session() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let first = follow(
        &browser,
        browser
            .authorize(&setup.tenant, &request(&setup.client.id, &[]))
            .await,
        "alice",
    )
    .await;
    assert!(first.location_query().contains_key("code"));
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("prompt", "login")]),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "OID-03: prompt=login with a session");
    let last = follow(&browser, page, "alice").await;
    assert!(last.location_query().contains_key("code"), "OID-03");
    // Without prompt the session is reused.
    let page = browser
        .authorize(&setup.tenant, &request(&setup.client.id, &[]))
        .await;
    assert!(
        page.location
            .as_deref()
            .unwrap_or_default()
            .starts_with(CALLBACK),
        "SSO without prompt: {:?}",
        page.location
    );
}

#[actix_rt::test]
async fn prompt_none_reports_login_required_and_consent_required_by_redirect() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    let browser = server.browser();
    let silent = request(&setup.client.id, &[("prompt", "none")]);

    let page = browser.authorize(&setup.tenant, &silent).await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "login_required",
        "S",
        &issuer,
        "OID-03: no session",
    );

    // Signed in, consent given for `openid read`.
    let first = follow(
        &browser,
        browser
            .authorize(&setup.tenant, &request(&setup.client.id, &[]))
            .await,
        "alice",
    )
    .await;
    assert!(first.location_query().contains_key("code"));

    let page = browser.authorize(&setup.tenant, &silent).await;
    let query = page.location_query();
    assert!(
        query.contains_key("code"),
        "prompt=none with session and consent: {query:?}"
    );
    assert_eq!(query.get("iss"), Some(&issuer));

    // A scope not yet granted.
    let page = browser
        .authorize(&setup.tenant, &with(&silent, "scope", "openid read write"))
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "consent_required",
        "S",
        &issuer,
        "OID-03: session without consent",
    );
    // Another client never consented to.
    let other = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let page = browser
        .authorize(&setup.tenant, &request(&other.id, &[("prompt", "none")]))
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "consent_required",
        "S",
        &issuer,
        "OID-03: another client",
    );
    // prompt=none combined with another value is a request error.
    let page = browser
        .authorize(&setup.tenant, &with(&silent, "prompt", "none login"))
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "invalid_request",
        "S",
        &issuer,
        "prompt=none login",
    );
}

#[actix_rt::test]
async fn id_token_hint_with_prompt_none_returns_the_same_subject() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    let browser = server.browser();
    let first = follow(
        &browser,
        browser
            .authorize(
                &setup.tenant,
                &request(&setup.client.id, &[("nonce", "n1")]),
            )
            .await,
        "alice",
    )
    .await;
    let tokens1 = tokens(
        &server,
        &setup.tenant,
        &setup.client,
        &first.location_query()["code"],
    )
    .await;
    let hint = tokens1["id_token"].as_str().expect("id_token").to_owned();
    let id1 = claims(&hint);

    let page = browser
        .authorize(
            &setup.tenant,
            &request(
                &setup.client.id,
                &[
                    ("prompt", "none"),
                    ("id_token_hint", hint.as_str()),
                    ("nonce", "n2"),
                ],
            ),
        )
        .await;
    let query = page.location_query();
    assert!(query.contains_key("code"), "OID-10: {query:?}");
    assert_eq!(query.get("iss"), Some(&issuer));
    let tokens2 = tokens(&server, &setup.tenant, &setup.client, &query["code"]).await;
    let id2 = claims(tokens2["id_token"].as_str().expect("id_token"));
    assert_eq!(id2["sub"], id1["sub"], "OID-10: same sub");
    assert_eq!(id2["sub"], setup.user_id.as_str());
    assert_eq!(id2["auth_time"], id1["auth_time"], "OID-10: same auth_time");
    assert!(id2["auth_time"].is_i64(), "OID-10: auth_time present");
    assert_eq!(id2["nonce"], "n2");

    // A hint naming someone else than the signed-in user: login_required.
    server.user(&setup.tenant, "bob").await;
    let bobs = server.browser();
    let bob_flow = follow(
        &bobs,
        bobs.authorize(&setup.tenant, &request(&setup.client.id, &[]))
            .await,
        "bob",
    )
    .await;
    let bob_tokens = tokens(
        &server,
        &setup.tenant,
        &setup.client,
        &bob_flow.location_query()["code"],
    )
    .await;
    let bob_hint = bob_tokens["id_token"].as_str().expect("id_token");
    let page = browser
        .authorize(
            &setup.tenant,
            &request(
                &setup.client.id,
                &[("prompt", "none"), ("id_token_hint", bob_hint)],
            ),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "login_required",
        "S",
        &issuer,
        "OID-10: hint of another user",
    );

    // Without a session the login page is shown; signing in as someone else
    // than the hint names ends in login_required, not in a code for them.
    let fresh = server.browser();
    let page = fresh
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("id_token_hint", bob_hint)]),
        )
        .await;
    let after = fresh
        .login(page.location.as_deref().expect("login"), "alice", PASSWORD)
        .await;
    assert_error_redirect(
        &after,
        CALLBACK,
        "login_required",
        "S",
        &issuer,
        "OID-10: signed in as another user than the hint",
    );
}

#[actix_rt::test]
async fn offline_access_needs_consent_even_for_first_party_clients() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let offline = with(
        &request(&setup.client.id, &[]),
        "scope",
        "openid offline_access",
    );
    let page = browser.authorize(&setup.tenant, &offline).await;
    let after_login = browser
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let consent = after_login.location.clone().expect("Location");
    assert!(
        consent.contains("/consent?"),
        "OID-11: offline_access without consent shows the consent page: {consent}"
    );
    let consent_page = browser.get(&consent).await;
    assert_eq!(consent_page.status, 200);
    assert!(
        consent_page.body.contains("<code>offline_access</code>"),
        "OID-11: offline_access is listed: {}",
        consent_page.body
    );

    // A first-party client skips consent, except for offline access (OIDC Core §11).
    let first_party = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |c| {
            c.first_party = true;
        })
        .await;
    let fresh = server.browser();
    let page = fresh
        .authorize(
            &setup.tenant,
            &with(
                &request(&first_party.id, &[]),
                "scope",
                "openid offline_access read",
            ),
        )
        .await;
    let after_login = fresh
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let consent = after_login.location.clone().expect("Location");
    assert!(
        consent.contains("/consent?"),
        "OID-11: first party asks for offline_access: {consent}"
    );
    let approved = fresh.consent(&consent, "approve").await;
    let location = approved.location.clone().expect("Location");
    assert!(location.starts_with(&format!("{CALLBACK}?")), "{location}");
    // Once granted, the first-party client is not asked again.
    let again = fresh
        .authorize(
            &setup.tenant,
            &with(
                &request(&first_party.id, &[]),
                "scope",
                "openid offline_access read",
            ),
        )
        .await;
    assert!(
        again
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{CALLBACK}?"))),
        "OID-11: remembered: {:?}",
        again.location
    );
    let tokens = tokens(
        &server,
        &setup.tenant,
        &first_party,
        &query_of(&location)["code"],
    )
    .await;
    assert!(tokens["refresh_token"].is_string(), "OID-11: {tokens}");
}

#[actix_rt::test]
async fn consent_asks_only_for_new_scopes_and_again_on_prompt_consent() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let base = request(&setup.client.id, &[]);

    // First flow: `openid read`, both on the page.
    let page = browser.authorize(&setup.tenant, &base).await;
    let after_login = browser
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let consent = after_login.location.clone().expect("Location");
    let consent_page = browser.get(&consent).await;
    assert!(
        consent_page.body.contains("<code>read</code>"),
        "{}",
        consent_page.body
    );
    let approved = browser.consent(&consent, "approve").await;
    assert!(approved.location_query().contains_key("code"));

    // Second flow adds `write`: only `write` is asked.
    let page = browser
        .authorize(&setup.tenant, &with(&base, "scope", "openid read write"))
        .await;
    let consent = page.location.clone().expect("Location");
    assert!(
        consent.contains("/consent?"),
        "a new scope is asked: {consent}"
    );
    let consent_page = browser.get(&consent).await;
    assert!(
        consent_page.body.contains("<code>write</code>"),
        "the new scope is listed: {}",
        consent_page.body
    );
    assert!(
        !consent_page.body.contains("<code>read</code>"),
        "an already granted scope is not asked again: {}",
        consent_page.body
    );
    let approved = browser.consent(&consent, "approve").await;
    assert!(approved.location_query().contains_key("code"));

    // Nothing new: straight back with a code.
    for scope in ["openid read write", "openid write", "openid"] {
        let page = browser
            .authorize(&setup.tenant, &with(&base, "scope", scope))
            .await;
        assert!(
            page.location
                .as_deref()
                .unwrap_or_default()
                .starts_with(CALLBACK),
            "no consent for granted scopes ({scope}): {:?}",
            page.location
        );
    }

    // prompt=consent asks anyway, listing what is requested.
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&with(&base, "scope", "openid read"), "prompt", "consent"),
        )
        .await;
    let consent = page.location.clone().expect("Location");
    assert!(consent.contains("/consent?"), "prompt=consent: {consent}");
    let consent_page = browser.get(&consent).await;
    assert!(
        consent_page.body.contains("<code>read</code>"),
        "{}",
        consent_page.body
    );
    assert!(
        !consent_page.body.contains("<code>write</code>"),
        "{}",
        consent_page.body
    );
    let approved = browser.consent(&consent, "approve").await;
    assert!(approved.location_query().contains_key("code"));

    // Everything is granted now: a silent request gets a code.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("prompt", "none")]),
        )
        .await;
    assert!(page.location_query().contains_key("code"));
}

// ---------------------------------------------------------------- X

#[actix_rt::test]
async fn another_tenants_client_gets_an_error_page_that_reveals_nothing() {
    let server = TestServer::start().await;
    let a = idp::tenants::create(
        server.platform(),
        NewTenant::new(random_slug("alpha"), "Alpha Holdings"),
    )
    .await
    .expect("tenant A");
    server.api(&a).await;
    let a_client = server
        .web_client(&a, AuthMethod::ClientSecretBasic, |c| {
            c.name = "Alphas Private App".to_owned();
        })
        .await;
    let b = server.tenant().await;
    server.api(&b).await;
    let browser = server.browser();

    let page = browser.authorize(&b, &request(&a_client.id, &[])).await;
    assert_error_page(&page, "X-01: A's client at B");
    for secret in [
        a.slug.as_str(),
        "Alpha",
        "Alphas Private App",
        CALLBACK,
        "app.example.test",
    ] {
        assert!(
            !page.body.contains(secret),
            "X-01: the page mentions {secret}: {}",
            page.body
        );
    }
    // Indistinguishable from a client that exists nowhere.
    let nowhere = browser
        .authorize(&b, &request("no-such-client-anywhere", &[]))
        .await;
    assert_eq!(page.status, nowhere.status, "X-01");
    assert_eq!(
        page.body, nowhere.body,
        "X-01: same page as an unknown client"
    );
    // The client still works at its own tenant.
    let page = browser.authorize(&a, &request(&a_client.id, &[])).await;
    assert_login_redirect(&page, &a, "X-01: at A");
}

#[actix_rt::test]
async fn a_session_at_one_tenant_does_not_sign_in_at_another() {
    let server = TestServer::start().await;
    let a = server.web_setup().await;
    let b = server.web_setup().await;
    let browser = server.browser();
    let first = follow(
        &browser,
        browser
            .authorize(&a.tenant, &request(&a.client.id, &[]))
            .await,
        "alice",
    )
    .await;
    assert!(first.location_query().contains_key("code"));
    // SSO works at A.
    let page = browser
        .authorize(&a.tenant, &request(&a.client.id, &[("prompt", "none")]))
        .await;
    assert!(page.location_query().contains_key("code"), "SSO at A");

    let page = browser
        .authorize(&b.tenant, &request(&b.client.id, &[("prompt", "none")]))
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "login_required",
        "S",
        &server.issuer(&b.tenant),
        "X-07: A's session at B",
    );
    let page = browser
        .authorize(&b.tenant, &request(&b.client.id, &[]))
        .await;
    assert_login_redirect(&page, &b.tenant, "X-07: B asks for a login");
    let login = browser
        .get(page.location.as_deref().expect("Location"))
        .await;
    assert_eq!(login.status, 200);
    assert!(
        !login.body.contains("alice"),
        "X-07: B's login page does not show A's user: {}",
        login.body
    );
}
