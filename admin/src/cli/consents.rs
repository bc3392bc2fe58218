//! `idp-admin consents …`: list and revoke what users allowed clients.

use clap::Subcommand;
use reqwest::Method;
use serde_json::json;

use super::call::Call;

/// What to do with consents.
#[derive(Debug, Subcommand)]
pub enum ConsentAction {
    /// List consents of a user or to a client.
    List {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Only this user's (id, username or email address).
        #[arg(long)]
        user: Option<String>,
        /// Only those to this client.
        #[arg(long)]
        client: Option<String>,
    },
    /// Revoke a user's consent to a client (and the tokens of its grants).
    Revoke {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id, username or email address.
        #[arg(long)]
        user: String,
        /// Client id.
        #[arg(long)]
        client: String,
    },
}

impl ConsentAction {
    /// The call this action makes.
    pub fn call(self) -> Call {
        match self {
            Self::List {
                tenant,
                user,
                client,
            } => Call::new(
                Method::GET,
                "/v1/tenants/{tenant}/consents",
                &["user_id", "client_id", "scopes", "updated_at"],
            )
            .param("tenant", tenant)
            .query("user_id", user)
            .query("client_id", client),
            Self::Revoke {
                tenant,
                user,
                client,
            } => Call::new(
                Method::DELETE,
                "/v1/tenants/{tenant}/consents/{user_id}/{client_id}",
                &["user", "client_id", "revoked"],
            )
            .param("tenant", tenant.clone())
            .user("user_id", &tenant, user.clone())
            .param("client_id", client.clone())
            .showing(json!({ "user": user, "client_id": client, "revoked": true })),
        }
    }
}
