//! `POST /v1/tenants/{tenant}/users`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use idp::domain::user::NewUser;
use idp::secret::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

use super::UserView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, respond};

/// A new user: a username or an email address at least.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Login name: 1 to 64 of letters, digits, `.`, `_`, `-`.
    pub username: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Whether the address is known to be verified.
    #[serde(default)]
    pub email_verified: bool,
    /// Initial password, 8 to 256 characters (stored as argon2id).
    pub password: Option<String>,
    /// Profile claims.
    #[schema(value_type = Option<Object>)]
    pub profile: Option<idp::domain::user::Profile>,
}

impl From<CreateUser> for NewUser {
    fn from(body: CreateUser) -> Self {
        Self {
            username: body.username,
            email: body.email,
            email_verified: body.email_verified,
            password: body.password.map(Secret::new),
            profile: body.profile.unwrap_or_default(),
        }
    }
}

/// Registers a user.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant slug")),
    request_body = CreateUser,
    responses(
        (status = 201, body = UserView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Username or email taken", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants/{tenant}/users")]
pub async fn create_user(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    body: crate::body::Json<CreateUser>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let user = ops::users::create(&state.platform, &scope, body.into_inner().into()).await?;
    Ok(respond::object(StatusCode::CREATED, &UserView::from(&user)))
}
