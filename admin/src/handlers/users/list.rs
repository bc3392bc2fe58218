//! `GET /v1/tenants/{tenant}/users`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::UserView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::{Page, PageQuery};
use crate::state::AdminState;
use crate::{ops, respond};

/// Narrows a user list to one person.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginQuery {
    /// Only the user whose username or email address (compared lower-cased)
    /// is this, or whose id (`sub`) is.
    pub login: Option<String>,
}

/// Lists the tenant's users by id.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "users",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        PageQuery,
        LoginQuery,
    ),
    responses(
        (status = 200, body = inline(Page<UserView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/tenants/{tenant}/users")]
pub async fn list_users(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
    login: web::Query<LoginQuery>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let limit = page.limit()?;
    let users = ops::users::list(
        &state.platform,
        &scope,
        login.into_inner().login,
        page.after()?,
        limit,
    )
    .await?;
    let views = users.iter().map(UserView::from).collect();
    Ok(respond::json(
        StatusCode::OK,
        &Page::from_overfetch(views, limit, |u: &UserView| u.id.clone()),
    ))
}
