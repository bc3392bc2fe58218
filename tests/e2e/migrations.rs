//! Migrations: up, down, up on a fresh database, and two processes migrating
//! an empty database at the same moment (SECURITY.md F-20).

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use idp::store::models::api::ApiRow;
use idp::store::models::client::ClientRow;
use idp::store::models::signing_key::SigningKeyRow;
use idp::store::models::tenant::TenantRow;
use idp::store::models::token::{OpaqueTokenRow, RevokedTokenRow};
use idp::store::models::user::UserRow;
use idp::store::schema::{
    apis, change_counter, clients, consents, opaque_tokens, revoked_tokens, signing_keys, tenants,
    users,
};
use idp::store::{DbConnection, migrate};

use crate::support::binary::{ServerProcess, free_port};
use crate::support::{Backend, DataDir, test_config};

/// A database no other test uses: a new PostgreSQL database (dropped on
/// drop), or a SQLite file in a new folder.
struct FreshDatabase {
    url: String,
    admin_url: Option<String>,
    name: String,
    _dir: DataDir,
}

impl FreshDatabase {
    fn new() -> Self {
        let dir = DataDir::new();
        let name = format!("idp_test_{}", uuid::Uuid::new_v4().simple());
        match Backend::from_env() {
            Backend::Embedded => Self {
                url: dir.path.join("fresh.sqlite").display().to_string(),
                admin_url: None,
                name,
                _dir: dir,
            },
            Backend::Services { database, .. } => {
                let mut admin = PgConnection::establish(&database).expect("postgres");
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create database");
                let mut url = url::Url::parse(&database).expect("url");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    admin_url: Some(database),
                    name,
                    _dir: dir,
                }
            }
        }
    }

    fn connect(&self) -> DbConnection {
        let mut config = test_config(&DataDir::new());
        config.database.url = Some(self.url.clone());
        config.validate().expect("config");
        idp::store::conn::Connector::new(&config)
            .connect()
            .expect("connect")
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Some(admin) = &self.admin_url
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

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
    let users: Vec<UserRow> = users::table
        .select(UserRow::as_select())
        .load(&mut conn)
        .expect("users columns");
    assert!(users.is_empty());
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
