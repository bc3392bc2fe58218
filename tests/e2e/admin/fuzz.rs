//! A property-based run over the admin API from its own OpenAPI document:
//! schemathesis (from PyPI; `scripts/test` installs it into
//! `target/schemathesis`) generates requests for every operation, valid and
//! invalid, and no answer may be a 5xx. The run has a database of its own:
//! it reuses identifiers from earlier answers, so on a shared database it
//! would deactivate other tests' tenants and delete their admins' rights.
//! `fuzz_hooks.py` keeps it away from its own caller's access.

use std::path::PathBuf;
use std::process::Command;

use idp::store::queries::admin_grants;

use crate::support::admin::AdminService;
use crate::support::fresh_db::FreshDatabase;

fn schemathesis() -> PathBuf {
    std::env::var_os("SCHEMATHESIS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/schemathesis/bin/schemathesis")
        },
        PathBuf::from,
    )
}

#[actix_rt::test]
async fn generated_requests_from_the_openapi_document_get_no_5xx() {
    let binary = schemathesis();
    assert!(
        binary.exists(),
        "schemathesis is not installed at {}: scripts/test installs it (or set SCHEMATHESIS)",
        binary.display()
    );
    let database = FreshDatabase::new();
    let url = database.url.clone();
    let admin = AdminService::start_with(move |config| {
        config.database.url = Some(url.clone());
    })
    .await;
    let caller = admin.admin_client(admin_grants::ALL_TENANTS).await;
    let token = admin.token_for(&caller).await;
    // Something to find: a tenant with a client and a user, whose ids the
    // generator uses for most path parameters (the rest stay random).
    let tenant = admin.server.tenant().await;
    let client = admin
        .server
        .client(&tenant, idp::domain::client::NewClient::machine("m", &[]))
        .await;
    let user = admin.server.user(&tenant, "fuzzed").await;
    let config_dir = tempfile::tempdir().expect("dir");
    let config = config_dir.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        format!(
            "[dictionaries.tenants]\nvalues = [\"{}\"]\n\
             [dictionaries.clients]\nvalues = [\"{}\"]\n\
             [dictionaries.users]\nvalues = [\"{user}\"]\n\
             [parameters]\n\
             \"path.tenant\" = {{ dictionary = \"tenants\", probability = 0.8 }}\n\
             \"path.client_id\" = {{ dictionary = \"clients\", probability = 0.8 }}\n\
             \"path.user_id\" = {{ dictionary = \"users\", probability = 0.8 }}\n",
            tenant.slug, client.id
        ),
    )
    .expect("config written");
    let config_arg = config.display().to_string();
    // Kept for reading after the run, like the browser screenshots.
    let report_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/schemathesis-report.json");
    let url = format!("{}/openapi.json", admin.url);
    let header = format!("Authorization: Bearer {token}");
    let report_arg = report_path.display().to_string();
    let events_arg = report_path.with_extension("ndjson").display().to_string();
    let workdir = config_dir.path().to_path_buf();
    let hooks = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/admin/fuzz_hooks.py");
    let fuzz_tenant = tenant.slug.to_string();
    let caller_subject = format!("client:{}", caller.id);
    let output = tokio::task::spawn_blocking(move || {
        // Its example cache lives in the working directory: a fresh one per
        // run keeps runs independent and the checkout clean.
        Command::new(binary)
            .current_dir(workdir)
            .args([
                "--config-file",
                &config_arg,
                "run",
                &url,
                "--header",
                &header,
                "--generation-with-security-parameters",
                "false",
                "--checks",
                "not_a_server_error",
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                "25",
                "--workers",
                "1",
                "--seed",
                "20261123",
                "--request-timeout",
                "10",
                // A connection the server closes on a malformed header is a
                // network failure, not an answer: try it again.
                "--request-retries",
                "2",
                "--report",
                "json,ndjson",
                "--report-ndjson-path",
                &events_arg,
                "--report-json-path",
                &report_arg,
            ])
            .env("NO_COLOR", "1")
            .env("SCHEMATHESIS_HOOKS", &hooks)
            .env("FUZZ_TENANT", &fuzz_tenant)
            .env("FUZZ_CALLER", &caller_subject)
            .output()
            .expect("schemathesis runs")
    })
    .await
    .expect("joined");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary: Vec<&str> = stdout
        .lines()
        .filter(|l| {
            l.contains("passed")
                || l.contains("failed")
                || l.contains("test cases")
                || l.contains("Operations")
        })
        .collect();
    println!("schemathesis: {}", summary.join(" | "));
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The run must not have revoked its own token (nothing else would tell).
    // A 503 while the database catches up with the run is allowed to pass.
    let mut after = admin.get(&token, "/v1/tenants").await;
    for _ in 0..30 {
        if after.status != 503 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        after = admin.get(&token, "/v1/tenants").await;
    }
    assert_eq!(after.status, 200, "after the run: {:?}", after.body);
    admin.server.stop().await;
}
