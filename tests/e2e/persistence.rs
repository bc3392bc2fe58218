//! Restarts keep tenants and their keys (SECURITY.md F-24 for the embedded default).

use crate::support::{DataDir, TestServer};

#[actix_rt::test]
async fn restart_keeps_tenant_and_keys() {
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let tenant = first.tenant().await;
    let path = format!("/t/{}/jwks.json", tenant.slug);
    let before = first.get(&path).await.text().await.expect("body");
    first.stop().await;

    let second = TestServer::start_with(&data, |_| {}).await;
    let response = second.get(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.expect("body"), before);
    let (_, doc) = second
        .get_json(&format!(
            "/t/{}/.well-known/openid-configuration",
            tenant.slug
        ))
        .await;
    assert_eq!(doc["issuer"], second.issuer(&tenant));
}

#[actix_rt::test]
async fn a_wrong_master_key_cannot_open_the_keys() {
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |_| {}).await;
    let tenant = first.tenant().await;
    first.stop().await;

    let second = TestServer::start_with(&data, |config| {
        config.secrets.master_key = Some(idp::secret::Secret::new(
            "b3RoZXItbWFzdGVyLWtleS0zMi1ieXRlcy1sb25nISE=".to_owned(),
        ));
    })
    .await;
    // Corrupt or foreign data is an internal error, never a key served or a panic.
    let response = second.get(&format!("/t/{}/jwks.json", tenant.slug)).await;
    assert_eq!(response.status(), 500);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["error"], "server_error");
}
