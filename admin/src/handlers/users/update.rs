//! `PATCH /v1/tenants/{tenant}/users/{user_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use idp::domain::user::User;
use serde::Deserialize;
use utoipa::ToSchema;

use super::UserView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::etag::{self, IfMatch};
use crate::ops::Edit;
use crate::state::AdminState;
use crate::{ops, respond};

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

impl UpdateUser {
    /// The edit it asks for, made only if `if_match` names the current
    /// version.
    fn into_edit(self, if_match: IfMatch) -> Edit<User, AdminError> {
        let fields = [
            ("email", self.email.is_some()),
            ("email_verified", self.email_verified.is_some()),
            ("profile", self.profile.is_some()),
            ("enabled", self.enabled.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name.to_owned())
        .collect();
        Edit::new(fields, move |current: &User| {
            if_match.check(&etag::of(&UserView::from(current)))?;
            let mut next = current.clone();
            if let Some(email) = self.email {
                next.email = Some(email);
            }
            if let Some(verified) = self.email_verified {
                next.email_verified = verified;
            }
            if let Some(profile) = self.profile {
                next.profile = profile;
            }
            if let Some(enabled) = self.enabled {
                next.enabled = enabled;
            }
            Ok(next)
        })
    }
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
    let edit = body.into_inner().into_edit(IfMatch::from_request(&req));
    let user = ops::users::update(&state.platform, &scope, &user_id, edit).await?;
    Ok(respond::object(StatusCode::OK, &UserView::from(&user)))
}
