//! How a request reaches the authorization endpoint: GET or a posted form,
//! no CORS headers, and the response types a tenant has switched off
//! (SECURITY.md RDR-11, RDR-13, RDR-14).

use idp::domain::client::AuthMethod;
use idp::protocol::params::GrantType;

use super::{assert_error_redirect, assert_login_redirect, follow, request, with, with_query};
use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::{CALLBACK, PASSWORD};

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
    // Nothing serves the password grant yet: a client cannot even be
    // registered for it.
    let mut password_client = idp::domain::client::NewClient::web(
        "legacy",
        AuthMethod::ClientSecretBasic,
        &[CALLBACK],
        &["read"],
    );
    password_client.grant_types.push(GrantType::Password);
    let refused = idp::clients::create(server.platform(), setup.tenant.id, password_client).await;
    assert!(
        matches!(
            refused,
            Err(idp::clients::ClientOpError::Invalid(
                idp::domain::client::ClientError::GrantNotImplemented("password")
            ))
        ),
        "{refused:?}"
    );
    let legacy = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |_| {})
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

/// OIDC Core §6: discovery says request objects are unsupported, so a
/// request carrying one is refused rather than served with its outer
/// parameters.
#[actix_rt::test]
async fn request_objects_are_refused_not_ignored() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let issuer = server.issuer(&setup.tenant);
    let browser = server.browser();
    let (_, discovery) = server
        .get_json(&format!(
            "/t/{}/.well-known/openid-configuration",
            setup.tenant.slug
        ))
        .await;
    assert_eq!(discovery["request_parameter_supported"], false);
    assert_eq!(discovery["request_uri_parameter_supported"], false);
    for (name, value, error) in [
        (
            "request",
            "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.",
            "request_not_supported",
        ),
        (
            "request_uri",
            "https://app.example.test/request.jwt",
            "request_uri_not_supported",
        ),
    ] {
        let page = browser
            .authorize(&setup.tenant, &request(&setup.client.id, &[(name, value)]))
            .await;
        assert_error_redirect(&page, CALLBACK, error, "S", &issuer, name);
    }
}
