//! `POST /v1/tenants/{tenant}/clients`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use idp::domain::client::{AuthMethod, NewClient, TokenFormat};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ClientView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::state::AdminState;
use crate::{ops, patch, respond};

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

impl TryFrom<CreateClient> for NewClient {
    type Error = AdminError;

    /// The names of the methods and formats, and the registration rules.
    fn try_from(body: CreateClient) -> Result<Self, AdminError> {
        let auth_method = match body.token_endpoint_auth_method.as_deref() {
            None => AuthMethod::ClientSecretBasic,
            Some(name) => AuthMethod::parse(name).ok_or_else(|| {
                AdminError::Invalid(
                    "token_endpoint_auth_method is client_secret_basic, client_secret_post or none"
                        .into(),
                )
            })?,
        };
        let token_format = match body.token_format.as_deref() {
            None => TokenFormat::Jwt,
            Some(name) => TokenFormat::parse(name)
                .ok_or_else(|| AdminError::Invalid("token_format is jwt or opaque".into()))?,
        };
        let new = Self {
            name: body.name,
            auth_method,
            redirect_uris: body.redirect_uris,
            grant_types: patch::decode(json!(body.grant_types), "grant_types")?,
            scopes: body.scopes,
            apis: body.apis,
            token_format,
            access_token_ttl_secs: body.access_token_ttl_secs,
            access_token_alg: None,
            first_party: body.first_party,
            id_token_alg: None,
            post_logout_redirect_uris: body.post_logout_redirect_uris,
            web_origins: body.web_origins,
        };
        new.validate().map_err(AdminError::invalid)?;
        Ok(new)
    }
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
        ops::clients::create(&state.platform, &scope, body.into_inner().try_into()?).await?;
    Ok(respond::json(
        StatusCode::CREATED,
        &CreatedClient {
            client: ClientView::from(&client),
            client_secret: secret.map(|s| s.expose().clone()),
        },
    ))
}
