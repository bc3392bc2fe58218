//! `idp-admin admins …`: who may use the admin service. A subject is a
//! client (`--client ID`) or a person (`--user` id, username or email) of
//! the system tenant.

use clap::{Args, Subcommand};
use reqwest::Method;
use serde_json::json;

use super::call::Call;
use crate::state::SYSTEM_SLUG;

const ADMINS: &[&str] = &["subject", "tenant", "created_at"];

/// Whose right.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Subject {
    /// A system-tenant client id.
    #[arg(long)]
    pub client: Option<String>,
    /// A system-tenant user: id, username or email address.
    #[arg(long)]
    pub user: Option<String>,
}

/// What to do with admin rights.
#[derive(Debug, Subcommand)]
pub enum AdminAction {
    /// List admin rights.
    List,
    /// Make a system-tenant client or user an admin of a tenant (`*`: all).
    Grant {
        /// Who.
        #[command(flatten)]
        subject: Subject,
        /// Tenant slug, or `*` for every tenant.
        #[arg(long)]
        tenant: String,
    },
    /// Remove an admin right (the last system admin stays).
    Revoke {
        /// Who.
        #[command(flatten)]
        subject: Subject,
        /// Tenant slug, or `*`.
        #[arg(long)]
        tenant: String,
    },
}

/// The subject as the API names it; a user is resolved first.
pub enum Named {
    /// `client:{id}`, ready.
    Ready(String),
    /// A system-tenant user to resolve, then `user:{id}`.
    User(String),
}

impl Subject {
    fn named(self) -> Named {
        match (self.client, self.user) {
            (Some(client), _) => Named::Ready(format!("client:{client}")),
            (None, Some(user)) => Named::User(user),
            (None, None) => Named::Ready(String::new()),
        }
    }
}

impl AdminAction {
    /// The call this action makes; the subject of a user is resolved by the
    /// caller and passed in `subject`.
    pub fn call(self) -> (Call, Option<Named>) {
        match self {
            Self::List => (Call::new(Method::GET, "/v1/admins", ADMINS), None),
            Self::Grant { subject, tenant } => (
                Call::new(Method::POST, "/v1/admins", ADMINS).body(json!({ "tenant": tenant })),
                Some(subject.named()),
            ),
            Self::Revoke { subject, tenant } => (
                Call::new(
                    Method::DELETE,
                    "/v1/admins/{subject}/{tenant}",
                    &["subject", "tenant", "removed"],
                )
                .param("tenant", tenant.clone())
                .showing(json!({ "tenant": tenant, "removed": true })),
                Some(subject.named()),
            ),
        }
    }
}

/// The system tenant's slug, where admin users live.
pub fn system_tenant() -> &'static str {
    SYSTEM_SLUG
}
