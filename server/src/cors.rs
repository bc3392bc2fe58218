//! CORS for browser apps (Fetch standard) on the token, userinfo, revocation
//! and JWKS endpoints only: a request or preflight from an origin one of the
//! tenant's clients registered gets `Access-Control-Allow-Origin` with that
//! origin; any other origin gets no CORS header, so the browser blocks it.
//! The authorization endpoint and hosted pages never answer CORS (RFC 9700
//! §2.6): this middleware is not on their routes.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_METHOD, HeaderValue, ORIGIN, VARY,
};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};

use crate::state::AppState;
use crate::tenant;

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: &str = "600";

async fn allowed_origin(req: &ServiceRequest) -> Option<HeaderValue> {
    let origin = req.headers().get(ORIGIN)?.clone();
    let text = origin.to_str().ok()?;
    let state = req.app_data::<web::Data<AppState>>()?;
    let slug = req.match_info().get("slug")?;
    let tenant = tenant::resolve(state, slug).await.ok()?;
    tenant.snapshot.web_origins.contains(text).then_some(origin)
}

/// The middleware.
pub async fn cors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !req.headers().contains_key(ORIGIN) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let origin = allowed_origin(&req).await;
    let preflight = req.method() == Method::OPTIONS
        && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let mut response = HttpResponse::NoContent();
        response.insert_header((VARY, "Origin"));
        if let Some(origin) = origin {
            response
                .insert_header((ACCESS_CONTROL_ALLOW_ORIGIN, origin))
                .insert_header((ACCESS_CONTROL_ALLOW_METHODS, "GET, POST"))
                .insert_header((ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type"))
                .insert_header((ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE));
        }
        return Ok(req.into_response(response.finish()));
    }
    let mut response = next.call(req).await?.map_into_boxed_body();
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    Ok(response)
}
