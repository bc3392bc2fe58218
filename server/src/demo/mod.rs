//! The first command's demo (`idp-server --demo`), an extra mounted beside
//! the production routes and nothing production depends on: [`setup`]
//! creates the `demo` tenant and its clients and user if absent, [`banner`]
//! prints what a new user needs, and the demo web client's callback page
//! (`callback`) is routed only when [`mount`] is called, by `main` with
//! `--demo`. It takes the [`AppState`](crate::state::AppState) like any
//! request does.

pub mod banner;
mod callback;
pub mod setup;

use actix_web::web;
use idp::secret::Secret;

pub use self::banner::{admin_banner, banner};
pub use self::setup::{DemoError, ensure_demo};

/// Slug of the demo tenant.
pub const DEMO_SLUG: &str = "demo";
/// Identifier (audience) of the demo API.
pub const DEMO_API: &str = "https://api.demo.example";
/// `client_id` of the demo machine client.
pub const DEMO_MACHINE_CLIENT: &str = "demo-machine";
/// `client_id` of the demo web client (public, PKCE).
pub const DEMO_WEB_CLIENT: &str = "demo-web";
/// Username of the demo user.
pub const DEMO_USER: &str = "demo";
/// `state` of the printed authorization URL, checked by the callback page.
pub const DEMO_STATE: &str = "demo";
/// Scopes the printed authorization URL asks for.
pub const DEMO_SCOPES: &str = "openid profile email offline_access items:read";

/// What the demo set-up created or found.
pub struct Demo {
    /// The machine client's secret, when it was created just now.
    pub machine_secret: Option<Secret<String>>,
    /// The demo user's password, when the user was created just now.
    pub user_password: Option<Secret<String>>,
    /// The ready authorization URL.
    pub authorize_url: String,
    /// What the callback page needs to redeem that URL's codes.
    pub web: DemoWeb,
}

/// What the demo callback page needs: the PKCE verifier of the printed URL.
#[derive(Debug, Clone)]
pub struct DemoWeb {
    /// Derived from the master key, so the URL stays valid across restarts.
    pub verifier: String,
}

/// The demo callback's path under the public URL.
pub fn callback_path() -> String {
    format!("/t/{DEMO_SLUG}/demo/callback")
}

/// Routes the demo callback page. It must be registered before the
/// production table, whose `/t/{slug}` scope would otherwise take the path.
pub fn mount(cfg: &mut web::ServiceConfig, demo: DemoWeb) {
    cfg.service(
        web::resource(callback_path())
            .app_data(web::Data::new(demo))
            .route(web::get().to(callback::get_callback)),
    );
}
