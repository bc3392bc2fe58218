//! Tenant isolation at the authorization endpoint (SECURITY.md ):
//! another tenant's client and another tenant's session.

use idp::domain::client::AuthMethod;
use idp::domain::tenant::NewTenant;

use super::{assert_error_page, assert_error_redirect, assert_login_redirect, follow, request};
use crate::support::signin::CALLBACK;
use crate::support::{TestServer, random_slug};

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
