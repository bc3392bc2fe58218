//! `GET /v1/tenants`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::TenantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lists tenants by slug: every tenant for a system admin, the caller's own
/// for a tenant admin.
///
/// Requires: system admin or tenant admin.
#[utoipa::path(
    tag = "tenants",
    params(PageQuery),
    responses(
        (status = 200, body = inline(Page<TenantView>)),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants")]
pub async fn list_tenants(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AdminError> {
    let limit = page.limit()?;
    let tenants = ops::tenants::list(&state.platform, &principal, page.after()?, limit).await?;
    let public_url = &state.platform.config.http.public_url;
    let views = tenants
        .iter()
        .map(|t| TenantView::new(t, public_url))
        .collect();
    let page = Page::from_overfetch(views, limit, |t: &TenantView| t.slug.clone());
    Ok(respond::json(StatusCode::OK, &page))
}
