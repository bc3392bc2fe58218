//! The one route table: every URL the server answers.

use actix_web::web;

use crate::endpoints::{discovery, health, introspect, jwks, revoke, token};
use crate::errors::{no_route, post_only};

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(health::live))
        .route("/health/ready", web::get().to(health::ready))
        .route("/health/stats", web::get().to(health::stats))
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
                .route("/jwks.json", web::get().to(jwks::get_jwks))
                .service(
                    web::resource("/token")
                        .route(web::post().to(token::post_token))
                        .default_service(web::to(post_only)),
                )
                .service(
                    web::resource("/introspect")
                        .route(web::post().to(introspect::post_introspect))
                        .default_service(web::to(post_only)),
                )
                .service(
                    web::resource("/revoke")
                        .route(web::post().to(revoke::post_revoke))
                        .default_service(web::to(post_only)),
                ),
        )
        .default_service(web::to(no_route));
}
