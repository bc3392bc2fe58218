//! `GET /health`.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AdminState;

/// Liveness and whether the database answers.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when the change counter cannot be read.
    pub status: &'static str,
}

/// Health of the admin service; no token needed.
#[utoipa::path(
    tag = "health",
    responses((status = 200, body = Health), (status = 503, body = Health))
)]
#[get("/health")]
pub async fn health(state: web::Data<AdminState>) -> HttpResponse {
    if state.freshness.is_fresh() {
        HttpResponse::Ok().json(Health { status: "ok" })
    } else {
        HttpResponse::ServiceUnavailable().json(Health { status: "degraded" })
    }
}
