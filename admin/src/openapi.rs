//! The OpenAPI 3 document, generated from the handlers' `#[utoipa::path]`
//! attributes as they are registered (utoipa-actix-web), so a route cannot
//! be served without being described.

use actix_web::App;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::errors::ErrorBody;
use crate::routes;

/// Title, version and shared components.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "IdP admin API",
        description = "Tenants, APIs, clients, users, consents, revocation, signing keys, \
                       admin rights and the audit log. Every call needs a bearer access token \
                       from the `system` tenant with audience `urn:idp:admin` and scope `admin`."
    ),
    modifiers(&BearerAuth),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document, built the same way the service builds its routes.
pub fn document() -> Document {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::all)
        .split_for_parts()
        .1
}
