//! The authorization endpoint over HTTP: redirect URI matching and the error
//! page (no open redirector), request errors redirected with `state` and
//! `iss`, PKCE, `prompt` / `max_age` / `id_token_hint`, consent, and tenant
//! isolation (SECURITY.md RDR-*, PKC-*, ISS-*, OID-03/10/11, X-01, X-07).
//! Shared helpers live here; the tests are in one file per topic.

mod consent;
mod pkce;
mod prompt;
mod redirect_uri;
mod request;
mod responses;
mod tenant_isolation;

use idp::domain::tenant::Tenant;
use serde_json::Value;

use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::{
    Browserless, CALLBACK, CHALLENGE, PASSWORD, Page, VERIFIER, query_of,
};

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
