//! Redirect URIs (SECURITY.md RDR-*): exact string matching, loopback ports,
//! what may be registered, a registered query kept unpolluted, and the error
//! page (never a redirect) for a bad client or redirect URI.

use std::time::Duration;

use idp::clients::ClientOpError;
use idp::domain::client::{AuthMethod, ClientError, NewClient};
use idp::domain::redirect_uri::RedirectUriError;

use super::{
    assert_error_page, assert_error_redirect, assert_login_redirect, follow, request, with, without,
};
use crate::support::TestServer;
use crate::support::signin::{CALLBACK, query_of};

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
