//! The hosted pages over HTTP (SECURITY.md WEB-01 … WEB-11): CSRF and
//! browser binding of every form, consent bound to the server-side request,
//! page headers, redirects after credential posts, session cookies,
//! escaping, no account enumeration, informed consent, argon2id at rest.

use std::collections::BTreeSet;

use diesel::prelude::*;
use idp::domain::client::AuthMethod;
use idp::domain::tenant::Tenant;
use idp::store::StoreError;
use idp::store::schema::users;

use crate::support::oauth::Auth;
use crate::support::signin::{
    Browserless, CALLBACK, CHALLENGE, PASSWORD, Page, VERIFIER, WebSetup, query_of,
};
use crate::support::{DataDir, TestServer};

/// Authorization parameters of `client_id` for `scope`, with PKCE.
fn params<'a>(client_id: &'a str, scope: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("response_type", "code"),
        ("redirect_uri", CALLBACK),
        ("client_id", client_id),
        ("scope", scope),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

/// Starts a flow in `browser`; returns the login page's Location.
async fn to_login(browser: &Browserless, tenant: &Tenant, params: &[(&str, &str)]) -> String {
    let page = browser.authorize(tenant, params).await;
    assert!(matches!(page.status, 302 | 303), "{page:?}");
    let location = page.location.expect("Location");
    assert!(
        location.contains("/login?"),
        "to the login page: {location}"
    );
    location
}

fn login_path(tenant: &Tenant) -> String {
    format!("/t/{}/login", tenant.slug)
}

fn consent_path(tenant: &Tenant) -> String {
    format!("/t/{}/consent", tenant.slug)
}

/// Asserts `page` is HTML with the headers and same-origin references every
/// page must have (WEB-03, WEB-04).
fn assert_page(page: &Page, what: &str) {
    let content_type = page
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("text/html"),
        "{what}: HTML, got {content_type:?}"
    );
    page.assert_html_headers();
    let csp = page
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("frame-ancestors 'none'"),
        "WEB-03 {what}: {csp}"
    );
    assert!(!csp.contains("form-action"), "{what}: {csp}");
    assert_eq!(
        page.headers
            .get("x-frame-options")
            .and_then(|v| v.to_str().ok()),
        Some("DENY"),
        "WEB-03 {what}"
    );
    assert_eq!(
        page.headers
            .get("referrer-policy")
            .and_then(|v| v.to_str().ok()),
        Some("no-referrer"),
        "WEB-04 {what}"
    );
    for attribute in ["src=", "href=", "action="] {
        for quote in ['"', '\''] {
            let marker = format!("{attribute}{quote}");
            for (at, _) in page.body.match_indices(&marker) {
                let value: String = page.body[at + marker.len()..]
                    .chars()
                    .take_while(|c| *c != quote)
                    .collect();
                let lower = value.to_ascii_lowercase();
                assert!(
                    !lower.starts_with("//") && !lower.contains("://"),
                    "WEB-04 {what}: {attribute}{value:?} points to another origin"
                );
            }
        }
    }
}

/// The value of the `Set-Cookie` named `name` in `page`, with its attributes.
fn set_cookie(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn cookie_value(set_cookie: &str) -> String {
    let pair = set_cookie.split(';').next().unwrap_or_default();
    pair.split_once('=')
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

/// A forged form post: the browser that sends it, the form and what it tests.
type Forgery<'a> = (&'a Browserless, Vec<(&'a str, &'a str)>, &'a str);

#[actix_rt::test]
async fn login_and_consent_posts_need_the_csrf_token_of_their_browser() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let platform = server.platform();
    let ours = server.browser();
    let theirs = server.browser();
    let flow = params(&setup.client.id, "openid profile");

    let location = to_login(&ours, tenant, &flow).await;
    // The other browser has its own binding cookie.
    to_login(&theirs, tenant, &flow).await;
    let login = ours.get(&location).await;
    assert_eq!(login.status, 200, "{}", login.body);
    let interaction = login.hidden("interaction").expect("interaction");
    let csrf = login.hidden("csrf").expect("csrf");
    let credentials = [("login", "alice"), ("password", PASSWORD)];

    let forged: [Forgery; 3] = [
        (
            &ours,
            vec![("interaction", &interaction)],
            "WEB-01: login POST without csrf",
        ),
        (
            &ours,
            vec![("interaction", &interaction), ("csrf", "forged")],
            "WEB-01: login POST with a wrong csrf",
        ),
        (
            &theirs,
            vec![("interaction", &interaction), ("csrf", &csrf)],
            "WEB-01: login POST of another browser's interaction",
        ),
    ];
    for (browser, mut form, what) in forged {
        form.extend_from_slice(&credentials);
        let page = browser.post(&login_path(tenant), &form).await;
        assert_eq!(page.status, 403, "{what}: {}", page.body);
        assert!(page.location.is_none(), "{what}");
        assert!(
            set_cookie(&page.headers, &format!("idp-session-{}", tenant.slug)).is_none(),
            "{what}: no session"
        );
        assert_page(&page, what);
    }

    // The genuine post still works: the forgeries changed nothing.
    let mut form = vec![("interaction", interaction.as_str()), ("csrf", &csrf)];
    form.extend_from_slice(&credentials);
    let signed_in = ours.post(&login_path(tenant), &form).await;
    let location = signed_in.location.clone().expect("Location");
    assert!(location.contains("/consent?"), "{signed_in:?}");

    let consent = ours.get(&location).await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    let interaction = consent.hidden("interaction").expect("interaction");
    let csrf = consent.hidden("csrf").expect("csrf");
    // The other browser signs in too, so only the binding tells them apart.
    let other_login = to_login(&theirs, tenant, &flow).await;
    theirs.login(&other_login, "alice", PASSWORD).await;

    let forged: [Forgery; 3] = [
        (
            &ours,
            vec![("interaction", &interaction), ("decision", "approve")],
            "WEB-01: consent POST without csrf",
        ),
        (
            &ours,
            vec![
                ("interaction", &interaction),
                ("csrf", "forged"),
                ("decision", "approve"),
            ],
            "WEB-01: consent POST with a wrong csrf",
        ),
        (
            &theirs,
            vec![
                ("interaction", &interaction),
                ("csrf", &csrf),
                ("decision", "approve"),
            ],
            "WEB-01: consent POST of another browser's interaction",
        ),
    ];
    for (browser, form, what) in forged {
        let page = browser.post(&consent_path(tenant), &form).await;
        assert_eq!(page.status, 403, "{what}: {}", page.body);
        assert!(page.location.is_none(), "{what}: no code issued");
        assert_page(&page, what);
        assert!(
            idp::consents::granted(platform, tenant.id, &setup.user_id, &setup.client.id)
                .await
                .expect("read")
                .is_empty(),
            "{what}: no consent stored"
        );
    }

    let approved = ours
        .post(
            &consent_path(tenant),
            &[
                ("interaction", &interaction),
                ("csrf", &csrf),
                ("decision", "approve"),
            ],
        )
        .await;
    let location = approved.location.expect("Location");
    assert!(location.starts_with(CALLBACK), "{location}");
    assert!(query_of(&location).contains_key("code"));
    assert!(
        !idp::consents::granted(platform, tenant.id, &setup.user_id, &setup.client.id)
            .await
            .expect("read")
            .is_empty()
    );
}

/// Signs alice in and returns the consent page's Location.
async fn to_consent(browser: &Browserless, setup: &WebSetup, scope: &str) -> String {
    let location = to_login(browser, &setup.tenant, &params(&setup.client.id, scope)).await;
    let page = browser.login(&location, "alice", PASSWORD).await;
    let location = page.location.expect("Location");
    assert!(location.contains("/consent?"), "{location}");
    location
}

#[actix_rt::test]
async fn consent_form_fields_cannot_widen_the_request() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let other = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |c| {
            c.redirect_uris = vec!["https://evil.example.test/cb".to_owned()];
        })
        .await;
    let browser = server.browser();
    let location = to_consent(&browser, &setup, "openid read").await;
    let consent = browser.get(&location).await;
    let page = browser
        .post(
            &consent_path(tenant),
            &[
                (
                    "interaction",
                    &consent.hidden("interaction").expect("interaction"),
                ),
                ("csrf", &consent.hidden("csrf").expect("csrf")),
                ("decision", "approve"),
                (
                    "scope",
                    "openid profile email phone address offline_access read write",
                ),
                ("client_id", &other.id),
                ("redirect_uri", "https://evil.example.test/cb"),
            ],
        )
        .await;
    assert!(matches!(page.status, 302 | 303), "{page:?}");
    let location = page.location.expect("Location");
    assert!(
        location.starts_with(CALLBACK),
        "WEB-02: the original redirect_uri: {location}"
    );
    let code = query_of(&location)["code"].clone();
    let (status, tokens) = server
        .redeem(tenant, Auth::Basic(&setup.client), &code, Some(VERIFIER))
        .await;
    assert_eq!(status, 200, "WEB-02: the original client redeems: {tokens}");
    let scope: BTreeSet<&str> = tokens["scope"]
        .as_str()
        .expect("scope")
        .split(' ')
        .collect();
    assert_eq!(
        scope,
        BTreeSet::from(["openid", "read"]),
        "WEB-02: the original scope"
    );
    assert!(
        tokens.get("refresh_token").is_none(),
        "WEB-02: no offline_access"
    );
    let mut granted = idp::consents::granted(
        server.platform(),
        tenant.id,
        &setup.user_id,
        &setup.client.id,
    )
    .await
    .expect("read");
    granted.sort();
    assert_eq!(granted, ["openid", "read"], "WEB-02: consent as requested");
    assert!(
        idp::consents::granted(server.platform(), tenant.id, &setup.user_id, &other.id)
            .await
            .expect("read")
            .is_empty(),
        "WEB-02: nothing for the client named in the form"
    );
}

#[actix_rt::test]
async fn every_page_forbids_framing_referrers_and_foreign_resources() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let browser = server.browser();

    let location = to_login(&browser, tenant, &params(&setup.client.id, "openid")).await;
    let login = browser.get(&location).await;
    assert_page(&login, "WEB-03/04 login page");
    let failed = browser
        .post(
            &login_path(tenant),
            &[
                (
                    "interaction",
                    &login.hidden("interaction").expect("interaction"),
                ),
                ("csrf", &login.hidden("csrf").expect("csrf")),
                ("login", "alice"),
                ("password", "wrong"),
            ],
        )
        .await;
    assert_eq!(failed.status, 200);
    assert_page(&failed, "WEB-03/04 failed login page");

    let location = to_consent(&browser, &setup, "openid").await;
    let consent = browser.get(&location).await;
    assert_eq!(consent.status, 200);
    assert_page(&consent, "WEB-03/04 consent page");

    let error = browser
        .get(&format!("/t/{}/login?interaction=nonsense", tenant.slug))
        .await;
    assert_eq!(error.status, 400);
    assert_page(&error, "WEB-03/04 error page");
    let unknown = browser
        .get("/t/no-such-tenant-here/login?interaction=x")
        .await;
    assert_eq!(unknown.status, 404);
    assert_page(&unknown, "WEB-03/04 not-found page");
    let forbidden = browser
        .post(
            &consent_path(tenant),
            &[(
                "interaction",
                &consent.hidden("interaction").expect("interaction"),
            )],
        )
        .await;
    assert_eq!(forbidden.status, 403);
    assert_page(&forbidden, "WEB-03/04 forbidden page");

    let approved = browser.consent(&location, "approve").await;
    assert!(approved.location.expect("Location").starts_with(CALLBACK));
    let confirm = browser.get(&format!("/t/{}/logout", tenant.slug)).await;
    assert_eq!(confirm.status, 200);
    assert_page(&confirm, "WEB-03/04 logout confirmation page");
    let logged_out = browser
        .post(
            &format!("/t/{}/logout", tenant.slug),
            &[("csrf", &confirm.hidden("csrf").expect("csrf"))],
        )
        .await;
    assert_eq!(logged_out.status, 200);
    assert_page(&logged_out, "WEB-03/04 logged-out page");
}

#[actix_rt::test]
async fn login_and_consent_posts_redirect_with_302_or_303() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let location = to_login(&browser, &setup.tenant, &params(&setup.client.id, "openid")).await;
    let login = browser.login(&location, "alice", PASSWORD).await;
    assert!(
        matches!(login.status, 302 | 303),
        "WEB-05: login POST answers {}",
        login.status
    );
    let consent = browser
        .consent(login.location.as_deref().expect("Location"), "approve")
        .await;
    assert!(
        matches!(consent.status, 302 | 303),
        "WEB-05: consent POST answers {}",
        consent.status
    );

    let other = server.browser();
    let location = to_consent(&other, &setup, "openid profile").await;
    let denied = other.consent(&location, "deny").await;
    assert!(
        matches!(denied.status, 302 | 303),
        "WEB-05: consent POST (deny) answers {}",
        denied.status
    );
    assert_eq!(
        query_of(denied.location.as_deref().expect("Location"))["error"],
        "access_denied"
    );
}

#[actix_rt::test]
async fn an_https_deployment_sets_host_prefixed_secure_cookies() {
    let server = TestServer::start_with(&DataDir::new(), |config| {
        config.http.public_url = "https://idp.example.test".into();
    })
    .await;
    let setup = server.web_setup().await;
    let slug = setup.tenant.slug.to_string();
    let base = format!("http://{}", server.running.addr);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    let mut authorize = url::Url::parse(&format!("{base}/t/{slug}/authorize")).expect("url");
    authorize
        .query_pairs_mut()
        .extend_pairs(params(&setup.client.id, "openid"));
    let response = http.get(authorize.as_str()).send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 302);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_owned();
    let binding = set_cookie(response.headers(), "__Host-idp-browser")
        .expect("WEB-06: a __Host- browser binding cookie");
    let binding_cookie = format!("__Host-idp-browser={}", cookie_value(&binding));
    let path = url::Url::parse(&format!("{base}/"))
        .expect("base")
        .join(&location)
        .expect("location");
    let path = format!("{}?{}", path.path(), path.query().unwrap_or_default());

    let response = http
        .get(format!("{base}{path}"))
        .header("cookie", &binding_cookie)
        .send()
        .await
        .expect("sent");
    let login = Page {
        status: response.status().as_u16(),
        location: None,
        headers: response.headers().clone(),
        body: response.text().await.expect("body"),
    };
    assert_eq!(login.status, 200, "{}", login.body);
    let response = http
        .post(format!("{base}/t/{slug}/login"))
        .header("cookie", &binding_cookie)
        .form(&[
            (
                "interaction",
                login.hidden("interaction").expect("interaction").as_str(),
            ),
            ("csrf", &login.hidden("csrf").expect("csrf")),
            ("login", "alice"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("sent");
    assert!(
        matches!(response.status().as_u16(), 302 | 303),
        "login: {}",
        response.status()
    );
    let session = set_cookie(response.headers(), &format!("__Host-idp-session-{slug}"))
        .expect("WEB-06: a __Host- session cookie");
    for cookie in [&session, &binding] {
        let attributes: Vec<String> = cookie
            .split(';')
            .skip(1)
            .map(|a| a.trim().to_ascii_lowercase())
            .collect();
        let has = |a: &str| attributes.iter().any(|x| x == a);
        assert!(has("secure"), "WEB-06 Secure: {cookie}");
        assert!(has("httponly"), "WEB-06 HttpOnly: {cookie}");
        assert!(has("samesite=lax"), "WEB-06 SameSite=Lax: {cookie}");
        assert!(has("path=/"), "WEB-06 Path=/: {cookie}");
        assert!(
            !attributes.iter().any(|a| a.starts_with("domain")),
            "WEB-06 no Domain: {cookie}"
        );
    }
    assert!(!cookie_value(&session).is_empty());
}

/// A cookie-less client that sends only `cookie`, with redirects off.
async fn authorize_with_cookie(
    server: &TestServer,
    tenant: &Tenant,
    cookie: &str,
    params: &[(&str, &str)],
) -> String {
    let mut url =
        url::Url::parse(&format!("{}/t/{}/authorize", server.url, tenant.slug)).expect("url");
    url.query_pairs_mut().extend_pairs(params);
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(url.as_str())
        .header("cookie", cookie)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 302);
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_owned()
}

#[actix_rt::test]
async fn login_rotates_the_session_and_logout_ends_it() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let name = format!("idp-session-{}", tenant.slug);
    let browser = server.browser();
    let flow = params(&setup.client.id, "openid");
    let mut silent = flow.clone();
    silent.push(("prompt", "none"));
    let mut again = flow.clone();
    again.push(("prompt", "login"));

    let location = to_login(&browser, tenant, &flow).await;
    let first = browser.login(&location, "alice", PASSWORD).await;
    let first_cookie = cookie_value(&set_cookie(&first.headers, &name).expect("session cookie"));
    browser
        .consent(first.location.as_deref().expect("Location"), "approve")
        .await;

    let location = to_login(&browser, tenant, &again).await;
    let second = browser.login(&location, "alice", PASSWORD).await;
    let second_cookie = cookie_value(&set_cookie(&second.headers, &name).expect("session cookie"));
    assert_ne!(
        first_cookie, second_cookie,
        "WEB-07: a new session id at login"
    );
    assert!(
        second
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with(CALLBACK)),
        "{second:?}"
    );

    let old = format!("{name}={first_cookie}");
    let current = format!("{name}={second_cookie}");
    let answer = query_of(&authorize_with_cookie(&server, tenant, &current, &silent).await);
    assert!(
        answer.contains_key("code"),
        "the new session works: {answer:?}"
    );
    let answer = query_of(&authorize_with_cookie(&server, tenant, &old, &silent).await);
    assert_eq!(
        answer["error"], "login_required",
        "WEB-07: the replaced session is gone"
    );

    let confirm = browser.get(&format!("/t/{}/logout", tenant.slug)).await;
    let done = browser
        .post(
            &format!("/t/{}/logout", tenant.slug),
            &[("csrf", &confirm.hidden("csrf").expect("csrf"))],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);

    let location = authorize_with_cookie(&server, tenant, &current, &flow).await;
    assert!(
        location.contains("/login?"),
        "WEB-07: the old cookie after logout gets the login page: {location}"
    );
    let answer = query_of(&authorize_with_cookie(&server, tenant, &current, &silent).await);
    assert_eq!(
        answer["error"], "login_required",
        "WEB-07: prompt=none after logout"
    );
}

#[actix_rt::test]
async fn reflected_values_are_escaped() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let evil = server
        .web_client(tenant, AuthMethod::ClientSecretBasic, |c| {
            c.name = "<b>Evil</b>".to_owned();
        })
        .await;
    let browser = server.browser();
    let mut flow = params(&evil.id, "openid profile");
    let hint = "\"><script>x</script>";
    flow.push(("login_hint", hint));
    let location = to_login(&browser, tenant, &flow).await;
    let login = browser.get(&location).await;
    assert_eq!(login.status, 200, "{}", login.body);
    assert!(
        !login.body.contains("<script>") && !login.body.contains("\"><"),
        "WEB-08: login_hint reflected raw: {}",
        login.body
    );
    assert!(
        login.body.contains("&lt;script&gt;"),
        "WEB-08: login_hint shown escaped: {}",
        login.body
    );
    assert!(
        !login.body.contains("<b>Evil</b>"),
        "WEB-08: client name raw on login"
    );

    let signed_in = browser.login(&location, "alice", PASSWORD).await;
    let consent = browser
        .get(signed_in.location.as_deref().expect("Location"))
        .await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    assert!(
        !consent.body.contains("<b>Evil</b>") && !consent.body.contains("<b>"),
        "WEB-08: client name raw on consent: {}",
        consent.body
    );
    assert!(
        consent.body.contains("&lt;b&gt;Evil&lt;"),
        "WEB-08: client name shown escaped: {}",
        consent.body
    );
}

#[actix_rt::test]
async fn unknown_user_and_wrong_password_look_the_same() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = &setup.tenant;
    let browser = server.browser();
    let mut answers = Vec::new();
    for login in ["alice", "mallory"] {
        let location = to_login(&browser, tenant, &params(&setup.client.id, "openid")).await;
        let page = browser.get(&location).await;
        let interaction = page.hidden("interaction").expect("interaction");
        let csrf = page.hidden("csrf").expect("csrf");
        let failed = browser
            .post(
                &login_path(tenant),
                &[
                    ("interaction", interaction.as_str()),
                    ("csrf", &csrf),
                    ("login", login),
                    ("password", "not the password"),
                ],
            )
            .await;
        let body = failed
            .body
            .replace(&interaction, "INTERACTION")
            .replace(&csrf, "CSRF")
            .replace(login, "LOGIN");
        let cookies = failed.headers.get_all("set-cookie").iter().count();
        answers.push((failed.status, failed.location.clone(), cookies, body));
    }
    assert_eq!(answers[0].0, answers[1].0, "WEB-09: same status");
    assert_eq!(answers[0].1, answers[1].1, "WEB-09: same Location");
    assert_eq!(answers[0].2, answers[1].2, "WEB-09: same cookies");
    assert_eq!(
        answers[0].3, answers[1].3,
        "WEB-09: same body apart from interaction, csrf and login"
    );
}

#[actix_rt::test]
async fn consent_names_the_client_the_redirect_host_and_each_scope() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let location = to_consent(&browser, &setup, "openid profile email read").await;
    let consent = browser.get(&location).await;
    assert_eq!(consent.status, 200, "{}", consent.body);
    // The web client is named "Test <App>"; the page shows it escaped.
    assert!(
        consent.body.contains("Test &lt;App&gt;"),
        "WEB-10: client name: {}",
        consent.body
    );
    assert!(
        consent.body.contains("app.example.test"),
        "WEB-10: redirect host: {}",
        consent.body
    );
    for scope in ["openid", "profile", "email"] {
        let description = idp::domain::scope::builtin(scope)
            .expect("built-in")
            .description;
        assert!(
            consent.body.contains(description),
            "WEB-10: description of {scope}: {}",
            consent.body
        );
    }
    assert!(
        consent.body.contains(">Read<"),
        "WEB-10: the API scope's description: {}",
        consent.body
    );
}

#[actix_rt::test]
async fn passwords_are_stored_as_argon2id() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let tenant = setup.tenant.id.to_string();
    let hash: Option<String> = server
        .platform()
        .db
        .run(move |conn| {
            users::table
                .filter(users::tenant_id.eq(tenant))
                .filter(users::username.eq("alice"))
                .select(users::password_hash)
                .first(conn)
                .map_err(|e| StoreError::Other(e.to_string()))
        })
        .await
        .expect("read");
    let hash = hash.expect("a password hash");
    assert!(hash.starts_with("$argon2id$"), "WEB-11: {hash}");
    assert!(!hash.contains(PASSWORD), "WEB-11");
}

#[actix_rt::test]
async fn pages_carry_the_tenants_branding() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let policy = idp::domain::policy::TenantPolicy {
        branding: idp::domain::policy::Branding {
            accent_color: Some("#0a7d4f".into()),
        },
        ..setup.tenant.policy.clone()
    };
    idp::tenants::update_policy(server.platform(), setup.tenant.id, policy.clone())
        .await
        .expect("policy saved");
    let css_path = format!("/t/{}/branding.css", setup.tenant.slug);
    crate::support::eventually(
        std::time::Duration::from_secs(3),
        "the branding is served",
        || async {
            let body = server.get(&css_path).await.text().await.unwrap_or_default();
            body.contains("#0a7d4f")
        },
    )
    .await;
    let browser = server.browser();
    let location = to_login(&browser, &setup.tenant, &params(&setup.client.id, "openid")).await;
    let page = browser.get(&location).await;
    // Attribute values are entity-escaped (`&#x2F;` for `/`).
    let escaped = css_path.replace('/', "&#x2F;");
    assert!(
        page.body.contains(&escaped),
        "login page links the branding"
    );
    assert!(page.body.contains("Test tenant"), "and names the tenant");
    // A colour that could break out of the stylesheet is refused.
    for bad in ["red;}body{display:none", "#12345", "#zzzzzz"] {
        let policy = idp::domain::policy::TenantPolicy {
            branding: idp::domain::policy::Branding {
                accent_color: Some(bad.into()),
            },
            ..policy.clone()
        };
        assert!(
            idp::tenants::update_policy(server.platform(), setup.tenant.id, policy)
                .await
                .is_err(),
            "{bad}"
        );
    }
}
