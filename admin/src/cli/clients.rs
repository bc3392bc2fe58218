//! `idp-admin clients …`: list, create, get, update, rotate-secret, delete.

use clap::{Args, Subcommand};
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::call::Call;

const CLIENTS: &[&str] = &[
    "client_id",
    "name",
    "confidential",
    "enabled",
    "grant_types",
    "scopes",
];
const ONE: &str = "/v1/tenants/{tenant}/clients/{client_id}";

/// Settings a client is created or updated with; lists replace the stored
/// ones when given.
#[derive(Debug, Args)]
pub struct ClientSettings {
    /// A grant it may use (repeatable).
    #[arg(long = "grant")]
    pub grants: Vec<String>,
    /// A redirect URI (repeatable).
    #[arg(long = "redirect-uri")]
    pub redirect_uris: Vec<String>,
    /// A URI it may send users to after logout (repeatable).
    #[arg(long = "post-logout-redirect-uri")]
    pub post_logout_redirect_uris: Vec<String>,
    /// A browser origin allowed to call the token endpoints (repeatable).
    #[arg(long = "web-origin")]
    pub web_origins: Vec<String>,
    /// A scope it may be given (repeatable).
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    /// An API (identifier) its tokens may be for (repeatable).
    #[arg(long = "api")]
    pub apis: Vec<String>,
    /// Access token format: `jwt` or `opaque`.
    #[arg(long)]
    pub token_format: Option<String>,
    /// Access token lifetime in seconds.
    #[arg(long)]
    pub access_token_ttl_secs: Option<i64>,
    /// First-party: no consent page (except for offline access).
    #[arg(long)]
    pub first_party: Option<bool>,
}

impl ClientSettings {
    fn into_fields(self, fields: &mut Map<String, Value>) {
        let lists = [
            ("grant_types", self.grants),
            ("redirect_uris", self.redirect_uris),
            ("post_logout_redirect_uris", self.post_logout_redirect_uris),
            ("web_origins", self.web_origins),
            ("scopes", self.scopes),
            ("apis", self.apis),
        ];
        for (name, list) in lists {
            if !list.is_empty() {
                fields.insert(name.into(), json!(list));
            }
        }
        if let Some(format) = self.token_format {
            fields.insert("token_format".into(), json!(format));
        }
        if let Some(ttl) = self.access_token_ttl_secs {
            fields.insert("access_token_ttl_secs".into(), json!(ttl));
        }
        if let Some(first_party) = self.first_party {
            fields.insert("first_party".into(), json!(first_party));
        }
    }
}

/// What to do with clients.
#[derive(Debug, Subcommand)]
pub enum ClientAction {
    /// List a tenant's clients.
    List {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
    /// Create a client; prints its secret once.
    Create {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// A public client (no secret; PKCE).
        #[arg(long)]
        public: bool,
        /// Its settings (without `--grant`: client_credentials).
        #[command(flatten)]
        settings: ClientSettings,
    },
    /// Show one client (never its secret).
    Get {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Client id.
        client_id: String,
    },
    /// Change a client's name, settings, or enable or disable it.
    Update {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Client id.
        client_id: String,
        /// New display name.
        #[arg(long)]
        name: Option<String>,
        /// Enable (`true`) or disable (`false`); a disabled client cannot
        /// authenticate.
        #[arg(long)]
        enabled: Option<bool>,
        /// Settings to change.
        #[command(flatten)]
        settings: ClientSettings,
    },
    /// Rotate a client's secret; prints the new one once.
    RotateSecret {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Client id.
        client_id: String,
        /// Seconds the old secret keeps working.
        #[arg(long, default_value_t = 0)]
        overlap_secs: i64,
    },
    /// Delete a client.
    Delete {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Client id.
        client_id: String,
    },
}

impl ClientAction {
    /// The call this action makes.
    pub fn call(self) -> Call {
        let many = "/v1/tenants/{tenant}/clients";
        match self {
            Self::List { tenant } => Call::new(Method::GET, many, CLIENTS).param("tenant", tenant),
            Self::Create {
                tenant,
                name,
                public,
                mut settings,
            } => {
                if settings.grants.is_empty() {
                    settings.grants.push("client_credentials".into());
                }
                let mut body = Map::new();
                body.insert("name".into(), json!(name));
                if public {
                    body.insert("token_endpoint_auth_method".into(), json!("none"));
                }
                settings.into_fields(&mut body);
                Call::new(
                    Method::POST,
                    many,
                    &["client_id", "client_secret", "name", "grant_types"],
                )
                .param("tenant", tenant)
                .body(Value::Object(body))
            }
            Self::Get { tenant, client_id } => Call::new(Method::GET, ONE, CLIENTS)
                .param("tenant", tenant)
                .param("client_id", client_id),
            Self::Update {
                tenant,
                client_id,
                name,
                enabled,
                settings,
            } => {
                let mut body = Map::new();
                if let Some(name) = name {
                    body.insert("name".into(), json!(name));
                }
                if let Some(enabled) = enabled {
                    body.insert("enabled".into(), json!(enabled));
                }
                settings.into_fields(&mut body);
                Call::new(Method::PATCH, ONE, CLIENTS)
                    .param("tenant", tenant)
                    .param("client_id", client_id)
                    .body(Value::Object(body))
            }
            Self::RotateSecret {
                tenant,
                client_id,
                overlap_secs,
            } => Call::new(
                Method::POST,
                "/v1/tenants/{tenant}/clients/{client_id}/secret",
                &["client_id", "client_secret", "previous_secret_expires_at"],
            )
            .param("tenant", tenant)
            .param("client_id", client_id)
            .body(json!({ "overlap_secs": overlap_secs })),
            Self::Delete { tenant, client_id } => {
                Call::new(Method::DELETE, ONE, &["client_id", "deleted"])
                    .param("tenant", tenant)
                    .param("client_id", client_id.clone())
                    .showing(json!({ "client_id": client_id, "deleted": true }))
            }
        }
    }
}
