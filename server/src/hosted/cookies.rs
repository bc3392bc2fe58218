//! Cookies of the hosted pages. The SSO session cookie is one per tenant
//! (a browser may be signed in to several), looked up under the tenant on the
//! server, so one tenant's cookie means nothing to another. The browser
//! binding cookie ties an interaction to the browser that started it (login
//! CSRF). Both are `HttpOnly`, `SameSite=Lax`, `Path=/`, no `Domain`; with an
//! https public URL they are `Secure` and `__Host-` prefixed.

use actix_web::cookie::time::Duration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};
use idp::crypto::{b64url, sha256};
use idp::ids::TenantSlug;
use idp::secret::random_bytes;

use crate::state::AppState;

/// Cookie settings derived from the public URL.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    secure: bool,
}

impl CookiePolicy {
    /// Secure cookies when the public URL is https.
    pub fn for_public_url(public_url: &str) -> Self {
        Self {
            secure: public_url.starts_with("https://"),
        }
    }

    fn prefix(self) -> &'static str {
        if self.secure { "__Host-" } else { "" }
    }

    /// Name of the SSO session cookie of `slug`.
    pub fn session_name(self, slug: &TenantSlug) -> String {
        format!("{}idp-session-{slug}", self.prefix())
    }

    /// Name of the browser binding cookie.
    pub fn browser_name(self) -> String {
        format!("{}idp-browser", self.prefix())
    }

    /// A cookie `name=value` with every attribute set.
    pub fn cookie(self, name: String, value: String) -> Cookie<'static> {
        Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .finish()
    }

    /// A cookie that deletes `name`.
    pub fn removal(self, name: String) -> Cookie<'static> {
        let mut cookie = self.cookie(name, String::new());
        cookie.set_max_age(Duration::ZERO);
        cookie
    }
}

/// Cookie settings of this deployment.
pub fn cookie_policy(state: &AppState) -> CookiePolicy {
    CookiePolicy::for_public_url(&state.platform.config.http.public_url)
}

/// `response` with `cookie` added, if any.
pub fn with_cookie(mut response: HttpResponse, cookie: Option<Cookie<'static>>) -> HttpResponse {
    if let Some(cookie) = cookie
        && let Err(e) = response.add_cookie(&cookie)
    {
        tracing::error!(error = %e, "cookie not set");
    }
    response
}

/// The browser binding of `req`: the digest the interaction stores, and the
/// cookie to set when the browser had none.
pub fn browser_binding(
    req: &HttpRequest,
    policy: CookiePolicy,
) -> (String, Option<Cookie<'static>>) {
    let name = policy.browser_name();
    match req
        .cookie(&name)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32)
    {
        Some(value) => (binding_digest(&value), None),
        None => {
            let value = b64url(&random_bytes::<32>());
            (binding_digest(&value), Some(policy.cookie(name, value)))
        }
    }
}

/// The binding digest of the browser cookie in `req`, if any.
pub fn current_binding(req: &HttpRequest, policy: CookiePolicy) -> Option<String> {
    req.cookie(&policy.browser_name())
        .map(|c| binding_digest(c.value()))
}

fn binding_digest(value: &str) -> String {
    b64url(&sha256(value.as_bytes()))
}
