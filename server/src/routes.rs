//! The one route table: every URL the server answers.

use actix_web::middleware::from_fn;
use actix_web::web;

use crate::cors::cors;
use crate::hosted::error::PageError;

use crate::endpoints::{
    authorize, discovery, health, introspect, jwks, logout, revoke, token, userinfo,
};
use crate::errors::{no_route, post_only};
use crate::pages::assets::{branding, icon, stylesheet};
use crate::pages::{consent, login};

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health/live", web::get().to(health::live))
        .route("/health/ready", web::get().to(health::ready))
        .route("/health/stats", web::get().to(health::stats))
        .route("/assets/pages.css", web::get().to(stylesheet))
        .route("/assets/favicon.svg", web::get().to(icon))
        .route("/favicon.ico", web::get().to(icon))
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
                .service(
                    web::resource("/jwks.json")
                        .wrap(from_fn(cors))
                        .route(web::get().to(jwks::get_jwks)),
                )
                .route("/branding.css", web::get().to(branding))
                .route("/authorize", web::get().to(authorize::get_authorize))
                .route("/authorize", web::post().to(authorize::post_authorize))
                .service(
                    web::resource("/login")
                        .app_data(page_form())
                        .app_data(page_query())
                        .route(web::get().to(login::get_login))
                        .route(web::post().to(login::post_login)),
                )
                .service(
                    web::resource("/consent")
                        .app_data(page_form())
                        .app_data(page_query())
                        .route(web::get().to(consent::get_consent))
                        .route(web::post().to(consent::post_consent)),
                )
                .route("/logout", web::get().to(logout::get_logout))
                .route("/logout", web::post().to(logout::post_logout))
                .service(
                    web::resource("/userinfo")
                        .wrap(from_fn(cors))
                        .route(web::get().to(userinfo::userinfo))
                        .route(web::post().to(userinfo::userinfo)),
                )
                .service(
                    web::resource("/token")
                        .wrap(from_fn(cors))
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
                        .wrap(from_fn(cors))
                        .route(web::post().to(revoke::post_revoke))
                        .default_service(web::to(post_only)),
                ),
        )
        .default_service(web::to(no_route));
}

/// Malformed page forms get the readable error page, not a JSON error.
fn page_form() -> web::FormConfig {
    web::FormConfig::default()
        .limit(16 * 1024)
        .error_handler(|_, _| {
            PageError::BadRequest("The form could not be read. Go back and try again.").into()
        })
}

/// Page URLs without their `interaction` get the readable error page.
fn page_query() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|_, _| {
        PageError::BadRequest(
            "This link is incomplete. Go back to the application and start again.",
        )
        .into()
    })
}
