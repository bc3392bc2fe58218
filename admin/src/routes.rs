//! Every route of the admin service. Registered through utoipa-actix-web,
//! which only accepts handlers that carry their OpenAPI description.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::handlers::{audit, health, tenants};

/// Registers the health check and the versioned API.
pub fn all(cfg: &mut ServiceConfig) {
    cfg.service(health::health);
    cfg.service(scope::scope("/v1").configure(v1));
}

fn v1(cfg: &mut ServiceConfig) {
    cfg.service(tenants::create::create_tenant)
        .service(tenants::list::list_tenants)
        .service(tenants::read::read_tenant)
        .service(tenants::update::update_tenant)
        .service(tenants::delete::delete_tenant)
        .service(audit::list::list_tenant_audit)
        .service(audit::list::list_audit);
}
