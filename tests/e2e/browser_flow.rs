//! The sign-in flow in a real headless Chromium: the user types into the
//! login form and clicks "Allow" on the consent page, and the browser lands on
//! a loopback callback the test serves itself (RDR-02: `http` only for
//! loopback). Every hosted page is checked at a phone and a desktop width,
//! and the `--demo` binary's printed URL is followed to its callback page.
//! Screenshots of every page go to `target/screenshots/<test>/`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fantoccini::Locator;
use idp::domain::client::AuthMethod;
use idp::domain::tenant::Tenant;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

use crate::support::browser::Browser;
use crate::support::oauth::{Auth, Creds};
use crate::support::signin::{CHALLENGE, PASSWORD, VERIFIER};
use crate::support::{DataDir, TestServer};

/// How long one navigation may take.
const STEP: Duration = Duration::from_secs(10);
/// The widths every hosted page must fit: a phone and a desktop.
const WIDTHS: [u32; 2] = [375, 1280];

/// A tiny HTTP server on a loopback port standing in for the client's
/// redirect URI: it answers `200 ok` to any request and remembers each
/// request line.
struct LoopbackCallback {
    /// `http://127.0.0.1:<port>/cb`, the URI to register.
    uri: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl LoopbackCallback {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback callback");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        actix_rt::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let seen = Arc::clone(&seen);
                actix_rt::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0_u8; 2048];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65_536 {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
                        }
                    }
                    let text = String::from_utf8_lossy(&head);
                    if let Some(line) = text.lines().next().filter(|l| !l.is_empty()) {
                        seen.lock().expect("lock").push(line.to_owned());
                    }
                    let _ = stream
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\
                              content-length: 2\r\nconnection: close\r\n\r\nok",
                        )
                        .await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self {
            uri: format!("http://127.0.0.1:{port}/cb"),
            requests,
        }
    }

    /// Whether the browser requested `/cb` with a `code`.
    fn saw_code(&self) -> bool {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .any(|line| line.starts_with("GET /cb?") && line.contains("code="))
    }
}

/// The claims of a JWT, unverified.
fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("JWT payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// `GET /t/{slug}/authorize` with `params` as a URL.
fn authorize_url(server: &TestServer, tenant: &Tenant, params: &[(&str, &str)]) -> String {
    let mut url =
        Url::parse(&format!("{}/t/{}/authorize", server.url, tenant.slug)).expect("authorize url");
    url.query_pairs_mut().extend_pairs(params);
    url.into()
}

/// A web client of `tenant` authenticating with `method` whose only redirect
/// URI is `callback`.
async fn client_for(
    server: &TestServer,
    tenant: &Tenant,
    method: AuthMethod,
    callback: &str,
) -> Creds {
    server
        .web_client(tenant, method, |new| {
            new.redirect_uris = vec![callback.to_owned()];
        })
        .await
}

/// Polls the page source until it contains `text`; returns the source.
async fn wait_for_text(browser: &Browser, text: &str) -> String {
    let start = Instant::now();
    loop {
        let source = browser.source().await;
        if source.contains(text) {
            return source;
        }
        assert!(
            start.elapsed() < STEP,
            "page never showed {text:?}; it is on {} with:\n{source}",
            browser.current_url().await
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The part of the path after `/t/{slug}`.
fn page_of(url: &Url) -> String {
    url.path()
        .splitn(4, '/')
        .nth(3)
        .unwrap_or_default()
        .to_owned()
}

/// On the login page: types `login` and `password` and submits; returns the
/// URL the browser lands on that is no longer the login page.
async fn sign_in(browser: &Browser, login: &str, password: &str) -> Url {
    browser.fill("#login", login).await;
    browser.fill("#password", password).await;
    browser.click("form button[type=submit]").await;
    browser
        .wait_for_url(|url| page_of(url) != "login", STEP)
        .await
}

/// On the consent page: clicks "Allow"; returns the URL it lands on.
async fn allow(browser: &Browser) -> Url {
    browser.click("button[name=decision][value=approve]").await;
    browser
        .wait_for_url(|url| page_of(url) != "consent", STEP)
        .await
}

/// Walks authorize → login → consent → callback in `browser`, typing and
/// clicking like a user, with a screenshot of each page; returns the
/// callback URL the browser ended on.
async fn browser_code_flow(browser: &Browser, authorize: &str, callback: &str, login: &str) -> Url {
    browser.goto(authorize).await;
    let url = browser.current_url().await;
    assert_eq!(
        page_of(&url),
        "login",
        "authorize shows the login page: {url}"
    );
    assert!(
        browser.source().await.contains("Test &lt;App&gt;"),
        "WEB-08: client name escaped"
    );
    browser.screenshot("1-login").await;

    let url = sign_in(browser, login, PASSWORD).await;
    assert_eq!(page_of(&url), "consent", "login leads to consent: {url}");
    let source = browser.source().await;
    assert!(
        source.contains("Test &lt;App&gt;") && source.contains("127.0.0.1"),
        "WEB-10: consent names the client and the redirect host:\n{source}"
    );
    browser.screenshot("2-consent").await;

    let url = allow(browser).await;
    assert!(
        url.as_str().starts_with(&format!("{callback}?")),
        "consent sends the browser to the client: {url}"
    );
    let body = browser
        .client()
        .find(Locator::Css("body"))
        .await
        .expect("callback body")
        .text()
        .await
        .expect("callback text");
    assert_eq!(
        body.trim(),
        "ok",
        "the browser loaded the loopback callback"
    );
    browser.screenshot("3-callback").await;
    url
}

/// The decoded query of `url`.
fn query(url: &Url) -> std::collections::HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

/// Redeems `code` for `callback` at the token endpoint.
async fn redeem_at(
    server: &TestServer,
    tenant: &Tenant,
    auth: Auth<'_>,
    code: &str,
    callback: &str,
) -> (u16, Value) {
    let (status, headers, body) = server
        .post_form(
            &format!("/t/{}/token", tenant.slug),
            auth,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", callback),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(
        headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "TOK-03"
    );
    (status, body)
}

#[actix_rt::test]
async fn a_confidential_client_signs_a_user_in_through_a_real_browser() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let user_id = server.user(&tenant, "alice").await;
    let callback = LoopbackCallback::start().await;
    let client = client_for(
        &server,
        &tenant,
        AuthMethod::ClientSecretBasic,
        &callback.uri,
    )
    .await;
    let browser =
        Browser::start("a_confidential_client_signs_a_user_in_through_a_real_browser").await;

    let authorize = authorize_url(
        &server,
        &tenant,
        &[
            ("response_type", "code"),
            ("client_id", &client.id),
            ("redirect_uri", &callback.uri),
            ("scope", "openid profile email read"),
            ("state", "browser-state-1"),
            ("nonce", "browser-nonce-1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    );
    let landed = browser_code_flow(&browser, &authorize, &callback.uri, "alice").await;
    browser.close().await;
    assert!(
        callback.saw_code(),
        "the loopback callback received the code"
    );

    let response = query(&landed);
    assert_eq!(response["state"], "browser-state-1");
    assert_eq!(response["iss"], server.issuer(&tenant), "ISS-01");
    let (status, tokens) = redeem_at(
        &server,
        &tenant,
        Auth::Basic(&client),
        &response["code"],
        &callback.uri,
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let id = claims(tokens["id_token"].as_str().expect("an ID token"));
    assert_eq!(id["iss"], server.issuer(&tenant));
    assert_eq!(id["sub"], user_id.as_str());
    assert_eq!(id["aud"], client.id.as_str());
    assert_eq!(id["nonce"], "browser-nonce-1", "OID-01");
    assert!(tokens["access_token"].is_string());
    server.stop().await;
}

#[actix_rt::test]
async fn a_public_client_signs_a_user_in_through_a_real_browser_with_pkce() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let user_id = server.user(&tenant, "bob").await;
    let callback = LoopbackCallback::start().await;
    let client = client_for(&server, &tenant, AuthMethod::None, &callback.uri).await;
    let browser =
        Browser::start("a_public_client_signs_a_user_in_through_a_real_browser_with_pkce").await;

    let authorize = authorize_url(
        &server,
        &tenant,
        &[
            ("response_type", "code"),
            ("client_id", &client.id),
            ("redirect_uri", &callback.uri),
            ("scope", "openid offline_access"),
            ("state", "browser-state-2"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    );
    let landed = browser_code_flow(&browser, &authorize, &callback.uri, "bob").await;
    browser.close().await;
    assert!(
        callback.saw_code(),
        "the loopback callback received the code"
    );

    let response = query(&landed);
    assert_eq!(response["state"], "browser-state-2");
    assert_eq!(response["iss"], server.issuer(&tenant), "ISS-01");
    let (status, tokens) = redeem_at(
        &server,
        &tenant,
        Auth::PublicId(&client.id),
        &response["code"],
        &callback.uri,
    )
    .await;
    assert_eq!(status, 200, "PKC-04: the verifier redeems: {tokens}");
    let id = claims(tokens["id_token"].as_str().expect("an ID token"));
    assert_eq!(id["sub"], user_id.as_str());
    assert_eq!(id["aud"], client.id.as_str());
    assert!(id.get("nonce").is_none(), "OID-01: no nonce unless sent");
    assert!(tokens["refresh_token"].is_string());
    server.stop().await;
}

/// At each width: the page fits without horizontal scrolling, every input
/// has a label, and a screenshot `<name>-<width>` is kept. Ends at 1280 px.
async fn check_page(browser: &Browser, name: &str) {
    for width in WIDTHS {
        browser.set_width(width).await;
        let url = browser.current_url().await;
        assert!(
            browser.no_horizontal_scroll().await,
            "the {name} page ({url}) scrolls sideways at {width}px"
        );
        // Buttons of one row share one top edge (a wrapped row has two).
        for tops in browser.button_row_tops().await {
            assert!(
                tops.len() == 1 || width < 400,
                "the {name} page's buttons are misaligned at {width}px: tops {tops:?}"
            );
        }
        let unlabelled = browser.unlabelled_inputs().await;
        assert!(
            unlabelled.is_empty(),
            "the {name} page ({url}) has unlabelled inputs at {width}px: {unlabelled:?}"
        );
        browser.screenshot(&format!("{name}-{width}")).await;
    }
}

#[actix_rt::test]
async fn hosted_pages_fit_phone_and_desktop_widths_with_labelled_inputs() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    server.user(&tenant, "carol").await;
    let callback = LoopbackCallback::start().await;
    let client = client_for(
        &server,
        &tenant,
        AuthMethod::ClientSecretBasic,
        &callback.uri,
    )
    .await;
    let browser =
        Browser::start("hosted_pages_fit_phone_and_desktop_widths_with_labelled_inputs").await;
    let base = server.issuer(&tenant);

    browser
        .goto(&authorize_url(
            &server,
            &tenant,
            &[
                ("response_type", "code"),
                ("client_id", &client.id),
                ("redirect_uri", &callback.uri),
                ("scope", "openid profile email phone address read write"),
                ("state", "s"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
        ))
        .await;
    assert_eq!(page_of(&browser.current_url().await), "login");
    check_page(&browser, "login").await;

    let url = sign_in(&browser, "carol", PASSWORD).await;
    assert_eq!(page_of(&url), "consent", "{url}");
    check_page(&browser, "consent").await;
    let url = allow(&browser).await;
    assert!(url.as_str().starts_with(&callback.uri), "{url}");

    // RDR-05: an unknown client gets an error page, not a redirect.
    browser
        .goto(&authorize_url(
            &server,
            &tenant,
            &[
                ("response_type", "code"),
                ("client_id", "no-such-client"),
                ("redirect_uri", &callback.uri),
                ("scope", "openid"),
            ],
        ))
        .await;
    let url = browser.current_url().await;
    assert_eq!(page_of(&url), "authorize", "RDR-05: no redirect: {url}");
    assert!(
        browser.source().await.contains("not known"),
        "RDR-05: the error page shows the problem"
    );
    check_page(&browser, "error").await;

    // The signed-in user asks to sign out without a hint: a confirmation page.
    browser.goto(&format!("{base}/logout")).await;
    wait_for_text(&browser, "Do you want to sign out").await;
    check_page(&browser, "logout-confirm").await;
    browser.click("form button[type=submit]").await;
    wait_for_text(&browser, "You are signed out").await;
    check_page(&browser, "logged-out").await;

    // The icon every page names (and browsers fetch without being told).
    for path in ["/favicon.ico", "/assets/favicon.svg"] {
        let icon = server.get(path).await;
        assert_eq!(icon.status(), 200, "{path}");
        assert_eq!(
            icon.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("image/svg+xml"),
            "{path}"
        );
    }
    assert!(browser.source().await.contains("/assets/favicon.svg"));

    browser.close().await;
    server.stop().await;
}

/// The value after `label` on a line of the demo banner.
fn banner_value<'a>(printed: &'a str, label: &str) -> Option<&'a str> {
    printed
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .map(str::trim)
}

#[actix_rt::test]
async fn the_demo_binary_prints_a_url_that_signs_the_demo_user_in() {
    // The demo user's password is printed only when the user is created: a
    // database of its own, so it always is.
    let fresh = crate::support::fresh_db::FreshDatabase::new();
    let cwd = DataDir::new();
    let port = crate::support::binary::free_port();
    let mut process = crate::support::binary::ServerProcess::spawn(
        &cwd.path,
        port,
        &["--demo"],
        fresh.url_on_services(),
    );
    process.wait_ready(Duration::from_secs(30)).await;
    let printed = process
        .wait_printed("Sign in as a person", Duration::from_secs(30))
        .await;
    let password = banner_value(&printed, "password")
        .unwrap_or_else(|| panic!("the banner has a password line:\n{printed}"));
    let password = password
        .split_whitespace()
        .next()
        .expect("a printed password");
    let authorize = banner_value(&printed, "open")
        .unwrap_or_else(|| panic!("the banner has an authorization URL:\n{printed}"));
    assert!(
        authorize.starts_with(&format!("http://127.0.0.1:{port}/t/demo/authorize?")),
        "{authorize}"
    );

    let browser = Browser::start("the_demo_binary_prints_a_url_that_signs_the_demo_user_in").await;
    browser.goto(authorize).await;
    assert_eq!(page_of(&browser.current_url().await), "login");
    browser.screenshot("1-login").await;
    let mut url = sign_in(&browser, "demo", password).await;
    if page_of(&url) == "consent" {
        browser.screenshot("2-consent").await;
        url = allow(&browser).await;
    }
    assert_eq!(url.path(), "/t/demo/demo/callback", "{url}");
    browser.screenshot("3-callback").await;
    let source = browser.source().await;
    let id_token = match browser.client().find(Locator::Css("#id-token")).await {
        Ok(element) => element.text().await.expect("ID token text"),
        Err(e) => panic!("no #id-token on the demo callback ({e}):\n{source}"),
    };
    let decoded: Value =
        serde_json::from_str(&id_token).expect("the page shows the claims as JSON");
    assert!(id_token.contains("\"sub\""), "{id_token}");
    assert_eq!(decoded["iss"], format!("http://127.0.0.1:{port}/t/demo"));
    assert_eq!(decoded["aud"], "demo-web");
    browser.close().await;
    process.kill();
}
