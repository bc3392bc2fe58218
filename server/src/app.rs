//! The application: state plus the route table. `main` and the e2e harness
//! build it the same way, through [`crate::boot`].

use actix_web::web;

use crate::routes;
use crate::state::AppState;

/// Configures one worker's application.
pub fn configure(cfg: &mut web::ServiceConfig, state: web::Data<AppState>) {
    cfg.app_data(state).configure(routes::configure);
}
