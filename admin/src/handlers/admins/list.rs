//! `GET /v1/admins`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::AdminGrantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Lists admin rights by subject.
///
/// Requires: system admin.
#[utoipa::path(
    tag = "admins",
    params(PageQuery),
    responses(
        (status = 200, body = inline(Page<AdminGrantView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admins")]
pub async fn list_admins(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, AdminError> {
    let system = principal.system()?;
    let limit = page.limit()?;
    let after = page.after()?.map(|a| match a.split_once('\n') {
        Some((s, t)) => (s.to_owned(), t.to_owned()),
        None => (a, String::new()),
    });
    let grants = ops::admins::list(&state.platform, &system, after, limit).await?;
    let grants = grants.into_iter().map(AdminGrantView::from).collect();
    Ok(respond::json(
        StatusCode::OK,
        &Page::from_overfetch(grants, limit, |g: &AdminGrantView| {
            format!("{}\n{}", g.subject, g.tenant)
        }),
    ))
}
