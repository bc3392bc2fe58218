//! Health checks: liveness (the process answers) and readiness (database
//! reachable with migrations applied, ephemeral store reachable, change feed
//! fresh), and counters. Readiness answers within the backends' deadlines.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use idp::store::migrate;
use serde_json::json;

use crate::state::AppState;

/// `GET /health/live`.
pub async fn live() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(json!({ "status": "live" }))
}

/// `GET /health/ready`.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let platform = &state.platform;
    let (database, ephemeral) = tokio::join!(
        platform.db.run(migrate::has_pending),
        platform.ephemeral.ping()
    );
    let database = match database {
        Ok(false) => "ok".to_owned(),
        Ok(true) => "migrations pending".to_owned(),
        Err(e) => format!("unavailable: {e}"),
    };
    let ephemeral = match ephemeral {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("unavailable: {e}"),
    };
    let changes = if state.freshness.is_fresh() {
        "ok"
    } else {
        "stale"
    };
    let ready = database == "ok" && ephemeral == "ok" && changes == "ok";
    let mut response = if ready {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(json!({
            "status": if ready { "ready" } else { "unavailable" },
            "database": database,
            "ephemeral": ephemeral,
            "changes": changes,
        }))
}

/// `GET /health/stats`: counters for operators and benchmarks.
pub async fn stats(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(json!({
            "db_calls": state.platform.db.calls(),
            "tenants_cached": state.tenants.len(),
            "tenant_actors": state.actors.get(),
            "password_verifications": state.platform.passwords.verifications(),
        }))
}
