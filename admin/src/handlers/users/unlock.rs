//! `POST /v1/tenants/{tenant}/users/{user_id}/unlock`.

use actix_web::{HttpResponse, post, web};

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lifts a sign-in lock left by repeated failures.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "users",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("user_id" = String, Path, description = "User id (`sub`)"),
    ),
    responses(
        (status = 204, description = "Unlocked"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants/{tenant}/users/{user_id}/unlock")]
pub async fn unlock_user(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, user_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    ops::users::unlock(&state.platform, &scope, &user_id).await?;
    Ok(respond::no_content())
}
