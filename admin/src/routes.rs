//! Every route of the admin service. Registered through utoipa-actix-web,
//! which only accepts handlers that carry their OpenAPI description.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::handlers::{
    admins, apis, audit, clients, consents, health, keys, revocations, scopes, tenants, users,
};

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
        .service(apis::create::create_api)
        .service(apis::list::list_apis)
        .service(apis::read::read_api)
        .service(apis::update::update_api)
        .service(apis::delete::delete_api)
        .service(scopes::list::list_scopes)
        .service(clients::create::create_client)
        .service(clients::list::list_clients)
        .service(clients::read::read_client)
        .service(clients::update::update_client)
        .service(clients::rotate_secret::rotate_client_secret)
        .service(clients::delete::delete_client)
        .service(users::create::create_user)
        .service(users::list::list_users)
        .service(users::read::read_user)
        .service(users::update::update_user)
        .service(users::password::set_user_password)
        .service(users::unlock::unlock_user)
        .service(users::delete::delete_user)
        .service(consents::list::list_consents)
        .service(consents::delete::delete_consent)
        .service(revocations::create::create_revocation)
        .service(keys::list::list_keys)
        .service(keys::rotate::rotate_keys)
        .service(admins::list::list_admins)
        .service(admins::create::create_admin)
        .service(admins::delete::delete_admin)
        .service(audit::list::list_tenant_audit)
        .service(audit::list::list_audit);
}
