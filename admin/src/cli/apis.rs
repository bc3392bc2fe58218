//! `idp-admin apis …` and `idp-admin scopes list`.

use clap::Subcommand;
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::call::Call;

const APIS: &[&str] = &["id", "identifier", "name", "is_default", "scopes"];
const ONE: &str = "/v1/tenants/{tenant}/apis/{api_id}";

/// What to do with APIs.
#[derive(Debug, Subcommand)]
pub enum ApiAction {
    /// List a tenant's APIs.
    List {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
    /// Create an API.
    Create {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Identifier (absolute URI; the `aud` of its tokens).
        #[arg(long)]
        identifier: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// A scope it defines, `name` or `name=description` (repeatable).
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// Make it the tenant's default API.
        #[arg(long)]
        default: bool,
    },
    /// Show one API.
    Get {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// API id.
        api_id: String,
    },
    /// Change an API's name, scopes or default flag.
    Update {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// API id.
        api_id: String,
        /// New display name.
        #[arg(long)]
        name: Option<String>,
        /// The scopes it defines from now on, `name` or `name=description`
        /// (repeatable; replaces the list).
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// Make it (`true`) or stop it being (`false`) the default API.
        #[arg(long)]
        default: Option<bool>,
    },
    /// Delete an API.
    Delete {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// API id.
        api_id: String,
    },
}

/// What to do with scopes.
#[derive(Debug, Subcommand)]
pub enum ScopeAction {
    /// List the scopes a tenant's clients may ask for, with their claims.
    List {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
}

fn scope_list(scopes: &[String]) -> Vec<Value> {
    scopes
        .iter()
        .map(|s| match s.split_once('=') {
            Some((name, description)) => json!({ "name": name, "description": description }),
            None => json!({ "name": s }),
        })
        .collect()
}

impl ApiAction {
    /// The call this action makes.
    pub fn call(self) -> Call {
        let many = "/v1/tenants/{tenant}/apis";
        match self {
            Self::List { tenant } => Call::new(Method::GET, many, APIS).param("tenant", tenant),
            Self::Create {
                tenant,
                identifier,
                name,
                scopes,
                default,
            } => Call::new(Method::POST, many, APIS)
                .param("tenant", tenant)
                .body(json!({
                    "identifier": identifier,
                    "name": name,
                    "scopes": scope_list(&scopes),
                    "is_default": default,
                })),
            Self::Get { tenant, api_id } => Call::new(Method::GET, ONE, APIS)
                .param("tenant", tenant)
                .param("api_id", api_id),
            Self::Update {
                tenant,
                api_id,
                name,
                scopes,
                default,
            } => {
                let mut body = Map::new();
                if let Some(name) = name {
                    body.insert("name".into(), json!(name));
                }
                if !scopes.is_empty() {
                    body.insert("scopes".into(), Value::Array(scope_list(&scopes)));
                }
                if let Some(default) = default {
                    body.insert("is_default".into(), json!(default));
                }
                Call::new(Method::PATCH, ONE, APIS)
                    .param("tenant", tenant)
                    .param("api_id", api_id)
                    .body(Value::Object(body))
            }
            Self::Delete { tenant, api_id } => Call::new(Method::DELETE, ONE, &["id", "deleted"])
                .param("tenant", tenant)
                .param("api_id", api_id.clone())
                .showing(json!({ "id": api_id, "deleted": true })),
        }
    }
}

impl ScopeAction {
    /// The call this action makes.
    pub fn call(self) -> Call {
        match self {
            Self::List { tenant } => Call::new(
                Method::GET,
                "/v1/tenants/{tenant}/scopes",
                &["name", "defined_by", "description", "claims"],
            )
            .param("tenant", tenant),
        }
    }
}
