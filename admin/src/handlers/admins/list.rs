//! `GET /v1/admins`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::AdminGrantView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{respond, store};

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
    let grants = store::admins::list(&state.platform, &system, page.after()?, limit).await?;
    Ok(respond::json(
        StatusCode::OK,
        &Page::from_overfetch(grants, limit, |g: &AdminGrantView| {
            format!("{}\n{}", g.subject, g.tenant)
        }),
    ))
}
