//! `GET /v1/tenants/{tenant}/consents`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use idp::store::queries::consents::ConsentFilter;

use super::{ConsentQuery, ConsentView};
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lists consents, per user or per client.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "consents",
    params(("tenant" = String, Path, description = "Tenant slug"), ConsentQuery),
    responses(
        (status = 200, body = inline(Page<ConsentView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/consents")]
pub async fn list_consents(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    query: web::Query<ConsentQuery>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor.clone(),
    };
    let limit = page.limit()?;
    let filter = ConsentFilter {
        user_id: query.user_id.clone(),
        client_id: query.client_id.clone(),
        after: page.after()?.map(|a| match a.split_once('\n') {
            Some((u, c)) => (u.to_owned(), c.to_owned()),
            None => (a, String::new()),
        }),
    };
    let rows = ops::consents::list(&state.platform, &scope, filter, limit).await?;
    let views = rows.into_iter().map(ConsentView::from).collect();
    Ok(respond::json(
        StatusCode::OK,
        &Page::from_overfetch(views, limit, |c: &ConsentView| {
            format!("{}\n{}", c.user_id, c.client_id)
        }),
    ))
}
