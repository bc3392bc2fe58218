//! A NUL character anywhere a client can put one (PostgreSQL text cannot
//! hold it) gets a specified answer (a 4xx, or RFC 7662's inactive token),
//! never a 500: client ids, tokens, authorization requests, bearer tokens.

use crate::support::TestServer;
use crate::support::oauth::Auth;
use crate::support::signin::CALLBACK;

#[actix_rt::test]
async fn nul_characters_get_client_errors_not_500() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let token = format!("/t/{}/token", setup.tenant.slug);
    let nul_client = crate::support::oauth::Creds {
        id: "a\0b".into(),
        secret: "x".into(),
    };
    for (path, auth, form) in [
        (
            token.clone(),
            Auth::Basic(&nul_client),
            vec![("grant_type", "client_credentials")],
        ),
        (
            token.clone(),
            Auth::Post(&nul_client),
            vec![("grant_type", "client_credentials")],
        ),
        (
            format!("/t/{}/introspect", setup.tenant.slug),
            Auth::Basic(&setup.client),
            vec![("token", "ab\0c")],
        ),
        (
            format!("/t/{}/revoke", setup.tenant.slug),
            Auth::Basic(&setup.client),
            vec![("token", "ab\0c")],
        ),
        (
            token.clone(),
            Auth::Basic(&setup.client),
            vec![("grant_type", "refresh_token"), ("refresh_token", "r\0t")],
        ),
    ] {
        let (status, _, body) = server.post_form(&path, auth, &form).await;
        assert!(status < 500, "{path} {form:?}: {status} {body}");
    }
    let browser = server.browser();
    let page = browser
        .authorize(
            &setup.tenant,
            &[
                ("response_type", "code"),
                ("client_id", "web\0"),
                ("redirect_uri", CALLBACK),
            ],
        )
        .await;
    assert!(
        (400..500).contains(&page.status),
        "authorize: {}",
        page.status
    );
    // The signed-out page looks up the application a logout names.
    let page = browser
        .get(&format!("/t/{}/logout?client_id=web%00", setup.tenant.slug))
        .await;
    assert!(page.status < 500, "logout: {} {}", page.status, page.body);
    let userinfo = reqwest::Client::new()
        .get(format!("{}/t/{}/userinfo", server.url, setup.tenant.slug))
        .header("Authorization", "Bearer abc%00def")
        .send()
        .await
        .expect("sent");
    assert!(userinfo.status().is_client_error());
    server.stop().await;
}
