//! The README's admin walkthrough with the real binaries: the server and the
//! admin service as two processes on one (fresh) database, `idp-admin
//! bootstrap` printing credentials once, and the CLI scripting a tenant, an
//! API, a client and a user, then revoking the client's tokens.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::binary::{ServerProcess, admin_binary, command, free_port};
use crate::support::fresh_db::FreshDatabase;
use crate::support::oauth::basic;
use crate::support::{Backend, DataDir, eventually, random_slug};

struct Cli<'a> {
    cwd: &'a Path,
    database: Option<&'a str>,
    env: Vec<(String, String)>,
}

impl Cli<'_> {
    fn run(&self, args: &[&str]) -> Output {
        let mut command = command(&admin_binary(), self.cwd, self.database);
        command.args(args);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command.output().expect("idp-admin runs")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json")
    }
}

#[actix_rt::test]
async fn bootstrap_then_script_the_platform_with_the_cli() {
    let fresh = FreshDatabase::new();
    let cwd = DataDir::new();
    let database = match Backend::from_env() {
        Backend::Embedded => None,
        Backend::Services { .. } => Some(fresh.url.as_str()),
    };
    let (server_port, admin_port) = (free_port(), free_port());
    let mut server = ServerProcess::spawn(&cwd.path, server_port, &[], database);
    server.wait_ready(Duration::from_secs(30)).await;
    let mut admin = ServerProcess::spawn_admin(
        &cwd.path,
        admin_port,
        server_port,
        database,
        &[("RUST_LOG", "debug")],
    );
    admin.wait_path("/health", Duration::from_secs(30)).await;

    let mut cli = Cli {
        cwd: &cwd.path,
        database,
        env: vec![
            ("IDP_HTTP__BIND".into(), format!("127.0.0.1:{server_port}")),
            ("IDP_ADMIN__BIND".into(), format!("127.0.0.1:{admin_port}")),
        ],
    };
    let first = cli.run(&["bootstrap"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let printed = String::from_utf8_lossy(&first.stdout).to_string();
    for line in printed.lines().filter_map(|l| l.strip_prefix("export ")) {
        let (key, value) = line.split_once('=').expect("KEY=value");
        cli.env.push((key.to_owned(), value.to_owned()));
    }
    let secret = cli
        .env
        .iter()
        .find(|(k, _)| k == "IDP_ADMIN_CLIENT_SECRET")
        .map(|(_, v)| v.clone())
        .expect("the secret is printed on the first run");
    let again = cli.run(&["bootstrap"]);
    assert!(again.status.success());
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(again.contains("Already bootstrapped"), "{again}");
    assert!(!again.contains(&secret), "the secret is printed only once");

    let slug = random_slug("cli").to_string();
    let tenant = cli.json(&["tenants", "create", "--slug", &slug, "--name", "CLI Inc"]);
    assert_eq!(tenant["slug"], slug.as_str());
    let api = "https://api.cli.example";
    cli.json(&[
        "apis",
        "create",
        "--tenant",
        &slug,
        "--identifier",
        api,
        "--name",
        "API",
        "--scope",
        "read",
        "--default",
    ]);
    let client = cli.json(&[
        "clients", "create", "--tenant", &slug, "--name", "worker", "--scope", "read",
    ]);
    let (id, client_secret) = (
        client["client_id"].as_str().expect("id").to_owned(),
        client["client_secret"].as_str().expect("secret").to_owned(),
    );
    let password = "erin's secret passphrase";
    cli.env.push(("IDP_USER_PASSWORD".into(), password.into()));
    let user = cli.json(&["users", "create", "--tenant", &slug, "--username", "erin"]);
    assert_eq!(user["username"], "erin");
    let listed = cli.run(&["users", "list", "--tenant", &slug]);
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("erin"),
        "a table"
    );

    let http = reqwest::Client::new();
    let token_url = format!("{}/t/{slug}/token", server.url);
    let token: Value = http
        .post(&token_url)
        .header("Authorization", basic(&id, &client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let access_token = token["access_token"].as_str().expect("token").to_owned();
    let introspect = || {
        let (http, url, id, secret, at) = (
            &http,
            format!("{}/t/{slug}/introspect", server.url),
            &id,
            &client_secret,
            &access_token,
        );
        async move {
            let body: Value = http
                .post(url)
                .header("Authorization", basic(id, secret))
                .form(&[("token", at.as_str())])
                .send()
                .await
                .expect("sent")
                .json()
                .await
                .expect("json");
            body["active"] == true
        }
    };
    assert!(introspect().await);
    let revoked = cli.json(&["revoke", "--tenant", &slug, "--client", &id]);
    let start = Instant::now();
    assert_eq!(revoked["target"], "client");
    let took = eventually(Duration::from_secs(1), "inactive within 1 s", || async {
        !introspect().await
    })
    .await;
    println!(
        "revocation seen by the server process after {took:?} ({:?} since the CLI returned)",
        start.elapsed()
    );
    let audit = cli.json(&["audit", "--tenant", &slug]);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "tokens.revoke_all",
            "user.create",
            "client.create",
            "api.create",
            "tenant.create"
        ]
    );
    // LOG-01 for admin traffic: no secret in the admin service's log or output.
    admin.kill();
    let log = format!("{}{}", admin.stderr.lock().expect("lock"), admin.printed());
    assert!(
        log.contains("DEBUG") || log.len() > 100,
        "the log was captured at debug"
    );
    for secret in [secret.as_str(), client_secret.as_str(), password] {
        assert!(
            !log.contains(secret),
            "LOG-01: a secret is in the admin log"
        );
    }
    server.kill();
}
