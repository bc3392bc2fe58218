//! Brute-force protection of the hosted login over HTTP (SECURITY.md BRF-01,
//! 10 failures lock the user of one tenant for 15 minutes with the
//! same generic message; the same username elsewhere is unaffected; 100
//! failures from one source address give 429 with `Retry-After`.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use idp::domain::client::AuthMethod;
use idp::domain::tenant::Tenant;
use serde_json::Value;

use crate::support::TestServer;
use crate::support::oauth::{Auth, Creds};
use crate::support::signin::{
    Browserless, CALLBACK, CHALLENGE, PASSWORD, Page, VERIFIER, query_of,
};

/// The generic message of every failed login.
const FAILED: &str = "The username or password is incorrect";

/// A server whose clock stands at the start of a counting window, so a
/// test's failures never straddle two windows.
async fn server_at_window_start() -> TestServer {
    let server = TestServer::start().await;
    let clock = &server.platform().clock;
    let window_ms = i64::try_from(idp_server::login_guard::WINDOW.as_millis()).expect("small");
    let into = clock.now_ms().rem_euclid(window_ms);
    clock.advance(Duration::from_millis(
        u64::try_from(window_ms - into + 10).expect("positive"),
    ));
    server
}

/// A tenant with the default API, a web client and the user `username`.
async fn tenant_with(server: &TestServer, username: &str) -> (Tenant, Creds, String) {
    let tenant = server.tenant().await;
    server.api(&tenant).await;
    let client = server
        .web_client(&tenant, AuthMethod::ClientSecretBasic, |_| {})
        .await;
    let user = server.user(&tenant, username).await;
    (tenant, client, user)
}

/// An open login form of a new flow in `browser`.
struct LoginForm {
    interaction: String,
    csrf: String,
    path: String,
}

async fn open_login(browser: &Browserless, tenant: &Tenant, client: &Creds) -> LoginForm {
    let page = browser
        .authorize(
            tenant,
            &[
                ("response_type", "code"),
                ("redirect_uri", CALLBACK),
                ("client_id", &client.id),
                ("scope", "openid"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
    let location = page.location.expect("to the login page");
    let page = browser.get(&location).await;
    assert_eq!(page.status, 200, "{}", page.body);
    LoginForm {
        interaction: page.hidden("interaction").expect("interaction"),
        csrf: page.hidden("csrf").expect("csrf"),
        path: format!("/t/{}/login", tenant.slug),
    }
}

async fn post(browser: &Browserless, form: &LoginForm, login: &str, password: &str) -> Page {
    browser
        .post(
            &form.path,
            &[
                ("interaction", form.interaction.as_str()),
                ("csrf", &form.csrf),
                ("login", login),
                ("password", password),
            ],
        )
        .await
}

/// A refused login: the login page again with the generic message.
fn assert_refused(page: &Page, what: &str) {
    assert_eq!(page.status, 200, "{what}: {}", page.body);
    assert!(page.location.is_none(), "{what}: not signed in");
    assert!(page.body.contains(FAILED), "{what}: generic message");
}

/// A successful login: a redirect onwards with a session cookie.
fn assert_signed_in(page: &Page, what: &str) {
    assert!(
        matches!(page.status, 302 | 303),
        "{what}: signed in: {} {}",
        page.status,
        page.body
    );
    assert!(
        page.headers.get("set-cookie").is_some(),
        "{what}: a session"
    );
}

/// Fails `times` logins of `login` in a fresh flow; returns the form.
async fn fail(
    server: &TestServer,
    tenant: &Tenant,
    client: &Creds,
    login: &str,
    times: usize,
) -> (Browserless, LoginForm) {
    let browser = server.browser();
    let form = open_login(&browser, tenant, client).await;
    for attempt in 1..=times {
        let page = post(&browser, &form, login, "wrong password").await;
        assert_refused(&page, &format!("failure {attempt}"));
    }
    (browser, form)
}

#[actix_rt::test]
async fn ten_wrong_passwords_lock_the_user_of_one_tenant_for_the_window() {
    let server = server_at_window_start().await;
    let (a, client_a, _) = tenant_with(&server, "alice").await;
    let (b, client_b, _) = tenant_with(&server, "alice").await;

    let (browser, form) = fail(&server, &a, &client_a, "alice", 10).await;
    let wrong = post(&browser, &form, "alice", "wrong password").await;
    let right = post(&browser, &form, "alice", PASSWORD).await;
    assert_refused(&right, "BRF-01: the right password during the lock");
    assert_eq!(
        right.body, wrong.body,
        "BRF-01: the lock looks like any failure"
    );
    let browser = server.browser();
    let form = open_login(&browser, &a, &client_a).await;
    assert_refused(
        &post(&browser, &form, "alice", PASSWORD).await,
        "BRF-01: locked in a new flow and browser too",
    );

    let browser = server.browser();
    let form = open_login(&browser, &b, &client_b).await;
    assert_signed_in(
        &post(&browser, &form, "alice", PASSWORD).await,
        "BRF-01/X-08: the same username in tenant B",
    );

    // Still locked just before the window ends; open just after.
    server
        .platform()
        .clock
        .advance(Duration::from_secs(14 * 60));
    let browser = server.browser();
    let form = open_login(&browser, &a, &client_a).await;
    assert_refused(
        &post(&browser, &form, "alice", PASSWORD).await,
        "BRF-01: within the window",
    );
    server.platform().clock.advance(Duration::from_secs(60 + 5));
    let browser = server.browser();
    let form = open_login(&browser, &a, &client_a).await;
    assert_signed_in(
        &post(&browser, &form, "alice", PASSWORD).await,
        "BRF-01: unlocked after the window",
    );
}

/// Signs `login` in at `tenant` and returns the ID token's `sub`.
async fn sub_after_sign_in(
    server: &TestServer,
    tenant: &Tenant,
    client: &Creds,
    login: &str,
) -> Value {
    let browser = server.browser();
    let form = open_login(&browser, tenant, client).await;
    let mut page = post(&browser, &form, login, PASSWORD).await;
    assert_signed_in(&page, login);
    let mut location = page.location.clone().expect("Location");
    if location.contains("/consent?") {
        page = browser.consent(&location, "approve").await;
        location = page.location.clone().expect("Location");
    }
    assert!(location.starts_with(CALLBACK), "{location}");
    let (status, tokens) = server
        .redeem(
            tenant,
            Auth::Basic(client),
            &query_of(&location)["code"],
            Some(VERIFIER),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    let id_token = tokens["id_token"].as_str().expect("id_token");
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id_token.split('.').nth(1).expect("payload"))
        .expect("b64");
    let claims: Value = serde_json::from_slice(&payload).expect("json");
    claims["sub"].clone()
}

#[actix_rt::test]
async fn the_same_credentials_in_two_tenants_are_two_accounts() {
    let server = server_at_window_start().await;
    let (a, client_a, carol_a) = tenant_with(&server, "carol").await;
    let (b, client_b, carol_b) = tenant_with(&server, "carol").await;
    server.user(&a, "dave").await;

    let sub_a = sub_after_sign_in(&server, &a, &client_a, "carol").await;
    let sub_b = sub_after_sign_in(&server, &b, &client_b, "carol").await;
    assert_eq!(sub_a, carol_a.as_str());
    assert_eq!(sub_b, carol_b.as_str());
    assert_ne!(sub_a, sub_b, "X-08: two accounts, two subjects");

    // dave exists only at A: his password means nothing at B.
    let browser = server.browser();
    let form = open_login(&browser, &b, &client_b).await;
    assert_refused(
        &post(&browser, &form, "dave", PASSWORD).await,
        "X-08: A's user at B",
    );

    // A lockout at A does not lock B.
    fail(&server, &a, &client_a, "carol", 10).await;
    let browser = server.browser();
    let form = open_login(&browser, &a, &client_a).await;
    assert_refused(
        &post(&browser, &form, "carol", PASSWORD).await,
        "X-08: locked at A",
    );
    let sub = sub_after_sign_in(&server, &b, &client_b, "carol").await;
    assert_eq!(sub, sub_b, "X-08: B unaffected by A's lockout");
}

#[actix_rt::test]
async fn a_source_address_with_too_many_failures_gets_429() {
    let server = server_at_window_start().await;
    let (tenant, client, _) = tenant_with(&server, "alice").await;
    let started = Instant::now();
    // Unknown users: no account is locked on the way.
    let browser = server.browser();
    let form = open_login(&browser, &tenant, &client).await;
    // Four at a time: the argon2 verifications run on both cores.
    let names: Vec<String> = (1..=100).map(|i| format!("nobody-{i}")).collect();
    let pages: Vec<Page> = futures_util::stream::iter(&names)
        .map(|name| post(&browser, &form, name, "x"))
        .buffer_unordered(4)
        .collect()
        .await;
    for page in &pages {
        assert_refused(page, "one of 100 failures");
    }
    eprintln!("100 failed logins took {:?}", started.elapsed());

    let page = post(&browser, &form, "alice", PASSWORD).await;
    assert_eq!(page.status, 429, "BRF-01: source throttled: {}", page.body);
    let retry: u64 = page
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("BRF-01: Retry-After in seconds");
    assert!((1..=15 * 60).contains(&retry), "Retry-After {retry}");
    assert!(page.location.is_none(), "not signed in");
}

#[actix_rt::test]
async fn successful_logins_never_add_up_to_a_lock() {
    // Attempts are counted before the password check; a success clears them,
    // so a user who signs in often is never locked out (and 9 failures
    // followed by a success start the count again).
    let server = TestServer::start().await;
    let (tenant, client, _) = tenant_with(&server, "busy").await;
    for round in 0..12 {
        let browser = server.browser();
        let form = open_login(&browser, &tenant, &client).await;
        let page = post(&browser, &form, "busy", PASSWORD).await;
        assert_signed_in(&page, &format!("login {round}"));
    }
    for round in 0..2 {
        let (browser, form) = fail(&server, &tenant, &client, "busy", 9).await;
        assert_signed_in(
            &post(&browser, &form, "busy", PASSWORD).await,
            &format!("9 failures, then the right password (round {round})"),
        );
    }
}

#[actix_rt::test]
async fn an_admin_unlock_opens_sign_in_on_every_process_at_once() {
    // The unlock comes from the admin service, another process on the
    // embedded default: only the change counter carries it to the server.
    let admin = crate::support::admin::AdminService::start().await;
    let token = admin.system_token().await;
    let (tenant, client, user_id) = tenant_with(&admin.server, "dora").await;
    let (browser, form) = fail(&admin.server, &tenant, &client, "dora", 10).await;
    assert_refused(&post(&browser, &form, "dora", PASSWORD).await, "locked");
    let path = format!("/v1/tenants/{}/users/{user_id}", tenant.slug);
    let locked = admin.get(&token, &path).await;
    assert!(locked.body["locked_until"].is_i64(), "{:?}", locked.body);
    let unlock = admin
        .call(
            Some(&token),
            reqwest::Method::POST,
            &format!("{path}/unlock"),
            None,
            None,
        )
        .await;
    assert_eq!(unlock.status, 204);
    crate::support::eventually(Duration::from_secs(1), "sign-in opens", || async {
        let browser = admin.server.browser();
        let form = open_login(&browser, &tenant, &client).await;
        let page = post(&browser, &form, "dora", PASSWORD).await;
        matches!(page.status, 302 | 303)
    })
    .await;
    admin.server.stop().await;
}

#[actix_rt::test]
async fn a_tenant_sets_its_own_password_and_lockout_rules() {
    let admin = crate::support::admin::AdminService::start().await;
    let token = admin.system_token().await;
    let (tenant, client, _) = tenant_with(&admin.server, "erin").await;
    let path = format!("/v1/tenants/{}", tenant.slug);
    let etag = admin.get(&token, &path).await.etag;
    let rules = serde_json::json!({ "policy": { "sign_in": {
        "password_min_length": 12, "lockout_failures": 3, "lockout_secs": 600 } } });
    let too_lax = serde_json::json!({ "policy": { "sign_in": { "lockout_failures": 1000 } } });
    assert_eq!(
        admin
            .patch(&token, &path, &too_lax, etag.as_deref())
            .await
            .status,
        422
    );
    let updated = admin.patch(&token, &path, &rules, etag.as_deref()).await;
    assert_eq!(updated.status, 200, "{:?}", updated.body);

    let users = format!("{path}/users");
    let short = serde_json::json!({ "username": "frank", "password": "eleven char" });
    assert_eq!(
        admin.post(&token, &users, &short).await.status,
        422,
        "shorter than 12"
    );
    let long = serde_json::json!({ "username": "frank", "password": "twelve chars" });
    assert_eq!(admin.post(&token, &users, &long).await.status, 201);

    // Three failures lock erin once the server has the new policy.
    crate::support::eventually(Duration::from_secs(1), "three failures lock", || async {
        let (browser, form) = fail(&admin.server, &tenant, &client, "erin", 3).await;
        post(&browser, &form, "erin", PASSWORD)
            .await
            .location
            .is_none()
    })
    .await;
    admin.server.stop().await;
}

#[actix_rt::test]
async fn a_username_and_an_email_address_share_one_count() {
    // BRF-01: attempts count per account, whichever of its names is typed:
    // nine wrong guesses under the username and one under the email address
    // reach the limit of ten.
    let server = server_at_window_start().await;
    let (tenant, client, _) = tenant_with(&server, "erin").await;
    let (browser, form) = fail(&server, &tenant, &client, "erin", 9).await;
    assert_refused(
        &post(&browser, &form, "Erin@Example.TEST", "wrong password").await,
        "the tenth failure, under the email address",
    );
    for login in ["erin", "erin@example.test"] {
        let browser = server.browser();
        let form = open_login(&browser, &tenant, &client).await;
        assert_refused(
            &post(&browser, &form, login, PASSWORD).await,
            &format!("BRF-01: locked under {login} too"),
        );
    }
}

/// `password_verifications` of the server's `/health/stats`.
async fn verifications(server: &TestServer) -> u64 {
    let (status, stats) = server.get_json("/health/stats").await;
    assert_eq!(status, 200, "{stats}");
    stats["password_verifications"]
        .as_u64()
        .expect("password_verifications")
}

#[actix_rt::test]
async fn a_concurrent_burst_from_one_address_gets_no_more_checks_than_the_limit() {
    // BRF-01: the per-address count is taken before the password is checked,
    // atomically, so 300 wrong sign-ins at once run at most 100 argon2id
    // verifications; the rest get 429.
    let server = server_at_window_start().await;
    let (tenant, client, _) = tenant_with(&server, "alice").await;
    let browser = server.browser();
    let form = open_login(&browser, &tenant, &client).await;
    let before = verifications(&server).await;
    let names: Vec<String> = (1..=300).map(|i| format!("burst-{i}")).collect();
    let pages: Vec<Page> = futures_util::stream::iter(&names)
        .map(|name| post(&browser, &form, name, "x"))
        .buffer_unordered(300)
        .collect()
        .await;
    let checked = verifications(&server).await - before;
    let count = |status: u16| pages.iter().filter(|p| p.status == status).count();
    let (refused, throttled, unavailable) = (count(200), count(429), count(503));
    // 503: a count the store did not take in time under this load fails
    // closed, never open.
    assert_eq!(
        refused + throttled + unavailable,
        300,
        "every answer is a refusal, 429 or 503"
    );
    assert_eq!(
        u64::try_from(refused).expect("small"),
        checked,
        "each check is one refusal"
    );
    assert!(
        checked <= idp_server::login_guard::SOURCE_FAILURES,
        "BRF-01: {checked} password verifications for a limit of 100"
    );
    // At most 100 attempts count within the limit; the others are 429 or 503.
    assert!(
        throttled + unavailable >= 200,
        "the rest are refused before any check: {throttled} 429, {unavailable} 503"
    );
}
