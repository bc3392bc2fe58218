//! People as admins: a system-tenant user with admin rights signs in through
//! the system tenant's hosted pages with `idp-admin login` (authorization
//! code, PKCE, loopback redirect) and calls the admin API as `user:{id}`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use crate::support::admin::AdminService;
use crate::support::binary::{admin_binary, command};
use crate::support::random_slug;
use crate::support::signin::PASSWORD;

#[actix_rt::test]
async fn a_person_signs_in_with_the_cli_and_administers_as_themselves() {
    let admin = AdminService::start().await;
    let system_token = admin.system_token().await;
    let system = admin.system_tenant().await;
    let username = random_slug("root").to_string();
    let user_id = admin.server.user(&system, &username).await;
    let subject = format!("user:{user_id}");
    let granted = admin
        .post(
            &system_token,
            "/v1/admins",
            &json!({ "subject": subject, "tenant": "*" }),
        )
        .await;
    assert_eq!(granted.status, 201, "{:?}", granted.body);

    let cwd = tempfile::tempdir().expect("dir");
    let mut child = command(&admin_binary(), cwd.path(), None)
        .args(["login", "--wait-secs", "60"])
        .env(
            "IDP_ADMIN_TOKEN_URL",
            format!("{}/t/system/token", admin.server.url),
        )
        .stdout(Stdio::piped())
        .spawn()
        .expect("idp-admin login starts");
    // Lines arrive on a channel the test awaits: blocking the test's thread
    // would stall the server's actors, which run on it.
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    async fn next_line(
        lines: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
        what: &str,
    ) -> String {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(20), lines.recv())
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| panic!("{what}"));
            if line.starts_with("http") || line.starts_with("export ") {
                return line;
            }
        }
    }
    let url = next_line(&mut lines, "the CLI prints the authorization URL").await;
    assert!(url.contains("code_challenge_method=S256"), "{url}");

    let browser = admin.server.browser();
    let page = browser.get(&url).await;
    let location = page.location.clone().expect("to the login page");
    let page = browser.login(&location, &username, PASSWORD).await;
    let callback = page.location.clone().expect("back to the CLI");
    assert!(callback.starts_with("http://127.0.0.1:"), "{callback}");
    let done = reqwest::get(&callback).await.expect("the CLI answers");
    assert_eq!(done.status(), 200);
    let export = next_line(&mut lines, "the CLI prints the token").await;
    let token = export
        .strip_prefix("export IDP_ADMIN_TOKEN=")
        .expect("token")
        .to_owned();
    assert!(child.wait().expect("exits").success());

    let slug = random_slug("byperson").to_string();
    let created = admin
        .post(
            &token,
            "/v1/tenants",
            &json!({ "slug": slug, "display_name": "Made by a person" }),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let rows = admin.audit(&token, &slug).await;
    assert_eq!(
        rows[0]["actor"],
        subject.as_str(),
        "the audit names the person"
    );

    // Rights removed: the same token is refused at once.
    let removed = admin
        .delete(&system_token, &format!("/v1/admins/{subject}/*"))
        .await;
    assert_eq!(removed.status, 204);
    assert_eq!(admin.get(&token, "/v1/tenants").await.status, 403);
    admin.server.stop().await;
}
