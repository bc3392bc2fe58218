//! Templates (compiled into the binary, auto-escaped) and the headers of
//! every HTML response and page redirect: a CSP that forbids framing and
//! foreign resources but no `form-action` (it would block the redirect back
//! to the client), `X-Frame-Options`, `Referrer-Policy: no-referrer`, and
//! `no-store`.

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue, LOCATION, PRAGMA,
};
use actix_web::{HttpResponse, HttpResponseBuilder};
use idp::domain::tenant::Tenant;
use serde::Serialize;
use tera::{Context, Tera};

/// `Content-Security-Policy` of every HTML page.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                       frame-ancestors 'none'; base-uri 'none'";

static TEMPLATES: LazyLock<Result<Tera, String>> = LazyLock::new(|| {
    let mut tera = Tera::default();
    tera.add_raw_templates(vec![
        (
            "base.html",
            include_str!("../../../templates/pages/base.html"),
        ),
        (
            "login.html",
            include_str!("../../../templates/pages/login.html"),
        ),
        (
            "consent.html",
            include_str!("../../../templates/pages/consent.html"),
        ),
        (
            "error.html",
            include_str!("../../../templates/pages/error.html"),
        ),
        (
            "logout.html",
            include_str!("../../../templates/pages/logout.html"),
        ),
        (
            "logged_out.html",
            include_str!("../../../templates/pages/logged_out.html"),
        ),
        (
            "demo_callback.html",
            include_str!("../../../templates/pages/demo_callback.html"),
        ),
    ])
    .map_err(|e| format!("{e:?}"))?;
    Ok(tera)
});

/// A 302 to `location` with the page headers (and `no-store`).
pub fn found(location: &str) -> HttpResponse {
    let mut builder = HttpResponse::Found();
    secure_headers(&mut builder).insert_header((LOCATION, location));
    builder.finish()
}

/// Adds the headers every HTML response carries.
pub fn secure_headers(builder: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    builder
        .insert_header((
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(CSP),
        ))
        .insert_header((
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .insert_header((
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ))
        .insert_header((
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((PRAGMA, "no-cache"))
}

/// A page to render: a template and its values.
pub struct Page {
    template: &'static str,
    status: StatusCode,
    context: Context,
}

impl Page {
    /// `template` titled `title`, branded for the tenant named `tenant_name`.
    pub fn new(template: &'static str, title: &str, tenant_name: &str) -> Self {
        let mut context = Context::new();
        context.insert("title", title);
        context.insert("tenant_name", tenant_name);
        context.insert("lang", "en");
        context.insert("brand_css", &Option::<String>::None);
        Self {
            template,
            status: StatusCode::OK,
            context,
        }
    }

    /// `template` titled `title`, with the tenant's name and branding.
    pub fn for_tenant(template: &'static str, title: &str, tenant: &Tenant) -> Self {
        let page = Self::new(template, title, &tenant.display_name);
        if tenant.policy.branding.accent_color.is_some() {
            page.with("brand_css", format!("/t/{}/branding.css", tenant.slug))
        } else {
            page
        }
    }

    /// Sets a template value.
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.context.insert(key, &value);
        self
    }

    /// Sets the status code.
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The rendered body (a template error is a bug: logged, and a plain page).
    pub fn body(&self) -> String {
        let rendered = match &*TEMPLATES {
            Ok(tera) => tera
                .render(self.template, &self.context)
                .map_err(|e| format!("{e:?}")),
            Err(e) => Err(e.clone()),
        };
        rendered.unwrap_or_else(|e| {
            tracing::error!(template = self.template, error = %e, "page did not render");
            "<!doctype html><title>Error</title><p>Something went wrong. Please try again.</p>"
                .to_owned()
        })
    }

    /// The HTML response builder with its status and headers, for callers
    /// that add cookies before the body.
    pub fn builder(&self) -> HttpResponseBuilder {
        let mut builder = HttpResponse::build(self.status);
        secure_headers(&mut builder).insert_header((CONTENT_TYPE, "text/html; charset=utf-8"));
        builder
    }

    /// The HTML response.
    pub fn response(self) -> HttpResponse {
        let body = self.body();
        self.builder().body(body)
    }
}

/// The error page: `message` is fixed text, never request input.
pub fn error_page(status: StatusCode, tenant: &Tenant, message: &str) -> HttpResponse {
    Page::for_tenant("error.html", "Something went wrong", tenant)
        .with("message", message)
        .status(status)
        .response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_escapes() {
        assert!(TEMPLATES.is_ok(), "{:?}", TEMPLATES.as_ref().err());
        let body = Page::new("error.html", "T", "<b>Tenant</b>")
            .with("message", "\"><script>x</script>")
            .body();
        assert!(!body.contains("<script>"));
        assert!(!body.contains("<b>Tenant"));
        assert!(body.contains("&lt;script&gt;"));
    }
}
