//! `GET /v1/tenants/{tenant}/keys`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::KeyView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lists the tenant's signing keys, oldest first, without private material.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "keys",
    params(("tenant" = String, Path, description = "Tenant slug"), PageQuery),
    responses(
        (status = 200, body = inline(Page<KeyView>)),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/keys")]
pub async fn list_keys(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let rows = ops::keys::list(&state.platform, &scope).await?;
    Ok(respond::json(
        StatusCode::OK,
        &Page::of_all(rows.iter().map(KeyView::from).collect(), &page)?,
    ))
}
