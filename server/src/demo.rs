//! The first command's demo: a `demo` tenant with a default API, a machine
//! client, a web client whose callback page this server serves, and a user,
//! created if absent; and a banner with what a new user needs.

use idp::config::DatabaseKind;
use idp::crypto::{b64url, sha256};
use idp::domain::client::{AuthMethod, NewClient};
use idp::domain::tenant::NewTenant;
use idp::domain::user::{NewUser, Profile};
use idp::ids::{ClientId, TenantSlug};
use idp::secret::Secret;
use idp::secret::random_bytes;
use idp::tenants::{self, TenantError};

use crate::boot::Running;

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
    let public = &platform.config.http.public_url;
    let callback = format!("{public}{}", callback_path());
    let web_id = ClientId::new(DEMO_WEB_CLIENT);
    if idp::clients::find(platform, tenant.id, &web_id)
        .await
        .map_err(failed)?
        .is_none()
    {
        let new = NewClient {
            post_logout_redirect_uris: vec![callback.clone()],
            ..NewClient::web(
                "Demo web app",
                AuthMethod::None,
                &[&callback],
                &["profile", "email", "offline_access", "items:read"],
            )
        };
        match idp::clients::create_with_id(platform, tenant.id, web_id.clone(), new).await {
            Ok(_) | Err(idp::clients::ClientOpError::Taken) => {}
            Err(e) => return Err(failed(e)),
        }
    }
    let user_password = ensure_user(running, tenant.id).await?;
    // The verifier is derived, not stored: the printed URL works after a restart.
    let verifier = b64url(
        &platform
            .secrets
            .digest(tenant.id, &web_id, "demo-pkce-verifier"),
    );
    let challenge = b64url(&sha256(verifier.as_bytes()));
    let mut url = url::Url::parse(&format!("{public}/t/{DEMO_SLUG}/authorize")).map_err(failed)?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", DEMO_WEB_CLIENT)
        .append_pair("redirect_uri", &callback)
        .append_pair("scope", DEMO_SCOPES)
        .append_pair("state", DEMO_STATE)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let _ = running.state.demo.set(DemoWeb { verifier });
    Ok(Demo {
        machine_secret,
        user_password,
        authorize_url: url.into(),
    })
}

async fn ensure_user(
    running: &Running,
    tenant: idp::ids::TenantId,
) -> Result<Option<Secret<String>>, DemoError> {
    let platform = &running.state.platform;
    let password = b64url(&random_bytes::<12>());
    let new = NewUser {
        email: Some("demo@demo.example".to_owned()),
        email_verified: true,
        profile: Profile {
            name: Some("Dana Demo".to_owned()),
            given_name: Some("Dana".to_owned()),
            family_name: Some("Demo".to_owned()),
            ..Profile::default()
        },
        ..NewUser::with_password(DEMO_USER, &password)
    };
    match idp::users::create(platform, tenant, new).await {
        Ok(_) => Ok(Some(Secret::new(password))),
        // Created on an earlier start (or by another process just now).
        Err(idp::users::UserOpError::Taken) => Ok(None),
        Err(e) => Err(failed(e)),
    }
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
         \n\nSign in as a person (authorization code + PKCE, client {DEMO_WEB_CLIENT}):\
         \n  user      {DEMO_USER}\
         \n  password  {password}\
         \n  open      {authorize_url}\
         \n\nData survives a restart; stop with Ctrl-C.\n",
        public = config.http.public_url,
        password = demo.user_password.as_ref().map_or(
            "printed on the first start (stored only as an argon2id hash)".to_owned(),
            |p| format!("{}   (shown once)", p.expose())
        ),
        authorize_url = demo.authorize_url,
    )
}

/// What to do next with the admin service the demo started.
pub fn admin_banner(admin_url: &str) -> String {
    format!(
        "\nAdmin service (its own process): {admin_url}   (OpenAPI: {admin_url}/openapi.json)\
         \n  Bootstrap it once, in this folder; it prints admin credentials to export:\
         \n    idp-admin bootstrap\
         \n  then, for example:\
         \n    idp-admin tenants create --slug acme --name \"Acme\"\
         \n    idp-admin tenants list"
    )
}
