//! `PATCH /v1/tenants/{tenant}/users/{user_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::UserView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::etag::IfMatch;
use crate::state::AdminState;
use crate::{respond, store};

/// Fields to change; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// Email address.
    pub email: Option<String>,
    /// Whether the address is verified.
    pub email_verified: Option<bool>,
    /// Profile claims (replaced whole).
    #[schema(value_type = Option<Object>)]
    pub profile: Option<idp::domain::user::Profile>,
    /// `false` disables the user: sign-in stops and every token and session
    /// of theirs dies on every server process within a second.
    pub enabled: Option<bool>,
}

/// Updates a user.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "users",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("user_id" = String, Path, description = "User id (`sub`)"),
        ("If-Match" = String, Header, description = "The user's ETag"),
    ),
    request_body = UpdateUser,
    responses(
        (status = 200, body = UserView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 412, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[patch("/tenants/{tenant}/users/{user_id}")]
pub async fn update_user(
    req: HttpRequest,
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
    body: crate::body::Json<UpdateUser>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, user_id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let user = store::users::update(
        &state.platform,
        &scope,
        &user_id,
        IfMatch::from_request(&req),
        body.into_inner(),
    )
    .await?;
    Ok(respond::object(StatusCode::OK, &UserView::from(&user)))
}
