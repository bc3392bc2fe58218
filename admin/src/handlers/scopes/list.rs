//! `GET /v1/tenants/{tenant}/scopes`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use idp::domain::scope::BUILTIN;

use super::ScopeInfo;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lists every scope of the tenant: built-in OpenID Connect scopes with
/// their claims, then each API's scopes.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "scopes",
    params(("tenant" = String, Path, description = "Tenant slug"), PageQuery),
    responses(
        (status = 200, body = inline(Page<ScopeInfo>)),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/scopes")]
pub async fn list_scopes(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let mut items: Vec<ScopeInfo> = BUILTIN
        .iter()
        .map(|s| ScopeInfo {
            name: s.name.to_owned(),
            description: s.description.to_owned(),
            claims: s.claims.iter().map(|c| (*c).to_owned()).collect(),
            defined_by: "openid".to_owned(),
        })
        .collect();
    let mut apis = ops::apis::list(&state.platform, &scope).await?;
    apis.sort_by(|a, b| a.identifier.cmp(&b.identifier));
    for api in apis {
        items.extend(api.scopes.iter().map(|s| ScopeInfo {
            name: s.name.clone(),
            description: s.description.clone(),
            claims: Vec::new(),
            defined_by: api.identifier.clone(),
        }));
    }
    Ok(respond::json(StatusCode::OK, &Page::of_all(items, &page)?))
}
