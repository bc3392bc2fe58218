//! The real binary, started the way the README's first command starts it.

use std::time::Duration;

use crate::support::DataDir;
use crate::support::binary::{ServerProcess, free_port};

#[actix_rt::test]
async fn first_command_serves_the_demo_tenant_and_survives_restart() {
    let cwd = DataDir::new();
    let port = free_port();
    let mut process = ServerProcess::spawn(&cwd.path, port, &["--demo"], None);
    process.wait_ready(Duration::from_secs(30)).await;
    let issuer = format!("http://127.0.0.1:{port}/t/demo");
    let printed = process.printed();
    for expected in [
        format!("Issuer     {issuer}"),
        format!("{issuer}/.well-known/openid-configuration"),
        format!("{issuer}/jwks.json"),
    ] {
        assert!(
            printed.contains(&expected),
            "banner lacks {expected}:\n{printed}"
        );
    }

    let client = reqwest::Client::new();
    let discovery: serde_json::Value = client
        .get(format!("{issuer}/.well-known/openid-configuration"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(discovery["issuer"], issuer);
    let jwks_before = client
        .get(format!("{issuer}/jwks.json"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    process.kill();

    let mut again = ServerProcess::spawn(&cwd.path, port, &["--demo"], None);
    again.wait_ready(Duration::from_secs(30)).await;
    let jwks_after = client
        .get(format!("{issuer}/jwks.json"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body");
    assert_eq!(
        jwks_before, jwks_after,
        "the demo tenant and its keys survive a restart"
    );
}

#[actix_rt::test]
async fn a_mixed_backend_refuses_to_start_with_a_clear_message() {
    let cwd = DataDir::new();
    let output = std::process::Command::new(crate::support::binary::server_binary())
        .current_dir(&cwd.path)
        .env_remove("DATABASE_URL")
        .env("REDIS_URL", "redis://127.0.0.1:6379")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("redis.url") && stderr.contains("SQLite"),
        "{stderr}"
    );
}
