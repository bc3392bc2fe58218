//! `POST /v1/tenants/{tenant}/clients`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ClientView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{respond, store};

/// A new client. Omitted settings take their defaults.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    /// Display name, 1 to 200 characters.
    pub name: String,
    /// `client_secret_basic` (default), `client_secret_post`, or `none` for a public client.
    pub token_endpoint_auth_method: Option<String>,
    /// Exact redirect URIs.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// Grants: `authorization_code`, `client_credentials`, `refresh_token`.
    #[serde(default)]
    pub grant_types: Vec<String>,
    /// Scopes it may be given.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// API identifiers it may get tokens for (empty: any).
    #[serde(default)]
    pub apis: Vec<String>,
    /// `jwt` (default) or `opaque`.
    pub token_format: Option<String>,
    /// Access-token lifetime, seconds (capped by the tenant).
    pub access_token_ttl_secs: Option<i64>,
    /// Skips the consent page.
    #[serde(default)]
    pub first_party: bool,
    /// Exact URIs RP-initiated logout may return to.
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// Browser origins allowed cross-origin calls.
    #[serde(default)]
    pub web_origins: Vec<String>,
}

/// The created client and its secret, shown only in this response.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedClient {
    /// The client.
    #[serde(flatten)]
    pub client: ClientView,
    /// The generated secret (confidential clients); never returned again.
    pub client_secret: Option<String>,
}

/// Registers a client; the secret is generated (256 bits) and stored only as a digest.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "clients",
    params(("tenant" = String, Path, description = "Tenant slug")),
    request_body = CreateClient,
    responses(
        (status = 201, body = CreatedClient),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants/{tenant}/clients")]
pub async fn create_client(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    body: crate::body::Json<CreateClient>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let (client, secret) =
        store::clients::create(&state.platform, &scope, body.into_inner()).await?;
    Ok(respond::json(
        StatusCode::CREATED,
        &CreatedClient {
            client: ClientView::from(&client),
            client_secret: secret.map(|s| s.expose().clone()),
        },
    ))
}
