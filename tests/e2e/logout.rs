//! RP-Initiated Logout over HTTP (SECURITY.md section (b), the
//! "RP-Initiated OP" plan; WEB-01 for the confirmation form; RFT-08 for the
//! logout trigger): the user goes back only to an exactly registered URI and
//! only with a valid hint; otherwise an error or confirmation page.

use idp::domain::client::AuthMethod;
use idp::domain::tenant::Tenant;
use serde_json::Value;

use crate::support::TestServer;
use crate::support::oauth::{Auth, Creds};
use crate::support::signin::{Browserless, CALLBACK, CHALLENGE, Page, VERIFIER, query_of};

/// The registered post-logout redirect URI.
const AFTER_LOGOUT: &str = "https://app.example.test/logged-out";

/// A tenant with a web client that registers [`AFTER_LOGOUT`], and alice.
struct Setup {
    tenant: Tenant,
    client: Creds,
}

async fn setup(server: &TestServer) -> Setup {
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let client = server
        .web_client(&tenant, AuthMethod::ClientSecretBasic, |c| {
            c.post_logout_redirect_uris = vec![AFTER_LOGOUT.to_owned()];
        })
        .await;
    server.user(&tenant, "alice").await;
    Setup { tenant, client }
}

fn flow_params<'a>(client: &'a Creds, scope: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", client.id.as_str()),
        ("scope", scope),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

/// Signs alice in through `browser` and returns the token response.
async fn sign_in(server: &TestServer, setup: &Setup, browser: &Browserless, scope: &str) -> Value {
    let callback = browser
        .code_flow(&setup.tenant, &flow_params(&setup.client, scope), "alice")
        .await;
    let (status, tokens) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &callback["code"],
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

/// `prompt=none` in `browser`: the query of the redirect to the client.
async fn silent(browser: &Browserless, setup: &Setup) -> std::collections::HashMap<String, String> {
    let mut params = vec![
        ("response_type", "code"),
        ("redirect_uri", CALLBACK),
        ("prompt", "none"),
    ];
    params.extend(flow_params(&setup.client, "openid"));
    let page = browser.authorize(&setup.tenant, &params).await;
    assert!(matches!(page.status, 302 | 303), "{page:?}");
    let location = page.location.expect("Location");
    assert!(location.starts_with(CALLBACK), "{location}");
    query_of(&location)
}

async fn assert_signed_in(browser: &Browserless, setup: &Setup, what: &str) {
    let answer = silent(browser, setup).await;
    assert!(
        answer.contains_key("code"),
        "{what}: still signed in: {answer:?}"
    );
}

async fn assert_signed_out(browser: &Browserless, setup: &Setup, what: &str) {
    let answer = silent(browser, setup).await;
    assert_eq!(
        answer.get("error").map(String::as_str),
        Some("login_required"),
        "{what}: prompt=none after logout: {answer:?}"
    );
}

/// `GET /t/{slug}/logout` with `params`.
async fn logout(browser: &Browserless, tenant: &Tenant, params: &[(&str, &str)]) -> Page {
    let mut url = url::Url::parse(&format!("http://x/t/{}/logout", tenant.slug)).expect("url");
    url.query_pairs_mut().extend_pairs(params);
    let path = format!("{}?{}", url.path(), url.query().unwrap_or_default());
    browser.get(&path).await
}

/// An error page, not a redirect.
fn assert_no_redirect(page: &Page, what: &str) {
    assert!(page.location.is_none(), "{what}: no redirect: {page:?}");
    assert_eq!(page.status, 400, "{what}: an error page: {}", page.body);
    assert!(
        page.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html")),
        "{what}: HTML"
    );
}

fn id_token(tokens: &Value) -> String {
    tokens["id_token"].as_str().expect("id_token").to_owned()
}

#[actix_rt::test]
async fn rp_initiated_logout_returns_to_the_registered_uri_with_state() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    let tokens = sign_in(&server, &setup, &browser, "openid").await;
    assert_signed_in(&browser, &setup, "before logout").await;

    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", &id_token(&tokens)),
            ("post_logout_redirect_uri", AFTER_LOGOUT),
            ("state", "bye-1"),
        ],
    )
    .await;
    assert_eq!(page.status, 302, "oidcc-rp-initiated-logout: {}", page.body);
    assert_eq!(
        page.location.as_deref(),
        Some(format!("{AFTER_LOGOUT}?state=bye-1").as_str()),
        "oidcc-rp-initiated-logout: exactly the registered URI with state"
    );
    assert_signed_out(&browser, &setup, "oidcc-rp-initiated-logout").await;
}

#[actix_rt::test]
async fn logout_without_state_redirects_without_state() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    let tokens = sign_in(&server, &setup, &browser, "openid").await;
    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", &id_token(&tokens)),
            ("post_logout_redirect_uri", AFTER_LOGOUT),
        ],
    )
    .await;
    assert_eq!(page.status, 302, "oidcc-rp-initiated-logout-no-state");
    assert_eq!(
        page.location.as_deref(),
        Some(AFTER_LOGOUT),
        "oidcc-rp-initiated-logout-no-state"
    );
    assert_signed_out(&browser, &setup, "oidcc-rp-initiated-logout-no-state").await;
}

/// `token` with its header replaced by `{"alg":"none"}` and no signature.
fn alg_none(token: &str) -> String {
    use base64::Engine;
    let header =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = token.split('.').nth(1).expect("payload");
    format!("{header}.{payload}.")
}

#[actix_rt::test]
async fn a_foreign_or_unsigned_hint_gets_no_redirect() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let other = self::setup(&server).await;
    let browser = server.browser();
    let tokens = sign_in(&server, &setup, &browser, "openid").await;
    let foreign = sign_in(&server, &other, &server.browser(), "openid").await;

    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", &id_token(&foreign)),
            ("post_logout_redirect_uri", AFTER_LOGOUT),
            ("state", "s"),
        ],
    )
    .await;
    assert_no_redirect(&page, "oidcc-rp-initiated-logout-bad-id-token-hint");

    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", &alg_none(&id_token(&tokens))),
            ("post_logout_redirect_uri", AFTER_LOGOUT),
            ("state", "s"),
        ],
    )
    .await;
    assert_no_redirect(&page, "oidcc-rp-initiated-logout-modified-id-token-hint");
}

#[actix_rt::test]
async fn unregistered_or_altered_uris_and_missing_hints_get_no_redirect() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    let tokens = sign_in(&server, &setup, &browser, "openid").await;
    let hint = id_token(&tokens);

    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", &hint),
            ("post_logout_redirect_uri", "https://evil.example.test/out"),
        ],
    )
    .await;
    assert_no_redirect(
        &page,
        "oidcc-rp-initiated-logout-bad-post-logout-redirect-uri",
    );

    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", &hint),
            (
                "post_logout_redirect_uri",
                &format!("{AFTER_LOGOUT}?foo=bar"),
            ),
        ],
    )
    .await;
    assert_no_redirect(
        &page,
        "oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri",
    );

    let page = logout(
        &browser,
        &setup.tenant,
        &[("post_logout_redirect_uri", AFTER_LOGOUT), ("state", "s")],
    )
    .await;
    assert_no_redirect(&page, "oidcc-rp-initiated-logout-no-id-token-hint");
}

#[actix_rt::test]
async fn logout_without_parameters_confirms_then_signs_out() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    sign_in(&server, &setup, &browser, "openid").await;

    let confirm = logout(&browser, &setup.tenant, &[]).await;
    assert_eq!(
        confirm.status, 200,
        "oidcc-rp-initiated-logout-no-params: {}",
        confirm.body
    );
    assert!(confirm.location.is_none());
    confirm.assert_html_headers();
    let csrf = confirm
        .hidden("csrf")
        .expect("the confirmation form has a csrf field");
    assert!(!csrf.is_empty());
    assert_signed_in(
        &browser,
        &setup,
        "the confirmation page alone changes nothing",
    )
    .await;

    let done = browser
        .post(
            &format!("/t/{}/logout", setup.tenant.slug),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        done.status, 200,
        "oidcc-rp-initiated-logout-no-params: {}",
        done.body
    );
    assert!(done.location.is_none());
    done.assert_html_headers();
    assert!(
        done.body.contains("signed out"),
        "the logged-out page: {}",
        done.body
    );
    assert_signed_out(&browser, &setup, "oidcc-rp-initiated-logout-no-params").await;

    // Signed out already, with only a state: the signed-out page, no redirect.
    let again = logout(&browser, &setup.tenant, &[("state", "s")]).await;
    assert_eq!(
        again.status, 200,
        "oidcc-rp-initiated-logout-only-state: {}",
        again.body
    );
    assert!(
        again.location.is_none(),
        "oidcc-rp-initiated-logout-only-state"
    );
    assert!(again.body.contains("signed out"), "{}", again.body);
}

#[actix_rt::test]
async fn logout_posts_need_the_sessions_csrf_token() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    sign_in(&server, &setup, &browser, "openid").await;
    let path = format!("/t/{}/logout", setup.tenant.slug);

    // Another signed-in browser's token is foreign here.
    let other = server.browser();
    sign_in(&server, &setup, &other, "openid").await;
    let foreign = logout(&other, &setup.tenant, &[])
        .await
        .hidden("csrf")
        .expect("csrf");

    for (form, what) in [
        (vec![], "WEB-01: logout POST without csrf"),
        (
            vec![("csrf", "wrong")],
            "WEB-01: logout POST with a wrong csrf",
        ),
        (
            vec![("csrf", foreign.as_str())],
            "WEB-01: logout POST with another session's csrf",
        ),
    ] {
        let page = browser.post(&path, &form).await;
        assert_eq!(page.status, 403, "{what}: {}", page.body);
        assert!(page.location.is_none(), "{what}");
        assert_signed_in(&browser, &setup, what).await;
    }
    assert_signed_in(&other, &setup, "the other browser").await;
}

#[actix_rt::test]
async fn logout_revokes_the_sessions_refresh_tokens() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    let tokens = sign_in(&server, &setup, &browser, "openid offline_access read").await;
    let refresh = tokens["refresh_token"].as_str().expect("refresh_token");
    let access = tokens["access_token"].as_str().expect("access_token");
    assert_eq!(
        server
            .introspect(&setup.tenant, &setup.client, access)
            .await["active"],
        true
    );

    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", &id_token(&tokens)),
            ("post_logout_redirect_uri", AFTER_LOGOUT),
        ],
    )
    .await;
    assert_eq!(page.status, 302, "{}", page.body);

    let (status, body) = server
        .refresh(&setup.tenant, Auth::Basic(&setup.client), refresh, &[])
        .await;
    assert_eq!(status, 400, "RFT-08: refresh after logout: {body}");
    assert_eq!(body["error"], "invalid_grant", "RFT-08");
    assert_eq!(
        server
            .introspect(&setup.tenant, &setup.client, access)
            .await,
        serde_json::json!({ "active": false }),
        "RFT-08: the session's access token after logout"
    );
}

/// A cross-site form POST carries no `SameSite=Lax` cookie: the hint alone
/// names the session, which ends on the server with its refresh tokens.
#[actix_rt::test]
async fn a_cross_site_post_with_a_hint_ends_the_session_it_names() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    let tokens = sign_in(&server, &setup, &browser, "openid offline_access").await;
    let hint = id_token(&tokens);
    // Another cookie jar: the RP's page posting from its own site.
    let rp_page = server.browser();
    let page = rp_page
        .post(
            &format!("/t/{}/logout", setup.tenant.slug),
            &[
                ("id_token_hint", hint.as_str()),
                ("post_logout_redirect_uri", AFTER_LOGOUT),
                ("state", "x-site"),
            ],
        )
        .await;
    let location = page.location.clone().expect("back to the RP");
    assert_eq!(location, format!("{AFTER_LOGOUT}?state=x-site"));
    assert_signed_out(&browser, &setup, "the browser's session ended").await;
    let (status, _) = server
        .refresh(
            &setup.tenant,
            Auth::Basic(&setup.client),
            tokens["refresh_token"].as_str().expect("rt"),
            &[],
        )
        .await;
    assert_eq!(
        status, 400,
        "RFT-08: the session's refresh token is revoked"
    );
}

/// An ID token from an earlier session does not end today's session
/// silently (RP-Initiated Logout §2): the user confirms, and the confirmed
/// post still returns to the client with its `state`.
#[actix_rt::test]
async fn a_hint_from_another_session_asks_the_user_first() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let earlier = server.browser();
    let old = id_token(&sign_in(&server, &setup, &earlier, "openid").await);
    let browser = server.browser();
    sign_in(&server, &setup, &browser, "openid").await;
    let page = logout(
        &browser,
        &setup.tenant,
        &[
            ("id_token_hint", old.as_str()),
            ("post_logout_redirect_uri", AFTER_LOGOUT),
            ("state", "later"),
        ],
    )
    .await;
    assert_eq!(page.status, 200, "a confirmation page: {}", page.body);
    assert!(page.location.is_none());
    assert_signed_in(&browser, &setup, "not ended without confirmation").await;
    let csrf = page.hidden("csrf").expect("csrf");
    let confirmed = browser
        .post(
            &format!("/t/{}/logout", setup.tenant.slug),
            &[
                ("csrf", csrf.as_str()),
                (
                    "id_token_hint",
                    page.hidden("id_token_hint").expect("hint").as_str(),
                ),
                (
                    "post_logout_redirect_uri",
                    page.hidden("post_logout_redirect_uri")
                        .expect("uri")
                        .as_str(),
                ),
                ("state", page.hidden("state").expect("state").as_str()),
            ],
        )
        .await;
    assert_eq!(
        confirmed.location.as_deref(),
        Some(format!("{AFTER_LOGOUT}?state=later").as_str())
    );
    assert_signed_out(&browser, &setup, "ended after confirmation").await;
}

/// A code minted before the session ended is worthless after the logout:
/// what the session held was revoked, and the code must not mint more.
#[actix_rt::test]
async fn a_code_from_before_the_logout_is_refused() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    let callback = browser
        .code_flow(
            &setup.tenant,
            &flow_params(&setup.client, "openid offline_access"),
            "alice",
        )
        .await;
    let page = logout(&browser, &setup.tenant, &[]).await;
    let csrf = page.hidden("csrf").expect("confirmation form");
    let done = browser
        .post(
            &format!("/t/{}/logout", setup.tenant.slug),
            &[("csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let (status, body) = server
        .redeem(
            &setup.tenant,
            Auth::Basic(&setup.client),
            &callback["code"],
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}

#[actix_rt::test]
async fn the_signed_out_page_leads_back_to_the_named_application() {
    let server = TestServer::start().await;
    let setup = setup(&server).await;
    let browser = server.browser();
    sign_in(&server, &setup, &browser, "openid").await;
    // client_id without a hint: confirmed, then signed out with a way back
    // to the application's registered post-logout page.
    let confirm = logout(&browser, &setup.tenant, &[("client_id", &setup.client.id)]).await;
    let csrf = confirm.hidden("csrf").expect("csrf");
    let client_id = confirm.hidden("client_id").expect("the client rides along");
    let done = browser
        .post(
            &format!("/t/{}/logout", setup.tenant.slug),
            &[("csrf", csrf.as_str()), ("client_id", client_id.as_str())],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    // Tera escapes `/` in attribute values as `&#x2F;`.
    let unescaped = |body: &str| body.replace("&#x2F;", "/");
    assert!(
        unescaped(&done.body).contains(&format!(
            "<a href=\"{AFTER_LOGOUT}\">Back to Test &lt;App&gt;</a>"
        )),
        "a way back: {}",
        done.body
    );
    // A client with no post-logout page: the origin of its redirect URI.
    let plain = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let page = logout(&browser, &setup.tenant, &[("client_id", &plain.id)]).await;
    assert!(
        unescaped(&page.body).contains("<a href=\"https://app.example.test/\">Back to"),
        "{}",
        page.body
    );
    // Nothing named: no link, nothing to follow.
    let page = logout(&browser, &setup.tenant, &[]).await;
    assert!(!page.body.contains("Back to"), "{}", page.body);
}
