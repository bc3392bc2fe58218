//! `idp-admin users …`. A user is named by id, username or email address.

use clap::Subcommand;
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::call::Call;

const USERS: &[&str] = &["id", "username", "email", "enabled", "locked_until"];
const ONE: &str = "/v1/tenants/{tenant}/users/{user_id}";

/// What to do with users.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// List a tenant's users.
    List {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
    /// Create a user.
    Create {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Login name.
        #[arg(long)]
        username: Option<String>,
        /// Email address.
        #[arg(long)]
        email: Option<String>,
        /// Initial password (or IDP_USER_PASSWORD).
        #[arg(long, env = "IDP_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Show one user.
    Get {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id, username or email address.
        user: String,
    },
    /// Change a user's email address, its verification, profile claims, or
    /// enable or disable the user.
    Update {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id, username or email address.
        user: String,
        /// New email address.
        #[arg(long)]
        email: Option<String>,
        /// Whether the address is verified.
        #[arg(long)]
        email_verified: Option<bool>,
        /// A profile claim, `claim=value` (repeatable), e.g. `name=Erin Doe`.
        #[arg(long = "claim", value_name = "CLAIM=VALUE")]
        claims: Vec<String>,
        /// Enable (`true`) or disable (`false`).
        #[arg(long)]
        enabled: Option<bool>,
    },
    /// Set a user's password (from IDP_USER_PASSWORD, or prompted by the
    /// shell as `--password`).
    SetPassword {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id, username or email address.
        user: String,
        /// The new password (or IDP_USER_PASSWORD).
        #[arg(long, env = "IDP_USER_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Disable a user (their tokens and sessions die).
    Disable {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id, username or email address.
        user: String,
    },
    /// Lift a sign-in lock.
    Unlock {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id, username or email address.
        user: String,
    },
    /// Delete a user (their tokens and sessions die).
    Delete {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id, username or email address.
        user: String,
    },
}

impl UserAction {
    /// The call this action makes.
    pub fn call(self) -> Result<Call, String> {
        let many = "/v1/tenants/{tenant}/users";
        let one = |method, tenant: String, user: String, columns| {
            Call::new(method, ONE, columns)
                .param("tenant", tenant.clone())
                .user("user_id", &tenant, user)
        };
        Ok(match self {
            Self::List { tenant } => Call::new(Method::GET, many, USERS).param("tenant", tenant),
            Self::Create {
                tenant,
                username,
                email,
                password,
            } => Call::new(Method::POST, many, USERS)
                .param("tenant", tenant)
                .body(json!({ "username": username, "email": email, "password": password })),
            Self::Get { tenant, user } => one(Method::GET, tenant, user, USERS),
            Self::Update {
                tenant,
                user,
                email,
                email_verified,
                claims,
                enabled,
            } => {
                let mut body = Map::new();
                if let Some(email) = email {
                    body.insert("email".into(), json!(email));
                }
                if let Some(verified) = email_verified {
                    body.insert("email_verified".into(), json!(verified));
                }
                if !claims.is_empty() {
                    body.insert("profile".into(), super::tenants::nested(&claims)?);
                }
                if let Some(enabled) = enabled {
                    body.insert("enabled".into(), json!(enabled));
                }
                one(Method::PATCH, tenant, user, USERS).body(Value::Object(body))
            }
            Self::SetPassword {
                tenant,
                user,
                password,
            } => Call::new(
                Method::PUT,
                "/v1/tenants/{tenant}/users/{user_id}/password",
                &["user", "password_set"],
            )
            .param("tenant", tenant.clone())
            .user("user_id", &tenant, user.clone())
            .body(json!({ "password": password }))
            .showing(json!({ "user": user, "password_set": true })),
            Self::Disable { tenant, user } => {
                one(Method::PATCH, tenant, user, USERS).body(json!({ "enabled": false }))
            }
            Self::Unlock { tenant, user } => Call::new(
                Method::POST,
                "/v1/tenants/{tenant}/users/{user_id}/unlock",
                &["user", "locked_until"],
            )
            .param("tenant", tenant.clone())
            .user("user_id", &tenant, user.clone())
            .showing(json!({ "user": user, "locked_until": null })),
            Self::Delete { tenant, user } => {
                one(Method::DELETE, tenant, user.clone(), &["user", "deleted"])
                    .showing(json!({ "user": user, "deleted": true }))
            }
        })
    }
}
