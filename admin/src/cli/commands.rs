//! Scripting subcommands: each maps to one admin API call.

use clap::Subcommand;
use serde_json::{Value, json};

use super::api::{AdminApi, Connection};
use super::output::print;

/// Subcommands that call the admin API.
#[derive(Debug, Subcommand)]
pub enum Remote {
    /// Tenants.
    Tenants {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: TenantAction,
    },
}

/// What to do with tenants.
#[derive(Debug, Subcommand)]
pub enum TenantAction {
    /// List tenants.
    List {
        /// Continue after this cursor.
        #[arg(long)]
        cursor: Option<String>,
    },
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
        slug: String,
    },
    /// Deactivate a tenant.
    Deactivate {
        /// Tenant slug.
        slug: String,
    },
}

const TENANT_COLUMNS: &[&str] = &["slug", "display_name", "enabled", "issuer"];

fn cursor_query(cursor: Option<&str>) -> String {
    cursor.map_or_else(String::new, |c| format!("?cursor={c}"))
}

/// Runs one remote subcommand.
pub async fn run(remote: Remote) -> Result<(), String> {
    match remote {
        Remote::Tenants { conn, action } => {
            let api = AdminApi::connect(&conn).await?;
            let (value, columns): (Value, &[&str]) = match action {
                TenantAction::List { cursor } => (
                    api.get(&format!("/v1/tenants{}", cursor_query(cursor.as_deref())))
                        .await?,
                    TENANT_COLUMNS,
                ),
                TenantAction::Create { slug, name } => (
                    api.post(
                        "/v1/tenants",
                        &json!({ "slug": slug, "display_name": name }),
                    )
                    .await?,
                    TENANT_COLUMNS,
                ),
                TenantAction::Get { slug } => (
                    api.get(&format!("/v1/tenants/{slug}")).await?,
                    TENANT_COLUMNS,
                ),
                TenantAction::Deactivate { slug } => {
                    api.delete(&format!("/v1/tenants/{slug}")).await?;
                    (
                        json!({ "slug": slug, "enabled": false }),
                        &["slug", "enabled"],
                    )
                }
            };
            print(&value, columns, conn.json);
        }
    }
    Ok(())
}
