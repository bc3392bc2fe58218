//! `GET /v1/tenants/{tenant}/apis`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::ApiView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lists the tenant's APIs by identifier.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "apis",
    params(("tenant" = String, Path, description = "Tenant slug"), PageQuery),
    responses(
        (status = 200, body = inline(Page<ApiView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/apis")]
pub async fn list_apis(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let limit = page.limit()?;
    let after = page.after()?;
    let mut apis = ops::apis::list(&state.platform, &scope).await?;
    apis.sort_by(|a, b| a.identifier.cmp(&b.identifier));
    let views: Vec<ApiView> = apis
        .iter()
        .filter(|a| {
            after
                .as_deref()
                .is_none_or(|after| a.identifier.as_str() > after)
        })
        .take(usize::try_from(limit + 1).unwrap_or(usize::MAX))
        .map(ApiView::from)
        .collect();
    Ok(respond::json(
        StatusCode::OK,
        &Page::from_overfetch(views, limit, |a: &ApiView| a.identifier.clone()),
    ))
}
