//! The audit guarantee under `kill -9`: the admin service (the real binary)
//! is killed while changes stream in; every change it answered 2xx has its
//! object and its audit row, and no audit row exists without its change.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use idp::store::schema::{audit_log, users};
use serde_json::json;

use crate::support::admin::AdminService;
use crate::support::binary::{ServerProcess, free_port};
use crate::support::{Backend, DataDir, TEST_MASTER_KEY, TestServer};

#[actix_rt::test]
async fn every_change_answered_2xx_has_its_audit_row_after_kill_9() {
    let data = DataDir::new();
    let server = TestServer::start_with(&data, |_| {}).await;
    let server_port = url::Url::parse(&server.url)
        .expect("url")
        .port()
        .expect("port");
    let admin = AdminService::beside(server, &data, |_| {}).await;
    let token = admin.system_token().await;
    let tenant = admin.server.tenant().await;

    // The binary, on the same database (the embedded default: the same file).
    let port = free_port();
    let database = match Backend::from_env() {
        Backend::Embedded => Some(data.path.join("idp.sqlite").display().to_string()),
        Backend::Services { database, .. } => Some(database),
    };
    let mut process = ServerProcess::spawn_admin(
        &data.path,
        port,
        server_port,
        database.as_deref(),
        &[("IDP_SECRETS__MASTER_KEY", TEST_MASTER_KEY)],
    );
    process.wait_path("/health", Duration::from_secs(30)).await;

    let answered: Arc<Mutex<Vec<String>>> = Arc::default();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/tenants/{}/users", process.url, tenant.slug);
    let writers: Vec<_> = (0..6)
        .map(|w| {
            let (http, url, token, answered) = (
                http.clone(),
                url.clone(),
                token.clone(),
                Arc::clone(&answered),
            );
            actix_rt::spawn(async move {
                for n in 0.. {
                    let body = json!({ "username": format!("w{w}-{n}") });
                    let Ok(response) = http.post(&url).bearer_auth(&token).json(&body).send().await
                    else {
                        break;
                    };
                    if response.status().as_u16() != 201 {
                        break;
                    }
                    let Ok(created) = response.json::<serde_json::Value>().await else {
                        break;
                    };
                    if let Some(id) = created["id"].as_str() {
                        answered.lock().expect("lock").push(id.to_owned());
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(600)).await;
    process.kill();
    for writer in writers {
        let _ = writer.await;
    }
    let answered = answered.lock().expect("lock").clone();
    assert!(
        answered.len() > 5,
        "writes were under way: {}",
        answered.len()
    );

    let tenant_id = tenant.id.to_string();
    let (audited, created): (Vec<String>, Vec<String>) = admin
        .server
        .platform()
        .db
        .run(move |conn| {
            let audited = audit_log::table
                .filter(audit_log::tenant_id.eq(&tenant_id))
                .filter(audit_log::action.eq("user.create"))
                .select(audit_log::resource_id)
                .load(conn)?;
            let created = users::table
                .filter(users::tenant_id.eq(&tenant_id))
                .select(users::id)
                .load(conn)?;
            Ok((audited, created))
        })
        .await
        .expect("db");
    for id in &answered {
        assert!(created.contains(id), "a 2xx change is durable: {id}");
        assert!(audited.contains(id), "a 2xx change has its audit row: {id}");
    }
    let mut audited_sorted = audited.clone();
    audited_sorted.sort();
    let mut created_sorted = created.clone();
    created_sorted.sort();
    assert_eq!(
        audited_sorted, created_sorted,
        "no change without its row, no row without its change"
    );
    println!(
        "{} changes answered before kill -9, {} committed",
        answered.len(),
        created.len()
    );
    admin.server.stop().await;
}
