//! Authorization server metadata: OIDC Discovery 1.0 §4 at
//! `/t/{slug}/.well-known/openid-configuration`, and RFC 8414 §3 at the
//! path-inserted `/.well-known/oauth-authorization-server/t/{slug}`. Both serve
//! the same document, whose `issuer` is exactly `{public_url}/t/{slug}`.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use idp::protocol::metadata::ProviderMetadata;

use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// `GET` either discovery location.
pub async fn get_metadata(state: web::Data<AppState>, tenant: CurrentTenant) -> HttpResponse {
    let snapshot = &tenant.snapshot;
    let api_scopes = snapshot
        .apis
        .iter()
        .flat_map(|api| api.scopes.iter().map(|s| s.name.clone()))
        .collect();
    let metadata = ProviderMetadata::for_tenant(
        &snapshot.tenant,
        &state.platform.config.http.public_url,
        api_scopes,
    );
    HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "public, max-age=60"))
        .json(metadata)
}
