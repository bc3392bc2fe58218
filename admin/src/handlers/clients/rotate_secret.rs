//! `POST /v1/tenants/{tenant}/clients/{client_id}/secret`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// How to rotate.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateSecret {
    /// Seconds the old secret keeps working (0 to 604800; default 0: stops at once).
    #[serde(default)]
    pub overlap_secs: i64,
}

/// The new secret, shown only in this response.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewSecret {
    /// The client.
    pub client_id: String,
    /// The new secret.
    pub client_secret: String,
    /// When the old secret stops working, if it still works.
    pub previous_secret_expires_at: Option<i64>,
}

/// Issues a new secret for a confidential client.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "clients",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("client_id" = String, Path, description = "Client id"),
    ),
    request_body = RotateSecret,
    responses(
        (status = 200, body = NewSecret),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Public clients have no secret", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants/{tenant}/clients/{client_id}/secret")]
pub async fn rotate_client_secret(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
    body: crate::body::Json<RotateSecret>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, client_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let overlap = body.overlap_secs;
    if !(0..=604_800).contains(&overlap) {
        return Err(AdminError::Invalid(
            "overlap_secs must be 0 to 604800".into(),
        ));
    }
    let secret = ops::clients::rotate_secret(&state.platform, &scope, &client_id, overlap).await?;
    let now = state.platform.clock.now_secs();
    Ok(respond::json(
        StatusCode::OK,
        &NewSecret {
            client_id,
            client_secret: secret.expose().clone(),
            previous_secret_expires_at: (overlap > 0).then_some(now + overlap),
        },
    ))
}
