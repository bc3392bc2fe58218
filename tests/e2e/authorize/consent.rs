//! Consent (SECURITY.md OID-11): `offline_access` always asks, and a client
//! is asked only for scopes not yet granted, or again on `prompt=consent`.

use idp::domain::client::AuthMethod;

use super::{request, tokens, with};
use crate::support::TestServer;
use crate::support::signin::{CALLBACK, PASSWORD, query_of};

#[actix_rt::test]
async fn offline_access_needs_consent_even_for_first_party_clients() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let offline = with(
        &request(&setup.client.id, &[]),
        "scope",
        "openid offline_access",
    );
    let page = browser.authorize(&setup.tenant, &offline).await;
    let after_login = browser
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let consent = after_login.location.clone().expect("Location");
    assert!(
        consent.contains("/consent?"),
        "OID-11: offline_access without consent shows the consent page: {consent}"
    );
    let consent_page = browser.get(&consent).await;
    assert_eq!(consent_page.status, 200);
    assert!(
        consent_page.body.contains("data-scope=\"offline_access\""),
        "OID-11: offline_access is listed: {}",
        consent_page.body
    );
    assert!(
        consent_page.body.contains("Keep access while you are away")
            && !consent_page.body.contains(">offline_access<")
            && !consent_page.body.contains("<code>"),
        "people read descriptions, not scope codes: {}",
        consent_page.body
    );

    // A first-party client skips consent, except for offline access (OIDC Core §11).
    let first_party = server
        .web_client(&setup.tenant, AuthMethod::ClientSecretBasic, |c| {
            c.first_party = true;
        })
        .await;
    let fresh = server.browser();
    let page = fresh
        .authorize(
            &setup.tenant,
            &with(
                &request(&first_party.id, &[]),
                "scope",
                "openid offline_access read",
            ),
        )
        .await;
    let after_login = fresh
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let consent = after_login.location.clone().expect("Location");
    assert!(
        consent.contains("/consent?"),
        "OID-11: first party asks for offline_access: {consent}"
    );
    let approved = fresh.consent(&consent, "approve").await;
    let location = approved.location.clone().expect("Location");
    assert!(location.starts_with(&format!("{CALLBACK}?")), "{location}");
    // Once granted, the first-party client is not asked again.
    let again = fresh
        .authorize(
            &setup.tenant,
            &with(
                &request(&first_party.id, &[]),
                "scope",
                "openid offline_access read",
            ),
        )
        .await;
    assert!(
        again
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{CALLBACK}?"))),
        "OID-11: remembered: {:?}",
        again.location
    );
    let tokens = tokens(
        &server,
        &setup.tenant,
        &first_party,
        &query_of(&location)["code"],
    )
    .await;
    assert!(tokens["refresh_token"].is_string(), "OID-11: {tokens}");
}

#[actix_rt::test]
async fn consent_asks_only_for_new_scopes_and_again_on_prompt_consent() {
    let server = TestServer::start().await;
    let setup = server.web_setup().await;
    let browser = server.browser();
    let base = request(&setup.client.id, &[]);

    // First flow: `openid read`, both on the page.
    let page = browser.authorize(&setup.tenant, &base).await;
    let after_login = browser
        .login(
            page.location.as_deref().expect("Location"),
            "alice",
            PASSWORD,
        )
        .await;
    let consent = after_login.location.clone().expect("Location");
    let consent_page = browser.get(&consent).await;
    assert!(
        consent_page.body.contains("data-scope=\"read\""),
        "{}",
        consent_page.body
    );
    let approved = browser.consent(&consent, "approve").await;
    assert!(approved.location_query().contains_key("code"));

    // Second flow adds `write`: only `write` is asked.
    let page = browser
        .authorize(&setup.tenant, &with(&base, "scope", "openid read write"))
        .await;
    let consent = page.location.clone().expect("Location");
    assert!(
        consent.contains("/consent?"),
        "a new scope is asked: {consent}"
    );
    let consent_page = browser.get(&consent).await;
    assert!(
        consent_page.body.contains("data-scope=\"write\""),
        "the new scope is listed: {}",
        consent_page.body
    );
    assert!(
        !consent_page.body.contains("data-scope=\"read\""),
        "an already granted scope is not asked again: {}",
        consent_page.body
    );
    let approved = browser.consent(&consent, "approve").await;
    assert!(approved.location_query().contains_key("code"));

    // Nothing new: straight back with a code.
    for scope in ["openid read write", "openid write", "openid"] {
        let page = browser
            .authorize(&setup.tenant, &with(&base, "scope", scope))
            .await;
        assert!(
            page.location
                .as_deref()
                .unwrap_or_default()
                .starts_with(CALLBACK),
            "no consent for granted scopes ({scope}): {:?}",
            page.location
        );
    }

    // prompt=consent asks anyway, listing what is requested.
    let page = browser
        .authorize(
            &setup.tenant,
            &with(&with(&base, "scope", "openid read"), "prompt", "consent"),
        )
        .await;
    let consent = page.location.clone().expect("Location");
    assert!(consent.contains("/consent?"), "prompt=consent: {consent}");
    let consent_page = browser.get(&consent).await;
    assert!(
        consent_page.body.contains("data-scope=\"read\""),
        "{}",
        consent_page.body
    );
    assert!(
        !consent_page.body.contains("data-scope=\"write\""),
        "{}",
        consent_page.body
    );
    let approved = browser.consent(&consent, "approve").await;
    assert!(approved.location_query().contains_key("code"));

    // Everything is granted now: a silent request gets a code.
    let page = browser
        .authorize(
            &setup.tenant,
            &request(&setup.client.id, &[("prompt", "none")]),
        )
        .await;
    assert!(page.location_query().contains_key("code"));
}
