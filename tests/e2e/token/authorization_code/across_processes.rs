//! A flow started on one server process and finished on another behind one
//! public URL: sessions, consent and codes are shared, and single use holds
//! across processes.

use serde_json::Value;

use super::{SCOPE, assert_invalid_grant, claims};
use crate::support::oauth::{Auth, Creds, assert_error_shape, basic};
use crate::support::signin::{CALLBACK, CHALLENGE, VERIFIER, query_of};
use crate::support::{Backend, DataDir, TestServer};

/// POSTs `form` to `{base}{path}` with Basic `creds`; checks the RFC 6749
/// error shape. For a server whose public URL is not its own address.
async fn post_at(base: &str, path: &str, creds: &Creds, form: &[(&str, &str)]) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("authorization", basic(&creds.id, &creds.secret))
        .form(form)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status >= 400 {
        assert_error_shape(status, &headers, &body);
    }
    (status, body)
}

#[actix_rt::test]
async fn a_flow_started_on_one_process_finishes_on_another() {
    // Two processes behind one public URL sharing PostgreSQL and Redis:
    // authorize and login on the first, consent and redemption on the second.
    let Backend::Services { .. } = Backend::from_env() else {
        eprintln!("the embedded default runs one server process");
        return;
    };
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let public = first.url.clone();
    let second = TestServer::start_with(&data, |c| c.http.public_url = public.clone()).await;
    // `second.url` is the shared public URL; reach the second by its address.
    let second_base = format!("http://{}", second.running.addr);
    assert_ne!(second_base, first.url);
    let rehome = |url: &str| url.replacen(&public, &second_base, 1);

    let setup = first.web_setup().await;
    let tenant = &setup.tenant;
    let browser = first.browser();
    let page = browser
        .authorize(
            tenant,
            &[
                ("response_type", "code"),
                ("redirect_uri", CALLBACK),
                ("client_id", setup.client.id.as_str()),
                ("scope", SCOPE),
                ("state", "two-processes"),
                ("nonce", "n-2"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
    let login = page.location.clone().expect("to the login page");
    assert!(login.contains("/login?"), "{login}");
    let page = browser
        .login(&login, "alice", crate::support::signin::PASSWORD)
        .await;
    let consent = page.location.clone().expect("to the consent page");
    assert!(consent.contains("/consent?"), "{consent}");

    // The cookies are host-only for 127.0.0.1, so the same jar serves both
    // processes; the second process answers the consent page and its post.
    let consent_page = browser.get(&rehome(&absolute(&public, &consent))).await;
    assert_eq!(
        consent_page.status, 200,
        "the second process knows the interaction: {}",
        consent_page.body
    );
    let done = browser
        .post(
            &format!("{second_base}/t/{}/consent", tenant.slug),
            &[
                (
                    "interaction",
                    &consent_page.hidden("interaction").expect("interaction"),
                ),
                ("csrf", &consent_page.hidden("csrf").expect("csrf")),
                ("decision", "approve"),
            ],
        )
        .await;
    let location = done.location.clone().expect("a redirect to the client");
    assert!(location.starts_with(CALLBACK), "{location}");
    let callback = query_of(&location);
    assert_eq!(callback["state"], "two-processes");
    assert_eq!(callback["iss"], first.issuer(tenant));

    let (status, tokens) = post_at(
        &second_base,
        &format!("/t/{}/token", tenant.slug),
        &setup.client,
        &[
            ("grant_type", "authorization_code"),
            ("code", callback["code"].as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "the second process redeems: {tokens}");
    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    assert_eq!(id["sub"].as_str(), Some(setup.user_id.as_str()));
    assert_eq!(id["nonce"], "n-2");
    assert_eq!(id["iss"].as_str(), Some(first.issuer(tenant).as_str()));

    // The code is spent for the first process too.
    let replay = first
        .redeem(
            tenant,
            Auth::Basic(&setup.client),
            &callback["code"],
            Some(VERIFIER),
        )
        .await;
    assert_invalid_grant(&replay, "COD-01 across processes");
    second.stop().await;
}

/// `url` made absolute against `base`.
fn absolute(base: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{base}{url}")
    } else {
        url.to_owned()
    }
}
