//! `prompt`, `max_age` and `id_token_hint` (OIDC Core §3.1.2.1, SECURITY.md
//! OID-03/10): when an existing session is reused and when a login is forced.

use std::time::Duration;

use idp::clock::Clock;
use idp::domain::client::AuthMethod;

use super::{
    assert_error_redirect, assert_login_redirect, claims, follow, request, tokens, with, without,
};
use crate::support::signin::{CALLBACK, PASSWORD, query_of};
use crate::support::{DataDir, TestServer, test_config};

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

/// `max_age=0` is `prompt=login` (OIDC Core, errata set 2), even within the
/// second of the login that made the session.
#[actix_rt::test]
async fn max_age_zero_forces_a_login_within_the_same_second() {
    let data = DataDir::new();
    let clock = Clock::default();
    clock.freeze();
    let server = TestServer::start_config(&data, test_config(&data), clock.clone()).await;
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
    // The clock has not moved: the session is 0 seconds old.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("max_age", "0")]),
        )
        .await;
    assert_login_redirect(&page, &setup.tenant, "max_age=0 in the second of the login");
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("max_age", "0"), ("prompt", "none")]),
        )
        .await;
    assert_error_redirect(
        &page,
        CALLBACK,
        "login_required",
        "S",
        &server.issuer(&setup.tenant),
        "max_age=0 with prompt=none",
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
