//! Migrations: up, down, up on a fresh database, and two processes migrating
//! an empty database at the same moment (SECURITY.md F-20).

use std::time::Duration;

use diesel::prelude::*;
use idp::store::migrate;
use idp::store::models::api::ApiRow;
use idp::store::models::client::ClientRow;
use idp::store::models::signing_key::SigningKeyRow;
use idp::store::models::tenant::TenantRow;
use idp::store::models::token::{OpaqueTokenRow, RevokedTokenRow};
use idp::store::models::user::UserRow;
use idp::store::schema::{
    admin_grants, apis, change_counter, clients, consents, opaque_tokens, platform_state,
    revoked_tokens, signing_keys, tenants, token_watermarks, users,
};

use crate::support::binary::{ServerProcess, free_port};
use crate::support::fresh_db::FreshDatabase;
use crate::support::{Backend, DataDir};

#[test]
fn migrations_run_up_down_up_and_match_the_schema() {
    let fresh = FreshDatabase::new();
    let mut conn = fresh.connect();
    assert!(migrate::has_pending(&mut conn).expect("check"));
    migrate::run_pending(&mut conn).expect("up");
    migrate::revert_all(&mut conn).expect("down");
    assert!(migrate::has_pending(&mut conn).expect("check"));
    migrate::run_pending(&mut conn).expect("up again");
    migrate::run_pending(&mut conn).expect("idempotent");
    assert!(!migrate::has_pending(&mut conn).expect("check"));

    // Every column schema.rs declares exists with a compatible type.
    let tenants: Vec<TenantRow> = tenants::table
        .select(TenantRow::as_select())
        .load(&mut conn)
        .expect("tenants columns");
    assert!(tenants.is_empty());
    let keys: Vec<SigningKeyRow> = signing_keys::table
        .select(SigningKeyRow::as_select())
        .load(&mut conn)
        .expect("signing_keys columns");
    assert!(keys.is_empty());
    assert!(
        apis::table
            .select(ApiRow::as_select())
            .load(&mut conn)
            .expect("apis columns")
            .is_empty()
    );
    assert!(
        clients::table
            .select(ClientRow::as_select())
            .load(&mut conn)
            .expect("clients columns")
            .is_empty()
    );
    assert!(
        opaque_tokens::table
            .select(OpaqueTokenRow::as_select())
            .load(&mut conn)
            .expect("opaque_tokens columns")
            .is_empty()
    );
    assert!(
        revoked_tokens::table
            .select(RevokedTokenRow::as_select())
            .load(&mut conn)
            .expect("revoked_tokens columns")
            .is_empty()
    );
    let consent_rows: Vec<(String, String, String, String, i64, i64)> = consents::table
        .select(consents::all_columns)
        .load(&mut conn)
        .expect("consents columns");
    assert!(consent_rows.is_empty());
    let audit = idp::store::queries::audit::list(&mut conn, &Default::default(), 10)
        .expect("audit_log columns");
    assert!(audit.is_empty());
    let grants: Vec<(String, String, i64)> = admin_grants::table
        .select(admin_grants::all_columns)
        .load(&mut conn)
        .expect("admin_grants columns");
    assert!(grants.is_empty());
    let marks: Vec<(String, String, i64, i64)> = token_watermarks::table
        .select(token_watermarks::all_columns)
        .load(&mut conn)
        .expect("token_watermarks columns");
    assert!(marks.is_empty());
    let users: Vec<UserRow> = users::table
        .select(UserRow::as_select())
        .load(&mut conn)
        .expect("users columns");
    assert!(users.is_empty());
    let state: Vec<(String, String)> = platform_state::table
        .select(platform_state::all_columns)
        .load(&mut conn)
        .expect("platform_state columns");
    assert!(state.is_empty());
    let counter: Vec<(i32, i64)> = change_counter::table
        .select(change_counter::all_columns)
        .load(&mut conn)
        .expect("change_counter columns");
    assert_eq!(counter, vec![(1, 0)]);
}

#[actix_rt::test]
async fn two_processes_migrate_an_empty_database_at_once() {
    let fresh = FreshDatabase::new();
    let cwd = DataDir::new();
    let database = match Backend::from_env() {
        Backend::Embedded => None,
        Backend::Services { .. } => Some(fresh.url.as_str()),
    };
    // On the embedded default both share ./data: the SQLite file and the
    // master key file are created by whichever process gets there first.
    let mut first = ServerProcess::spawn(&cwd.path, free_port(), &["--demo"], database);
    let mut second = ServerProcess::spawn(&cwd.path, free_port(), &["--demo"], database);
    first.wait_ready(Duration::from_secs(30)).await;
    second.wait_ready(Duration::from_secs(30)).await;

    let client = reqwest::Client::new();
    let mut bodies = Vec::new();
    for process in [&first, &second] {
        let response = client
            .get(format!("{}/t/demo/jwks.json", process.url))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        bodies.push(response.text().await.expect("body"));
    }
    assert_eq!(
        bodies[0], bodies[1],
        "one demo tenant, one set of keys, one master key"
    );
}
