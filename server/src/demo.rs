//! The first command's demo: a `demo` tenant created if absent, and a banner
//! with what a new user needs to try the platform.

use idp::config::DatabaseKind;
use idp::domain::tenant::NewTenant;
use idp::ids::TenantSlug;
use idp::tenants::{self, TenantError};

use crate::boot::Running;

/// Slug of the demo tenant.
pub const DEMO_SLUG: &str = "demo";

/// Creates the demo tenant unless it exists.
pub async fn ensure_demo_tenant(running: &Running) -> Result<(), TenantError> {
    let slug = TenantSlug::parse(DEMO_SLUG).map_err(|_| TenantError::NotFound)?;
    tenants::ensure(&running.state.platform, NewTenant::new(slug, "Demo")).await?;
    Ok(())
}

/// The banner printed once the server listens.
pub fn banner(running: &Running) -> String {
    let config = &running.state.platform.config;
    let issuer = format!("{}/t/{DEMO_SLUG}", config.http.public_url);
    let data_dir =
        std::fs::canonicalize(&config.data_dir).unwrap_or_else(|_| config.data_dir.clone());
    let backend = match config.database.kind() {
        DatabaseKind::Sqlite => format!(
            "embedded default: SQLite + in-process store, data in {}",
            data_dir.display()
        ),
        DatabaseKind::Postgres => "PostgreSQL + Redis".to_owned(),
    };
    format!(
        "\nThe identity platform is running ({backend}).\n\
         \n  Issuer     {issuer}\
         \n  Discovery  {issuer}/.well-known/openid-configuration\
         \n  RFC 8414   {public}/.well-known/oauth-authorization-server/t/{DEMO_SLUG}\
         \n  JWKS       {issuer}/jwks.json\
         \n  Health     {public}/health/ready\
         \n\nTry it:\n  curl -s {issuer}/.well-known/openid-configuration\
         \n\nData survives a restart; stop with Ctrl-C.\n",
        public = config.http.public_url,
    )
}
