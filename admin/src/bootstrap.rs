//! `idp-admin bootstrap`: against an empty database, creates the `system`
//! tenant, the admin API (`urn:idp:admin`, scope `admin`) and a first
//! system-admin client, whose secret is returned once. Safe to re-run: once
//! a system admin exists it creates nothing.

use idp::apis::ApiOpError;
use idp::domain::api::ApiScope;
use idp::domain::client::{Client, NewClient};
use idp::domain::tenant::{NewTenant, Tenant};
use idp::ids::{ClientId, TenantSlug};
use idp::platform::Platform;
use idp::secret::Secret;
use idp::store::queries::admin_grants::{self, ALL_TENANTS};
use idp::writes::{Audit, Reach};
use serde_json::json;

use crate::errors::AdminError;
use crate::scope::SystemScope;
use crate::state::{ADMIN_AUDIENCE, ADMIN_SCOPE, CLI_CLIENT_ID, CLI_REDIRECT_URI, SYSTEM_SLUG};

/// What bootstrap found or made.
#[derive(Debug)]
pub struct Bootstrapped {
    /// The system tenant.
    pub tenant: Tenant,
    /// The admin client created now, with its secret (shown once).
    pub created: Option<(ClientId, Secret<String>)>,
}

/// Runs the bootstrap.
pub async fn run(platform: &Platform) -> Result<Bootstrapped, AdminError> {
    let slug = TenantSlug::parse(SYSTEM_SLUG).map_err(|e| AdminError::Internal(e.to_string()))?;
    let tenant = idp::tenants::ensure(platform, NewTenant::new(slug, "System"))
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?;
    ensure_admin_api(platform, &tenant).await?;
    ensure_cli_client(platform, &tenant).await?;
    let admins = platform.db.run(admin_grants::count_system_admins).await?;
    if admins > 0 {
        return Ok(Bootstrapped {
            tenant,
            created: None,
        });
    }
    let mut new = NewClient::machine("bootstrap admin", &[ADMIN_SCOPE]);
    new.apis = vec![ADMIN_AUDIENCE.to_owned()];
    let system = SystemScope::bootstrap();
    let tenant_id = tenant.id;
    let prepared = match idp::clients::Prepared::new(platform, tenant_id, ClientId::generate(), new)
    {
        Ok(prepared) => prepared,
        Err(e) => return Err(AdminError::Internal(e.to_string())),
    };
    let secret = prepared.secret.clone();
    let audit = Audit::row(move |client: &Client| {
        system.audit(
            Some(tenant_id.to_string()),
            "admin_grant.create",
            "admin_grant",
            &format!("client:{}", client.id.as_str()),
            json!({ "tenant": ALL_TENANTS }),
        )
    });
    let created = platform
        .change(Reach::Tenant(tenant_id), audit, move |conn, now| {
            // Two bootstraps at once: only the first makes an admin.
            if admin_grants::count_system_admins(conn)? > 0 {
                return Err(idp::clients::ClientOpError::Taken);
            }
            let client = prepared.insert(conn, now)?;
            let subject = format!("client:{}", client.id.as_str());
            admin_grants::insert(conn, &subject, ALL_TENANTS, now)?;
            Ok(client)
        })
        .await;
    match created {
        Ok(client) => Ok(Bootstrapped {
            tenant,
            created: secret.map(|s| (client.id, s)),
        }),
        Err(idp::clients::ClientOpError::Taken) => Ok(Bootstrapped {
            tenant,
            created: None,
        }),
        Err(e) => Err(AdminError::Internal(e.to_string())),
    }
}

async fn ensure_admin_api(platform: &Platform, tenant: &Tenant) -> Result<(), AdminError> {
    let tenant_id = tenant.id;
    let apis = platform
        .db
        .run(move |conn| idp::store::queries::apis::list(conn, tenant_id))
        .await?;
    if apis.iter().any(|a| a.identifier == ADMIN_AUDIENCE) {
        return Ok(());
    }
    let scopes = vec![ApiScope {
        name: ADMIN_SCOPE.to_owned(),
        description: "Administer the platform through the admin API".to_owned(),
    }];
    match idp::apis::create(
        platform,
        tenant.id,
        ADMIN_AUDIENCE,
        "Admin API",
        scopes,
        true,
    )
    .await
    {
        Ok(_) | Err(ApiOpError::Taken) => Ok(()),
        Err(e) => Err(AdminError::Internal(e.to_string())),
    }
}

/// The public client people sign in with from the CLI (`idp-admin login`).
async fn ensure_cli_client(platform: &Platform, tenant: &Tenant) -> Result<(), AdminError> {
    let id = ClientId::new(CLI_CLIENT_ID);
    if idp::clients::find(platform, tenant.id, &id)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let mut new = NewClient::web(
        "idp-admin CLI",
        idp::domain::client::AuthMethod::None,
        &[CLI_REDIRECT_URI],
        &[ADMIN_SCOPE],
    );
    new.grant_types = vec![idp::protocol::params::GrantType::AuthorizationCode];
    new.apis = vec![ADMIN_AUDIENCE.to_owned()];
    new.first_party = true;
    match idp::clients::create_with_id(platform, tenant.id, id, new).await {
        Ok(_) | Err(idp::clients::ClientOpError::Taken) => Ok(()),
        Err(e) => Err(AdminError::Internal(e.to_string())),
    }
}
