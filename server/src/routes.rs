//! The one route table: every URL the server answers.

use actix_web::web;

use crate::endpoints::{discovery, health, jwks};
use crate::errors::no_route;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(health::live))
        .route("/health/ready", web::get().to(health::ready))
        .route(
            "/.well-known/oauth-authorization-server/t/{slug}",
            web::get().to(discovery::get_metadata),
        )
        .service(
            web::scope("/t/{slug}")
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to(discovery::get_metadata),
                )
                .route("/jwks.json", web::get().to(jwks::get_jwks)),
        )
        .default_service(web::to(no_route));
}
