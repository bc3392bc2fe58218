//! Restarts keep tenants and their keys (SECURITY.md F-24 for the embedded
//! default); a process with another master key refuses to start.

use diesel::prelude::*;
use idp::clock::Clock;
use idp::store::key_check;
use idp::store::schema::platform_state;

use crate::support::fresh_db::FreshDatabase;
use crate::support::{DataDir, TestServer, test_config};

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

const OTHER_MASTER_KEY: &str = "b3RoZXItbWFzdGVyLWtleS0zMi1ieXRlcy1sb25nISE=";

/// Starts a server on `data` with another master key; the reason it refused.
async fn refusal_with_another_key(data: &DataDir, database: &str) -> String {
    let mut config = test_config(data);
    config.database.url = Some(database.to_owned());
    config.secrets.master_key = Some(idp::secret::Secret::new(OTHER_MASTER_KEY.to_owned()));
    config.validate().expect("config");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    match idp_server::boot::start(config, Clock::default(), listener).await {
        Ok(_) => panic!("a server with another master key started"),
        Err(e) => e.to_string(),
    }
}

#[actix_rt::test]
async fn a_server_with_another_master_key_refuses_to_start() {
    let database = FreshDatabase::new();
    let url = database.url.clone();
    let data = DataDir::new();
    let first = TestServer::start_with(&data, |c| c.database.url = Some(url.clone())).await;
    first.tenant().await;
    first.stop().await;

    // The check value recorded by the first start.
    let why = refusal_with_another_key(&DataDir::new(), &database.url).await;
    assert!(
        why.contains("master key does not match"),
        "a message that names the cause: {why}"
    );

    // A database written before check values: its sealed keys tell.
    diesel::delete(platform_state::table.filter(platform_state::name.eq(key_check::NAME)))
        .execute(&mut database.connect())
        .expect("no check value");
    let why = refusal_with_another_key(&DataDir::new(), &database.url).await;
    assert!(why.contains("master key does not match"), "{why}");

    // The right key still starts, and records the check value again.
    let again =
        TestServer::start_with(&data, |c| c.database.url = Some(database.url.clone())).await;
    again.stop().await;
    let recorded: i64 = platform_state::table
        .filter(platform_state::name.eq(key_check::NAME))
        .count()
        .get_result(&mut database.connect())
        .expect("count");
    assert_eq!(recorded, 1);
}
