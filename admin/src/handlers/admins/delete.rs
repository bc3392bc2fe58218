//! `DELETE /v1/admins/{subject}/{tenant}`.

use actix_web::{HttpResponse, delete, web};

use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Removes an admin right. The last system admin cannot be removed.
///
/// Requires: system admin.
#[utoipa::path(
    tag = "admins",
    params(
        ("subject" = String, Path, description = "`client:{id}` or `user:{id}`"),
        ("tenant" = String, Path, description = "Tenant slug, or `*`"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[delete("/admins/{subject}/{tenant}")]
pub async fn delete_admin(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let system = principal.system()?;
    let (subject, tenant) = path.into_inner();
    ops::admins::revoke(&state.platform, &system, &subject, &tenant).await?;
    Ok(respond::no_content())
}
