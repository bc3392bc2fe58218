//! `GET /v1/tenants/{tenant}/users/{user_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::UserView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// Reads a user.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "users",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("user_id" = String, Path, description = "User id (`sub`)"),
    ),
    responses(
        (status = 200, body = UserView, headers(("ETag" = String))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/users/{user_id}")]
pub async fn read_user(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, user_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let user = ops::users::find(&state.platform, &scope, &user_id).await?;
    Ok(respond::object(StatusCode::OK, &UserView::from(&user)))
}
