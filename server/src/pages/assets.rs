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
    asset("image/svg+xml", 86_400, ICON.to_owned())
}

/// `GET /t/{slug}/branding.css`: the tenant's accent colour (validated as
/// `#rrggbb` when the policy was saved, and again here).
pub async fn branding(tenant: CurrentTenant) -> HttpResponse {
    let branding = &tenant.snapshot.tenant.policy.branding;
    let css = match &branding.accent_color {
        Some(color) if branding.is_valid() => format!(":root {{ --accent: {color}; }}\n"),
        _ => String::new(),
    };
    asset("text/css; charset=utf-8", 60, css)
}

/// `GET /assets/pages.css`.
pub async fn stylesheet() -> HttpResponse {
    asset("text/css; charset=utf-8", 3600, STYLESHEET.to_owned())
}

/// A same-origin asset of `content_type`, cached for `max_age` seconds and
/// never sniffed as anything else.
fn asset(content_type: &'static str, max_age: u32, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, content_type))
        .insert_header((CACHE_CONTROL, format!("public, max-age={max_age}")))
        .insert_header((
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .body(body)
}
