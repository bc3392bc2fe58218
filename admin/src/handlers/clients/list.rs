//! `GET /v1/tenants/{tenant}/clients`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::ClientView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lists the tenant's clients by id.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "clients",
    params(("tenant" = String, Path, description = "Tenant slug"), PageQuery),
    responses(
        (status = 200, body = inline(Page<ClientView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/clients")]
pub async fn list_clients(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let limit = page.limit()?;
    let clients = ops::clients::list(&state.platform, &scope, page.after()?, limit).await?;
    let views = clients.iter().map(ClientView::from).collect();
    Ok(respond::json(
        StatusCode::OK,
        &Page::from_overfetch(views, limit, |c: &ClientView| c.client_id.clone()),
    ))
}
