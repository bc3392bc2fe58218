//! `POST /v1/admins`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::AdminGrantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// A right to grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAdminGrant {
    /// `client:{client_id}` or `user:{user_id}` of the system tenant.
    pub subject: String,
    /// The tenant's slug, or `*` for every tenant.
    pub tenant: String,
}

/// Makes a system-tenant user or client an admin of a tenant (or of all).
///
/// Requires: system admin.
#[utoipa::path(
    tag = "admins",
    request_body = CreateAdminGrant,
    responses(
        (status = 201, body = AdminGrantView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/admins")]
pub async fn create_admin(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    body: crate::body::Json<CreateAdminGrant>,
) -> Result<HttpResponse, AdminError> {
    let system = principal.system()?;
    let body = body.into_inner();
    let grant = ops::admins::grant(&state.platform, &system, &body.subject, &body.tenant).await?;
    Ok(respond::json(
        StatusCode::CREATED,
        &AdminGrantView::from(grant),
    ))
}
