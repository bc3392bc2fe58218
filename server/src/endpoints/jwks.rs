//! The tenant's JSON Web Key Set (RFC 7517 §5): public keys only, one `kid`
//! each, served with `Cache-Control` and a strong `ETag` (RFC 9110 §8.8.3).

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// `GET /t/{slug}/jwks.json`.
pub async fn get_jwks(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: CurrentTenant,
) -> HttpResponse {
    let jwks = &tenant.snapshot.jwks;
    let cache_control = format!(
        "public, max-age={}",
        state.platform.config.tenancy.jwks_max_age_secs
    );
    let not_modified = req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == jwks.etag || t.trim() == "*")
        });
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((CACHE_CONTROL, cache_control))
        .insert_header((ETAG, jwks.etag.clone()));
    if not_modified {
        response.finish()
    } else {
        response
            .insert_header((CONTENT_TYPE, "application/jwk-set+json"))
            .body(jwks.body.clone())
    }
}
