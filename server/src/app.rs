//! The application: state plus the route table. `main` and the e2e harness
//! build it the same way, through [`crate::boot`].

use actix_web::web;

use crate::routes;
use crate::state::AppState;

/// Configures one worker's application: `extra` routes (the demo, when
/// `main` mounts it) ahead of the production table, whose `/t/{slug}` scope
/// would otherwise take their paths.
pub fn configure(
    cfg: &mut web::ServiceConfig,
    state: web::Data<AppState>,
    extra: impl FnOnce(&mut web::ServiceConfig),
) {
    cfg.app_data(state)
        .configure(extra)
        .configure(routes::configure);
}
