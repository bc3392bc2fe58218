//! `kill -9` of the server while it issues opaque tokens: every token that was
//! answered with a 200 introspects active after the restart (DESIGN: a
//! response is sent only after its write commits).

use std::time::Duration;

use idp::clock::Clock;
use idp::config::Config;
use idp::domain::client::{NewClient, TokenFormat};
use idp::domain::tenant::NewTenant;
use idp::platform::Platform;

use crate::support::binary::{ServerProcess, free_port};
use crate::support::oauth::basic;
use crate::support::{Backend, DataDir, TEST_MASTER_KEY, random_slug};

/// The platform the spawned binary runs on, opened by the test as a second
/// process on the same database (on the embedded default, the same file).
async fn shared_platform(cwd: &DataDir) -> Platform {
    let mut config = Config {
        data_dir: cwd.path.join("data"),
        ..Config::default()
    };
    if let Backend::Services { database, redis } = Backend::from_env() {
        config.database.url = Some(database);
        config.redis.url = Some(redis);
        config.secrets.master_key = Some(idp::secret::Secret::new(TEST_MASTER_KEY.to_owned()));
    }
    config.validate().expect("config");
    Platform::open(config, Clock::default())
        .await
        .expect("platform")
}

#[actix_rt::test]
async fn every_answered_opaque_token_survives_kill_9() {
    let cwd = DataDir::new();
    let port = free_port();
    let mut process = ServerProcess::spawn(&cwd.path, port, &[], None);
    process.wait_ready(Duration::from_secs(30)).await;

    let platform = shared_platform(&cwd).await;
    let tenant = idp::tenants::create(&platform, NewTenant::new(random_slug("kill"), "Kill"))
        .await
        .expect("tenant");
    let scopes = idp::apis::scopes(&[("read", "Read")]);
    idp::apis::create(
        &platform,
        tenant.id,
        "https://api.kill.test",
        "API",
        scopes,
        true,
    )
    .await
    .expect("api");
    let created = idp::clients::create(
        &platform,
        tenant.id,
        NewClient {
            token_format: TokenFormat::Opaque,
            ..NewClient::machine("opaque", &["read"])
        },
    )
    .await
    .expect("client");
    let id = created.client.id.to_string();
    let secret = created.secret.expect("secret").expose().clone();
    let authorization = basic(&id, &secret);
    let token_url = format!("{}/t/{}/token", process.url, tenant.slug);

    // Requests in flight from 8 tasks; kill -9 while they run.
    let client = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (client, url, authorization) =
            (client.clone(), token_url.clone(), authorization.clone());
        tasks.push(tokio::spawn(async move {
            let mut answered = Vec::new();
            for _ in 0..2_000 {
                let Ok(response) = client
                    .post(&url)
                    .header("authorization", &authorization)
                    .form(&[("grant_type", "client_credentials")])
                    .send()
                    .await
                else {
                    break;
                };
                if response.status() != 200 {
                    continue;
                }
                let Ok(body) = response.json::<serde_json::Value>().await else {
                    break;
                };
                if let Some(token) = body["access_token"].as_str() {
                    answered.push(token.to_owned());
                }
            }
            answered
        }));
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    process.kill();
    let mut answered = Vec::new();
    for task in tasks {
        answered.extend(task.await.expect("task"));
    }
    assert!(
        answered.len() > 20,
        "only {} tokens before the kill",
        answered.len()
    );

    let mut restarted = ServerProcess::spawn(&cwd.path, port, &[], None);
    restarted.wait_ready(Duration::from_secs(30)).await;
    let introspect_url = format!("{}/t/{}/introspect", restarted.url, tenant.slug);
    for token in &answered {
        let body: serde_json::Value = client
            .post(&introspect_url)
            .header("authorization", &authorization)
            .form(&[("token", token.as_str())])
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        assert_eq!(body["active"], true, "a token answered with 200 was lost");
    }
    eprintln!(
        "{} tokens answered before kill -9, all active after restart",
        answered.len()
    );
}
