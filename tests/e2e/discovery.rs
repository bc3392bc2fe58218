//! Discovery documents: OIDC Discovery §4 and RFC 8414 §3 (SECURITY.md ISS-03,
//! KEY-03, X-06).

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
