//! The first command's demo: a `demo` tenant with a default API and a machine
//! client, created if absent, and a banner with what a new user needs.

use idp::config::DatabaseKind;
use idp::domain::client::NewClient;
use idp::domain::tenant::NewTenant;
use idp::ids::{ClientId, TenantSlug};
use idp::secret::Secret;
use idp::tenants::{self, TenantError};

use crate::boot::Running;

/// Slug of the demo tenant.
pub const DEMO_SLUG: &str = "demo";
/// Identifier (audience) of the demo API.
pub const DEMO_API: &str = "https://api.demo.example";
/// `client_id` of the demo machine client.
pub const DEMO_MACHINE_CLIENT: &str = "demo-machine";

/// What the demo set-up created or found.
pub struct Demo {
    /// The machine client's secret, when it was created just now.
    pub machine_secret: Option<Secret<String>>,
}

/// Why the demo could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("demo set-up: {0}")]
pub struct DemoError(String);

fn failed(e: impl std::fmt::Display) -> DemoError {
    DemoError(e.to_string())
}

/// Creates the demo tenant, API and machine client unless they exist.
pub async fn ensure_demo(running: &Running) -> Result<Demo, DemoError> {
    let platform = &running.state.platform;
    let slug = TenantSlug::parse(DEMO_SLUG).map_err(failed)?;
    let tenant = tenants::ensure(platform, NewTenant::new(slug.clone(), "Demo"))
        .await
        .map_err(|e: TenantError| failed(e))?;
    let state = tenants::load_state(platform, &slug, None)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("demo tenant vanished"))?;
    if !state.apis.iter().any(|a| a.identifier == DEMO_API) {
        let scopes = idp::apis::scopes(&[
            ("items:read", "Read your items"),
            ("items:write", "Create and change your items"),
        ]);
        match idp::apis::create(platform, tenant.id, DEMO_API, "Demo API", scopes, true).await {
            Ok(_) | Err(idp::apis::ApiOpError::Taken) => {}
            Err(e) => return Err(failed(e)),
        }
    }
    let id = ClientId::new(DEMO_MACHINE_CLIENT);
    let machine_secret = if idp::clients::find(platform, tenant.id, &id)
        .await
        .map_err(failed)?
        .is_some()
    {
        None
    } else {
        let new = NewClient::machine("Demo machine client", &["items:read", "items:write"]);
        match idp::clients::create_with_id(platform, tenant.id, id, new).await {
            Ok(created) => created.secret,
            // Another process starting at the same moment created it.
            Err(idp::clients::ClientOpError::Taken) => None,
            Err(e) => return Err(failed(e)),
        }
    };
    Ok(Demo { machine_secret })
}

/// The banner printed once the server listens.
pub fn banner(running: &Running, demo: &Demo) -> String {
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
    let secret = match &demo.machine_secret {
        Some(secret) => format!(
            "{}   (shown once; stored only as a digest)",
            secret.expose()
        ),
        None => "printed on the first start (stored only as a digest)".to_owned(),
    };
    let secret_arg = demo
        .machine_secret
        .as_ref()
        .map_or("SECRET".to_owned(), |s| s.expose().clone());
    format!(
        "\nThe identity platform is running ({backend}).\n\
         \n  Issuer     {issuer}\
         \n  Discovery  {issuer}/.well-known/openid-configuration\
         \n  RFC 8414   {public}/.well-known/oauth-authorization-server/t/{DEMO_SLUG}\
         \n  JWKS       {issuer}/jwks.json\
         \n  Health     {public}/health/ready\
         \n\nDemo machine client (client_credentials, API {DEMO_API}):\
         \n  client_id      {DEMO_MACHINE_CLIENT}\
         \n  client_secret  {secret}\
         \n\nTry it:\
         \n  curl -s {issuer}/.well-known/openid-configuration\
         \n  curl -s -u {DEMO_MACHINE_CLIENT}:{secret_arg} -d grant_type=client_credentials {issuer}/token\
         \n  curl -s -u {DEMO_MACHINE_CLIENT}:{secret_arg} -d token=ACCESS_TOKEN {issuer}/introspect\
         \n\nData survives a restart; stop with Ctrl-C.\n",
        public = config.http.public_url,
    )
}
