//! `idp-admin tenants …`: list, create, get, update, deactivate.

use clap::Subcommand;
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::call::Call;

const TENANTS: &[&str] = &["slug", "display_name", "enabled", "issuer"];
const ONE: &str = "/v1/tenants/{tenant}";

/// What to do with tenants.
#[derive(Debug, Subcommand)]
pub enum TenantAction {
    /// List tenants.
    List,
    /// Create a tenant.
    Create {
        /// URL slug.
        #[arg(long)]
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
    },
    /// Show one tenant.
    Get {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
    /// Change a tenant's name, policy or branding, or (re)activate it.
    Update {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// New display name.
        #[arg(long)]
        name: Option<String>,
        /// A policy value, `key=value` with a dotted key (repeatable), e.g.
        /// `access_token_ttl_secs=600`, `sign_in.lockout_failures=5`,
        /// `branding.accent_color=#336699`; JSON values are parsed.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Activate (`true`) or deactivate (`false`).
        #[arg(long)]
        enabled: Option<bool>,
    },
    /// Deactivate a tenant: its tokens and sessions die for good.
    Deactivate {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
}

/// `key=value` pairs with dotted keys as a nested JSON object.
pub fn nested(pairs: &[String]) -> Result<Value, String> {
    let mut root = Map::new();
    for pair in pairs {
        let (key, raw) = pair
            .split_once('=')
            .ok_or_else(|| format!("--set {pair}: expected KEY=VALUE"))?;
        let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()));
        let mut parts: Vec<&str> = key.split('.').collect();
        let last = parts
            .pop()
            .filter(|k| !k.is_empty())
            .ok_or_else(|| format!("--set {pair}: empty key"))?;
        let mut node = &mut root;
        for part in parts {
            let entry = node
                .entry(part.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            node = entry
                .as_object_mut()
                .ok_or_else(|| format!("--set {pair}: {part} is not an object"))?;
        }
        node.insert(last.to_owned(), value);
    }
    Ok(Value::Object(root))
}

impl TenantAction {
    /// The call this action makes.
    pub fn call(self) -> Result<Call, String> {
        Ok(match self {
            Self::List => Call::new(Method::GET, "/v1/tenants", TENANTS),
            Self::Create { slug, name } => Call::new(Method::POST, "/v1/tenants", TENANTS)
                .body(json!({ "slug": slug, "display_name": name })),
            Self::Get { tenant } => Call::new(Method::GET, ONE, TENANTS).param("tenant", tenant),
            Self::Update {
                tenant,
                name,
                set,
                enabled,
            } => {
                let mut body = Map::new();
                if let Some(name) = name {
                    body.insert("display_name".into(), json!(name));
                }
                if !set.is_empty() {
                    body.insert("policy".into(), nested(&set)?);
                }
                if let Some(enabled) = enabled {
                    body.insert("enabled".into(), json!(enabled));
                }
                Call::new(Method::PATCH, ONE, TENANTS)
                    .param("tenant", tenant)
                    .body(Value::Object(body))
            }
            Self::Deactivate { tenant } => Call::new(Method::DELETE, ONE, &["slug", "enabled"])
                .param("tenant", tenant.clone())
                .showing(json!({ "slug": tenant, "enabled": false })),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_settings_nest_and_parse_json() {
        let value = nested(&[
            "access_token_ttl_secs=600".into(),
            "branding.accent_color=#336699".into(),
            "sign_in.lockout_failures=5".into(),
            "allowed_grants=[\"client_credentials\"]".into(),
        ])
        .expect("nested");
        assert_eq!(
            value,
            json!({
                "access_token_ttl_secs": 600,
                "branding": { "accent_color": "#336699" },
                "sign_in": { "lockout_failures": 5 },
                "allowed_grants": ["client_credentials"],
            })
        );
        assert!(nested(&["nokey".into()]).is_err());
        assert!(nested(&["a=1".into(), "a.b=2".into()]).is_err());
    }
}
