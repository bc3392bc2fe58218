//! Discovery documents: OIDC Discovery §4 and RFC 8414 §3 (SECURITY.md ISS-03,
//! KEY-03, X-06, OID-08).

use crate::support::TestServer;

#[actix_rt::test]
async fn issuer_is_the_tenant_path_at_both_locations() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let issuer = server.issuer(&tenant);

    let (status, oidc) = server
        .get_json(&format!(
            "/t/{}/.well-known/openid-configuration",
            tenant.slug
        ))
        .await;
    assert_eq!(status, 200);
    let (status, rfc8414) = server
        .get_json(&format!(
            "/.well-known/oauth-authorization-server/t/{}",
            tenant.slug
        ))
        .await;
    assert_eq!(status, 200);

    assert_eq!(oidc, rfc8414, "both locations serve one document");
    assert_eq!(oidc["issuer"], issuer);
    assert_eq!(oidc["jwks_uri"], format!("{issuer}/jwks.json"));
    let algs: Vec<&str> = oidc["id_token_signing_alg_values_supported"]
        .as_array()
        .expect("algs")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        algs.contains(&"RS256") && algs.contains(&"ES256"),
        "{algs:?}"
    );
    assert_eq!(
        oidc["subject_types_supported"],
        serde_json::json!(["public"])
    );
}

#[actix_rt::test]
async fn each_tenant_has_its_own_issuer() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    let (_, doc_a) = server
        .get_json(&format!("/t/{}/.well-known/openid-configuration", a.slug))
        .await;
    let (_, doc_b) = server
        .get_json(&format!("/t/{}/.well-known/openid-configuration", b.slug))
        .await;
    assert_eq!(doc_a["issuer"], server.issuer(&a));
    assert_eq!(doc_b["issuer"], server.issuer(&b));
    assert_ne!(doc_a["issuer"], doc_b["issuer"]);
}

#[actix_rt::test]
async fn discovery_of_an_unknown_tenant_is_a_json_404() {
    let server = TestServer::start().await;
    for path in [
        "/t/no-such-tenant/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/t/no-such-tenant",
    ] {
        let (status, body) = server.get_json(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"], "not_found", "{path}");
    }
}

/// OID-08: with an https public URL every endpoint is https under the issuer,
/// the OIDC Discovery §3 required members are present, and the sign-in
/// endpoints the server implements are all listed.
#[actix_rt::test]
async fn every_endpoint_is_listed_under_the_https_issuer() {
    let server = crate::support::TestServer::start_with(&crate::support::DataDir::new(), |c| {
        c.http.public_url = "https://idp.example.test".into();
    })
    .await;
    let tenant = server.tenant().await;
    let response = reqwest::get(format!(
        "http://{}/t/{}/.well-known/openid-configuration",
        server.running.addr, tenant.slug
    ))
    .await
    .expect("sent");
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.expect("json");
    let issuer = format!("https://idp.example.test/t/{}", tenant.slug);
    assert_eq!(doc["issuer"], issuer.as_str());
    for member in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
        "introspection_endpoint",
        "revocation_endpoint",
    ] {
        let url = doc[member]
            .as_str()
            .unwrap_or_else(|| panic!("{member} listed"));
        assert!(url.starts_with(&format!("{issuer}/")), "{member}: {url}");
    }
    for member in [
        "response_types_supported",
        "subject_types_supported",
        "id_token_signing_alg_values_supported",
        "scopes_supported",
        "claims_supported",
        "grant_types_supported",
        "code_challenge_methods_supported",
    ] {
        assert!(
            doc[member].as_array().is_some_and(|a| !a.is_empty()),
            "{member}"
        );
    }
    assert_eq!(doc["response_types_supported"], serde_json::json!(["code"]));
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    let scopes = doc["scopes_supported"].to_string();
    assert!(scopes.contains("openid") && scopes.contains("offline_access"));
}
