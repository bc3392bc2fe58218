//! Tenant resolution from the path: slug tricks never reach another tenant
//! and never answer 500 (SECURITY.md X-09); disabled tenants vanish.

use std::time::Duration;

use crate::support::{TestServer, eventually, raw_http};

#[actix_rt::test]
async fn slug_tricks_never_reach_another_tenant() {
    let server = TestServer::start().await;
    let a = server.tenant().await;
    let b = server.tenant().await;
    let (_, b_jwks) = raw_http::get(&server.url, &format!("/t/{}/jwks.json", b.slug));
    let (a, b) = (a.slug.as_str(), b.slug.as_str());
    let upper_a = a.to_uppercase();
    let encoded_first = format!("%{:02X}{}", a.as_bytes()[0], &a[1..]);
    let tricks = [
        format!("/t/{a}%2F..%2F{b}/jwks.json"),
        format!("/t/{a}%2f..%2f{b}/jwks.json"),
        format!("/t/{a}/../{b}/jwks.json"),
        format!("/t/{a}/..%2F{b}/jwks.json"),
        format!("/t/{upper_a}/jwks.json"),
        format!("/t/{a}/jwks.json/"),
        format!("/t/{a}/"),
        format!("/t/{a}%00/jwks.json"),
        format!("/t/{a}%20/jwks.json"),
        format!("/t/.{a}/jwks.json"),
        format!("/t/{}/jwks.json", "a".repeat(64)),
        format!("/t/{a};{b}/jwks.json"),
        format!("/t//{b}/jwks.json"),
        "/t/%2e%2e/jwks.json".to_owned(),
        "/t/-a/jwks.json".to_owned(),
    ];
    for path in &tricks {
        let (status, body) = raw_http::get(&server.url, path);
        assert!(status < 500, "{path}: {status}");
        assert!(body != b_jwks, "{path} served B's keys");
        if status == 200 {
            // Only a path that names A exactly (after URI normalisation) may answer.
            let (_, a_jwks) = raw_http::get(&server.url, &format!("/t/{a}/jwks.json"));
            assert_eq!(body, a_jwks, "{path}");
        } else {
            assert!(body.contains("not_found"), "{path}: {status} {body}");
        }
    }
    // A percent-encoded unreserved character is the same URI (RFC 3986 §6.2.2.2).
    let (status, body) = raw_http::get(&server.url, &format!("/t/{encoded_first}/jwks.json"));
    let (_, a_jwks) = raw_http::get(&server.url, &format!("/t/{a}/jwks.json"));
    assert!(status == 404 || body == a_jwks, "{status}");
}

#[actix_rt::test]
async fn unknown_and_disabled_tenants_look_the_same() {
    let server = TestServer::start().await;
    let tenant = server.tenant().await;
    let path = format!("/t/{}/jwks.json", tenant.slug);
    assert_eq!(server.get(&path).await.status(), 200);

    idp::tenants::set_enabled(server.platform(), tenant.id, false)
        .await
        .expect("disabled");
    let gone = || async { server.get(&path).await.status() == 404 };
    eventually(Duration::from_secs(1), "disabled tenant gone", gone).await;
    let disabled = server.get(&path).await.text().await.expect("body");
    let unknown = server.get("/t/never-created/jwks.json").await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(disabled, unknown.text().await.expect("body"));

    idp::tenants::set_enabled(server.platform(), tenant.id, true)
        .await
        .expect("enabled");
    let back = || async { server.get(&path).await.status() == 200 };
    eventually(Duration::from_secs(1), "enabled tenant back", back).await;
}

#[actix_rt::test]
async fn unknown_paths_are_json_404s() {
    let server = TestServer::start().await;
    for path in [
        "/",
        "/nope",
        "/t",
        "/t/",
        "/.well-known/openid-configuration",
    ] {
        let (status, body) = server.get_json(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"], "not_found", "{path}");
    }
}
