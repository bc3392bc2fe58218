//! What the hosted pages load from our own origin (the CSP allows nothing
//! else): the stylesheet, the icon and each tenant's branding.

use actix_web::HttpResponse;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue};

use crate::tenant::CurrentTenant;

/// The hosted pages' stylesheet, served same-origin at `/assets/pages.css`.
pub const STYLESHEET: &str = include_str!("../../../templates/assets/pages.css");

/// The icon browsers show for the pages, served at `/favicon.ico` (where
/// browsers look without being told) and `/assets/favicon.svg`.
pub const ICON: &str = include_str!("../../../templates/assets/favicon.svg");

/// `GET /favicon.ico` and `GET /assets/favicon.svg`.
pub async fn icon() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "image/svg+xml"))
        .insert_header((CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .body(ICON)
}

/// `GET /t/{slug}/branding.css`: the tenant's accent colour (validated as
/// `#rrggbb` when the policy was saved, and again here).
pub async fn branding(tenant: CurrentTenant) -> HttpResponse {
    let branding = &tenant.snapshot.tenant.policy.branding;
    let css = match &branding.accent_color {
        Some(color) if branding.is_valid() => format!(":root {{ --accent: {color}; }}\n"),
        _ => String::new(),
    };
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "public, max-age=60"))
        .insert_header((
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .body(css)
}

/// `GET /assets/pages.css`.
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .body(STYLESHEET)
}
