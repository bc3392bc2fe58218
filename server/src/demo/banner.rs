//! What the first command prints: the banner once the server listens, and
//! how to go on with the admin service the demo started.

use idp::config::DatabaseKind;

use super::{DEMO_API, DEMO_MACHINE_CLIENT, DEMO_SLUG, DEMO_USER, DEMO_WEB_CLIENT, Demo};
use crate::state::AppState;

/// The banner printed once the server listens.
pub fn banner(state: &AppState, demo: &Demo) -> String {
    let config = &state.platform.config;
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
         \n  curl -s {issuer}/jwks.json\
         \n  curl -s -u {DEMO_MACHINE_CLIENT}:{secret_arg} -d token=ACCESS_TOKEN {issuer}/introspect\
         \n  curl -s -u {DEMO_MACHINE_CLIENT}:{secret_arg} -d token=ACCESS_TOKEN {issuer}/revoke\
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

/// What to do next with the admin service the demo started; `command` runs
/// its binary from the current folder.
pub fn admin_banner(admin_url: &str, command: &str) -> String {
    format!(
        "\nAdmin service (its own process): {admin_url}   (OpenAPI: {admin_url}/openapi.json)\
         \n  Bootstrap it once, in this folder; it prints admin credentials to export:\
         \n    {command} bootstrap\
         \n  then, for example:\
         \n    {command} tenants create --slug acme --name \"Acme\"\
         \n    {command} tenants list\
         \n    {command} revoke --tenant {DEMO_SLUG} --user {DEMO_USER}   (every token and session of the demo user)"
    )
}
