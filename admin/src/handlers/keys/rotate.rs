//! `POST /v1/tenants/{tenant}/keys/rotate`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::KeyView;
use crate::auth::AdminPrincipal;
use crate::errors::{AdminError, ErrorBody};
use crate::page::Page;
use crate::state::AdminState;
use crate::{ops, respond};

/// Which keys to rotate.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateKeys {
    /// `RS256` or `ES256`; absent: both.
    pub alg: Option<String>,
}

/// Rotates the tenant's signing keys with overlap (KEY-02): the new key is
/// published at once and signs only after the JWKS cache lifetime plus the
/// propagation bound; the old key keeps signing until then and stays
/// published until the tokens it signed have expired.
///
/// Requires: system admin, or tenant admin of this tenant.
#[utoipa::path(
    tag = "keys",
    params(("tenant" = String, Path, description = "Tenant slug")),
    request_body = RotateKeys,
    responses(
        (status = 200, description = "The new keys", body = inline(Page<KeyView>)),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[post("/tenants/{tenant}/keys/rotate")]
pub async fn rotate_keys(
    state: web::Data<AdminState>,
    principal: AdminPrincipal,
    path: web::Path<String>,
    body: crate::body::Json<RotateKeys>,
) -> Result<HttpResponse, AdminError> {
    let scope = principal.scope_for(&state, &path).await?;
    let algs = match body.alg.as_deref() {
        None => idp::crypto::keys::SigningAlg::ALL.to_vec(),
        Some(name) => vec![
            idp::crypto::keys::SigningAlg::parse(name)
                .ok_or_else(|| AdminError::Invalid("alg is RS256 or ES256".into()))?,
        ],
    };
    let rows = ops::keys::rotate(&state.platform, &scope, algs).await?;
    Ok(respond::json(
        StatusCode::OK,
        &Page {
            items: rows.iter().map(KeyView::from).collect(),
            next_cursor: None,
        },
    ))
}
