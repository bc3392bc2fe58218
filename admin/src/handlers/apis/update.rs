//! `PATCH /v1/tenants/{tenant}/apis/{api_id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, patch, web};
use idp::domain::api::{Api, ApiScope};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiView, ScopeView};
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::etag::{self, IfMatch};
use crate::ops::Edit;
use crate::state::AdminState;
use crate::{ops, respond};

/// Fields to change; absent fields stay. The identifier is fixed: it is the
/// `aud` of tokens already issued.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateApi {
    /// Display name.
    pub name: Option<String>,
    /// The scopes it defines (replaced whole), with their descriptions.
    pub scopes: Option<Vec<ScopeView>>,
    /// `true` makes it the tenant's default API.
    pub is_default: Option<bool>,
}

impl UpdateApi {
    /// The edit it asks for, made only if `if_match` names the current
    /// version. `is_default: false` changes nothing: another API becoming
    /// the default is how one stops being it.
    fn into_edit(self, if_match: IfMatch) -> Edit<Api, AdminError> {
        let fields = [
            ("name", self.name.is_some()),
            ("scopes", self.scopes.is_some()),
            ("is_default", self.is_default.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name.to_owned())
        .collect();
        Edit::new(fields, move |current: &Api| {
            if_match.check(&etag::of(&ApiView::from(current)))?;
            let mut next = current.clone();
            if let Some(name) = self.name {
                next.name = name;
            }
            if let Some(scopes) = self.scopes {
                next.scopes = scopes.into_iter().map(ApiScope::from).collect();
            }
            if self.is_default == Some(true) {
                next.is_default = true;
            }
            Ok(next)
        })
    }
}

/// Updates an API's name, scopes and descriptions, or makes it the default.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "apis",
    params(
        ("tenant" = String, Path, description = "Tenant slug"),
        ("api_id" = String, Path, description = "API id"),
        ("If-Match" = String, Header, description = "The API's ETag"),
    ),
    request_body = UpdateApi,
    responses(
        (status = 200, body = ApiView, headers(("ETag" = String))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 428, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[patch("/tenants/{tenant}/apis/{api_id}")]
pub async fn update_api(
    req: HttpRequest,
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<(String, String)>,
    body: crate::body::Json<UpdateApi>,
) -> Result<HttpResponse, AdminError> {
    let (tenant, id) = path.into_inner();
    let scope = principal.scope_for(&state, &tenant).await?;
    let body = body.into_inner();
    if let Some(name) = &body.name {
        ops::apis::check_name(name)?;
    }
    let edit = body.into_edit(IfMatch::from_request(&req));
    let api = ops::apis::update(&state.platform, &scope, &id, edit).await?;
    Ok(respond::object(StatusCode::OK, &ApiView::from(&api)))
}
