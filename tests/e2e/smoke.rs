//! The real binary, started the way the README's first command starts it.

use std::time::Duration;

use crate::support::DataDir;
use crate::support::binary::{ServerProcess, free_port};
use crate::support::fresh_db::FreshDatabase;

#[actix_rt::test]
async fn first_command_serves_the_demo_tenant_and_survives_restart() {
    // The demo tenant's slug is fixed: a database of its own, so no other
    // run's demo tenant is found there.
    let fresh = FreshDatabase::new();
    let database = fresh.url_on_services();
    let cwd = DataDir::new();
    let port = free_port();
    let mut process = ServerProcess::spawn(&cwd.path, port, &["--demo"], database);
    process.wait_ready(Duration::from_secs(30)).await;
    let issuer = format!("http://127.0.0.1:{port}/t/demo");
    // The admin service's part comes last, once it listens.
    let printed = process
        .wait_printed("Admin service", Duration::from_secs(30))
        .await;
    let admin = std::fs::canonicalize(crate::support::binary::admin_binary()).expect("built");
    for expected in [
        format!("Issuer     {issuer}"),
        format!("{issuer}/.well-known/openid-configuration"),
        format!("{issuer}/jwks.json"),
        format!("{issuer}/revoke"),
        format!("{} bootstrap", admin.display()),
        format!("{} revoke --tenant demo --user demo", admin.display()),
    ] {
        assert!(
            printed.contains(&expected),
            "banner lacks {expected}:\n{printed}"
        );
    }
    assert!(!printed.contains('\u{1b}'), "no ANSI escapes:\n{printed}");

    let client = reqwest::Client::new();
    demo_machine_client_gets_a_verifiable_token(&client, &issuer, &printed).await;
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

    let mut again = ServerProcess::spawn(&cwd.path, port, &["--demo"], database);
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

/// The banner's curl line, done with reqwest: the printed secret gets a
/// token that verifies against the JWKS and introspects active.
async fn demo_machine_client_gets_a_verifiable_token(
    client: &reqwest::Client,
    issuer: &str,
    printed: &str,
) {
    let secret = printed
        .lines()
        .find_map(|line| line.trim().strip_prefix("client_secret"))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("banner prints the demo secret on first start");
    if secret == "printed" {
        // Another run created the shared demo client first (PostgreSQL): nothing to try.
        return;
    }
    let token: serde_json::Value = client
        .post(format!("{issuer}/token"))
        .basic_auth("demo-machine", Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let access_token = token["access_token"].as_str().expect("token");
    let jwks: jsonwebtoken::jwk::JwkSet = client
        .get(format!("{issuer}/jwks.json"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("jwks");
    let header = jsonwebtoken::decode_header(access_token).expect("header");
    let key = jsonwebtoken::DecodingKey::from_jwk(
        jwks.find(header.kid.as_deref().expect("kid")).expect("kid"),
    )
    .expect("key");
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&["https://api.demo.example"]);
    jsonwebtoken::decode::<serde_json::Value>(access_token, &key, &validation).expect("verifies");
    let introspected: serde_json::Value = client
        .post(format!("{issuer}/introspect"))
        .basic_auth("demo-machine", Some(secret))
        .form(&[("token", access_token)])
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(introspected["active"], true);
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

#[actix_rt::test]
async fn logs_into_a_pipe_carry_no_colour_codes() {
    let cwd = DataDir::new();
    let port = free_port();
    let mut process = ServerProcess::spawn_env(&cwd.path, port, &[], None, &[("RUST_LOG", "info")]);
    process.wait_ready(Duration::from_secs(30)).await;
    crate::support::eventually(Duration::from_secs(10), "info lines logged", || async {
        process.stderr.lock().expect("lock").contains("listening")
    })
    .await;
    let log = process.stderr.lock().expect("lock").clone();
    process.kill();
    assert!(
        !log.contains('\u{1b}'),
        "stderr is a pipe, not a terminal: no ANSI escapes:\n{log:?}"
    );
}

#[actix_rt::test]
async fn a_malformed_request_writes_no_error_line() {
    // An overlong URI is refused by the HTTP layer, which logs it at ERROR:
    // anyone could write error lines. It is logged at debug, truncated.
    for (level, shown) in [("info", false), ("debug", true)] {
        let cwd = DataDir::new();
        let port = free_port();
        let mut process =
            ServerProcess::spawn_env(&cwd.path, port, &[], None, &[("RUST_LOG", level)]);
        process.wait_ready(Duration::from_secs(30)).await;
        let url = process.url.clone();
        let path = format!("/t/x/authorize?state={}", "a".repeat(100_000));
        let (status, _) =
            tokio::task::spawn_blocking(move || crate::support::raw_http::get(&url, &path))
                .await
                .expect("sent");
        assert!((400..500).contains(&status), "refused: {status}");
        if shown {
            crate::support::eventually(Duration::from_secs(5), "the debug line", || async {
                process
                    .stderr
                    .lock()
                    .expect("lock")
                    .contains("malformed request")
            })
            .await;
        }
        // A request after it is served, so the log is flushed past it.
        let live = reqwest::Client::new()
            .get(format!("{}/health/live", process.url))
            .send()
            .await
            .expect("live");
        assert_eq!(live.status(), 200);
        let log = process.stderr.lock().expect("lock").clone();
        process.kill();
        assert!(
            !log.contains("ERROR"),
            "RUST_LOG={level}: no error line:\n{log}"
        );
        assert!(
            log.lines().all(|l| l.len() < 1_000),
            "RUST_LOG={level}: nothing long is logged"
        );
        assert_eq!(
            log.contains("malformed request"),
            shown,
            "RUST_LOG={level}:\n{log}"
        );
    }
}
