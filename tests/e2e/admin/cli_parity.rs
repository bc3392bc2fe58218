//! The CLI does what the API does: commands for updates, passwords, admin
//! rights, keys, scopes and the platform-wide audit; users named by username
//! or email; `--tenant` everywhere; times printed as UTC. (That every API
//! operation has a command is the `idp-admin` unit test `cli::parity`.)

use std::process::{Command, Output};

use idp::domain::client::NewClient;
use serde_json::Value;

use crate::support::admin::AdminService;
use crate::support::binary::admin_binary;

struct Cli {
    url: String,
    token: String,
}

impl Cli {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(admin_binary())
            .args(args)
            .env("IDP_ADMIN_URL", &self.url)
            .env("IDP_ADMIN_TOKEN", &self.token)
            .env_remove("IDP_USER_PASSWORD")
            .output()
            .expect("idp-admin runs")
    }

    fn text(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.text(&all)).expect("json")
    }
}

fn has_utc_time(table: &str) -> bool {
    table.lines().any(|line| {
        line.split("  ").any(|cell| {
            let cell = cell.trim();
            cell.len() == 20
                && cell.ends_with('Z')
                && cell.get(4..5) == Some("-")
                && cell.get(10..11) == Some(" ")
        })
    })
}

#[actix_rt::test]
async fn the_cli_updates_names_users_by_login_and_manages_rights() {
    let admin = AdminService::start().await;
    let cli = Cli {
        url: admin.url.clone(),
        token: admin.system_token().await,
    };
    let tenant = admin.server.tenant().await;
    let slug = tenant.slug.to_string();

    let got = cli.json(&["tenants", "get", "--tenant", &slug]);
    assert_eq!(got["slug"], slug.as_str());
    let updated = cli.json(&[
        "tenants",
        "update",
        "--tenant",
        &slug,
        "--name",
        "Renamed",
        "--set",
        "code_ttl_secs=30",
        "--set",
        "branding.accent_color=#336699",
    ]);
    assert_eq!(updated["display_name"], "Renamed");
    assert_eq!(updated["policy"]["code_ttl_secs"], 30);
    assert_eq!(updated["policy"]["branding"]["accent_color"], "#336699");

    let user_id = admin.server.user(&tenant, "erin").await;
    let shown = cli.json(&["users", "get", "--tenant", &slug, "erin@example.test"]);
    assert_eq!(shown["id"], user_id.as_str());
    cli.text(&[
        "users",
        "set-password",
        "--tenant",
        &slug,
        "erin",
        "--password",
        "a brand new passphrase",
    ]);
    let unknown = cli.run(&["users", "get", "--tenant", &slug, "nobody"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user nobody"));

    let client = admin
        .server
        .client(&tenant, NewClient::machine("m", &[]))
        .await;
    let changed = cli.json(&[
        "clients",
        "update",
        "--tenant",
        &slug,
        &client.id,
        "--name",
        "worker",
        "--web-origin",
        "https://app.example",
        "--token-format",
        "opaque",
        "--enabled",
        "false",
    ]);
    assert_eq!(changed["name"], "worker");
    assert_eq!(changed["enabled"], false);
    assert_eq!(changed["token_format"], "opaque");
    assert_eq!(changed["web_origins"][0], "https://app.example");

    let revoked = cli.json(&["revoke", "--tenant", &slug, "--user", "erin"]);
    assert_eq!(revoked["target"], "user");

    // A person of the system tenant, named by username, gets and loses a right.
    let system = admin.system_tenant().await;
    let person = crate::support::random_slug("ops").to_string();
    let person_id = admin.server.user(&system, &person).await;
    let granted = cli.json(&["admins", "grant", "--user", &person, "--tenant", &slug]);
    assert_eq!(granted["subject"], format!("user:{person_id}"));
    // Other tests' rights share the list on a shared database: only its shape.
    assert!(cli.text(&["admins", "list"]).starts_with("SUBJECT"));
    cli.text(&["admins", "revoke", "--user", &person, "--tenant", &slug]);
    let again = cli.run(&["admins", "revoke", "--user", &person, "--tenant", &slug]);
    assert!(!again.status.success(), "the right is gone");

    assert!(
        cli.json(&["keys", "list", "--tenant", &slug])["items"]
            .as_array()
            .is_some_and(|k| !k.is_empty())
    );
    assert!(
        cli.text(&["scopes", "list", "--tenant", &slug])
            .contains("openid")
    );
    let audit = cli.text(&["audit", "--tenant", &slug]);
    assert!(audit.contains("user.set_password"), "{audit}");
    assert!(has_utc_time(&audit), "times as UTC:\n{audit}");
    assert!(
        cli.json(&["audit", "--resource-type", "admin_grant"])["items"]
            .as_array()
            .is_some_and(|rows| !rows.is_empty()),
        "the platform-wide audit"
    );
    admin.server.stop().await;
}
