//! `GET /v1/tenants/{tenant}/audit` and `GET /v1/audit`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use idp::store::queries::audit::AuditFilter;

use super::{AuditQuery, AuditView};
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

fn filter(query: &AuditQuery, tenant_id: Option<String>) -> Result<(AuditFilter, i64), AdminError> {
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor.clone(),
    };
    let before_id = page
        .after()?
        .map(|c| c.parse::<i64>())
        .transpose()
        .map_err(|_| AdminError::Invalid("cursor is not one this API gave".into()))?;
    Ok((
        AuditFilter {
            tenant_id,
            actor: query.actor.clone(),
            resource_type: query.resource_type.clone(),
            resource_id: query.resource_id.clone(),
            since: query.since,
            until: query.until,
            before_id,
        },
        page.limit()?,
    ))
}

fn page(rows: Vec<idp::store::queries::audit::AuditRecord>, limit: i64) -> HttpResponse {
    let views = rows.into_iter().map(AuditView::from).collect();
    respond::json(
        StatusCode::OK,
        &Page::from_overfetch(views, limit, |v: &AuditView| v.id.to_string()),
    )
}

/// The tenant's audit rows, newest first.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "audit",
    params(("tenant" = String, Path, description = "Tenant slug"), AuditQuery),
    responses(
        (status = 200, body = inline(Page<AuditView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/audit")]
pub async fn list_tenant_audit(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let (filter, limit) = filter(&query, Some(scope.tenant().id.to_string()))?;
    let rows = ops::audit::list(&state.platform, filter, limit).await?;
    Ok(page(rows, limit))
}

/// Every audit row, newest first, including platform-level changes.
///
/// Requires: system admin.
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, body = inline(Page<AuditView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AdminError> {
    principal.system()?;
    let (filter, limit) = filter(&query, None)?;
    let rows = ops::audit::list(&state.platform, filter, limit).await?;
    Ok(page(rows, limit))
}
