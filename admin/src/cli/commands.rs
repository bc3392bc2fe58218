//! Scripting subcommands: each maps to one admin API call and prints a table
//! (or the JSON with `--json`).

use clap::Subcommand;
use serde_json::{Value, json};

use super::api::{AdminApi, Connection};
use super::output::print;

/// Subcommands that call the admin API.
#[derive(Debug, Subcommand)]
pub enum Remote {
    /// Sign in as a person of the system tenant (browser) and print an
    /// admin token to export.
    Login(super::login::Login),
    /// Tenants.
    Tenants {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: TenantAction,
    },
    /// APIs (resource servers) of a tenant.
    Apis {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: ApiAction,
    },
    /// OAuth clients of a tenant.
    Clients {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: ClientAction,
    },
    /// Users of a tenant.
    Users {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Consents users gave clients.
    Consents {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: ConsentAction,
    },
    /// Revoke every token and session of a user, a client or a whole tenant.
    Revoke {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// A user's tokens and sessions.
        #[arg(long, conflicts_with_all = ["client", "all"])]
        user: Option<String>,
        /// A client's tokens.
        #[arg(long, conflicts_with = "all")]
        client: Option<String>,
        /// Everything of the tenant.
        #[arg(long)]
        all: bool,
    },
    /// The audit log of a tenant.
    Audit {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
    },
}

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
        slug: String,
    },
    /// Deactivate a tenant.
    Deactivate {
        /// Tenant slug.
        slug: String,
    },
}

/// What to do with consents.
#[derive(Debug, Subcommand)]
pub enum ConsentAction {
    /// List consents of a user or to a client.
    List {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Only this user's.
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
        /// User id.
        #[arg(long)]
        user: String,
        /// Client id.
        #[arg(long)]
        client: String,
    },
}

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
        /// A grant it may use (repeatable; default client_credentials).
        #[arg(long = "grant")]
        grants: Vec<String>,
        /// A redirect URI (repeatable).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// A scope it may be given (repeatable).
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// A public client (no secret; PKCE).
        #[arg(long)]
        public: bool,
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
    /// Disable a user (their tokens and sessions die).
    Disable {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id.
        user_id: String,
    },
    /// Lift a sign-in lock.
    Unlock {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// User id.
        user_id: String,
    },
}

const TENANTS: &[&str] = &["slug", "display_name", "enabled", "issuer"];
const APIS: &[&str] = &["identifier", "name", "is_default", "scopes"];
const CLIENTS: &[&str] = &[
    "client_id",
    "name",
    "confidential",
    "enabled",
    "grant_types",
];
const USERS: &[&str] = &["id", "username", "email", "enabled", "locked_until"];

/// Runs one remote subcommand.
pub async fn run(remote: Remote) -> Result<(), String> {
    let (conn, value, columns) = match remote {
        Remote::Login(login) => return super::login::run(login).await,
        Remote::Tenants { conn, action } => {
            let api = AdminApi::connect(&conn).await?;
            let (value, columns) = tenants(&api, action).await?;
            (conn, value, columns)
        }
        Remote::Apis { conn, action } => {
            let api = AdminApi::connect(&conn).await?;
            let value = match action {
                ApiAction::List { tenant } => {
                    api.get(&format!("/v1/tenants/{tenant}/apis")).await?
                }
                ApiAction::Create {
                    tenant,
                    identifier,
                    name,
                    scopes,
                    default,
                } => {
                    let scopes: Vec<Value> = scopes
                        .iter()
                        .map(|s| match s.split_once('=') {
                            Some((name, description)) => {
                                json!({ "name": name, "description": description })
                            }
                            None => json!({ "name": s }),
                        })
                        .collect();
                    let body = json!({ "identifier": identifier, "name": name, "scopes": scopes, "is_default": default });
                    api.post(&format!("/v1/tenants/{tenant}/apis"), &body)
                        .await?
                }
            };
            (conn, value, APIS)
        }
        Remote::Clients { conn, action } => {
            let api = AdminApi::connect(&conn).await?;
            let (value, columns) = clients(&api, action).await?;
            (conn, value, columns)
        }
        Remote::Users { conn, action } => {
            let api = AdminApi::connect(&conn).await?;
            let value = users(&api, action).await?;
            (conn, value, USERS)
        }
        Remote::Consents { conn, action } => {
            let api = AdminApi::connect(&conn).await?;
            let value = match action {
                ConsentAction::List {
                    tenant,
                    user,
                    client,
                } => {
                    let mut query = url::form_urlencoded::Serializer::new(String::new());
                    if let Some(user) = &user {
                        query.append_pair("user_id", user);
                    }
                    if let Some(client) = &client {
                        query.append_pair("client_id", client);
                    }
                    api.get(&format!("/v1/tenants/{tenant}/consents?{}", query.finish()))
                        .await?
                }
                ConsentAction::Revoke {
                    tenant,
                    user,
                    client,
                } => {
                    api.delete(&format!("/v1/tenants/{tenant}/consents/{user}/{client}"))
                        .await?;
                    json!({ "user_id": user, "client_id": client, "revoked": true })
                }
            };
            (
                conn,
                value,
                &["user_id", "client_id", "scopes", "revoked"][..],
            )
        }
        Remote::Revoke {
            conn,
            tenant,
            user,
            client,
            all,
        } => {
            let body = match (user, client, all) {
                (Some(user), None, false) => json!({ "user_id": user }),
                (None, Some(client), false) => json!({ "client_id": client }),
                (None, None, true) => json!({ "all": true }),
                _ => return Err("give one of --user, --client or --all".into()),
            };
            let api = AdminApi::connect(&conn).await?;
            let value = api
                .post(&format!("/v1/tenants/{tenant}/revocations"), &body)
                .await?;
            (
                conn,
                value,
                &["target", "not_before", "refresh_families"][..],
            )
        }
        Remote::Audit { conn, tenant } => {
            let api = AdminApi::connect(&conn).await?;
            let value = api.get(&format!("/v1/tenants/{tenant}/audit")).await?;
            (
                conn,
                value,
                &[
                    "id",
                    "at",
                    "actor",
                    "action",
                    "resource_type",
                    "resource_id",
                ][..],
            )
        }
    };
    print(&value, columns, conn.json);
    Ok(())
}

async fn tenants(
    api: &AdminApi,
    action: TenantAction,
) -> Result<(Value, &'static [&'static str]), String> {
    Ok(match action {
        TenantAction::List => (api.get("/v1/tenants").await?, TENANTS),
        TenantAction::Create { slug, name } => (
            api.post(
                "/v1/tenants",
                &json!({ "slug": slug, "display_name": name }),
            )
            .await?,
            TENANTS,
        ),
        TenantAction::Get { slug } => (api.get(&format!("/v1/tenants/{slug}")).await?, TENANTS),
        TenantAction::Deactivate { slug } => {
            api.delete(&format!("/v1/tenants/{slug}")).await?;
            (
                json!({ "slug": slug, "enabled": false }),
                &["slug", "enabled"],
            )
        }
    })
}

async fn clients(
    api: &AdminApi,
    action: ClientAction,
) -> Result<(Value, &'static [&'static str]), String> {
    Ok(match action {
        ClientAction::List { tenant } => (
            api.get(&format!("/v1/tenants/{tenant}/clients")).await?,
            CLIENTS,
        ),
        ClientAction::Create {
            tenant,
            name,
            grants,
            redirect_uris,
            scopes,
            public,
        } => {
            let grants = if grants.is_empty() {
                vec!["client_credentials".to_owned()]
            } else {
                grants
            };
            let mut body = json!({
                "name": name,
                "grant_types": grants,
                "redirect_uris": redirect_uris,
                "scopes": scopes,
            });
            if public && let Some(fields) = body.as_object_mut() {
                fields.insert("token_endpoint_auth_method".into(), json!("none"));
            }
            (
                api.post(&format!("/v1/tenants/{tenant}/clients"), &body)
                    .await?,
                &["client_id", "client_secret", "name", "grant_types"][..],
            )
        }
        ClientAction::RotateSecret {
            tenant,
            client_id,
            overlap_secs,
        } => (
            api.post(
                &format!("/v1/tenants/{tenant}/clients/{client_id}/secret"),
                &json!({ "overlap_secs": overlap_secs }),
            )
            .await?,
            &["client_id", "client_secret", "previous_secret_expires_at"][..],
        ),
        ClientAction::Delete { tenant, client_id } => {
            api.delete(&format!("/v1/tenants/{tenant}/clients/{client_id}"))
                .await?;
            (
                json!({ "client_id": client_id, "deleted": true }),
                &["client_id", "deleted"][..],
            )
        }
    })
}

async fn users(api: &AdminApi, action: UserAction) -> Result<Value, String> {
    match action {
        UserAction::List { tenant } => api.get(&format!("/v1/tenants/{tenant}/users")).await,
        UserAction::Create {
            tenant,
            username,
            email,
            password,
        } => {
            let body = json!({ "username": username, "email": email, "password": password });
            api.post(&format!("/v1/tenants/{tenant}/users"), &body)
                .await
        }
        UserAction::Disable { tenant, user_id } => {
            api.patch(
                &format!("/v1/tenants/{tenant}/users/{user_id}"),
                &json!({ "enabled": false }),
            )
            .await
        }
        UserAction::Unlock { tenant, user_id } => {
            api.call(
                reqwest::Method::POST,
                &format!("/v1/tenants/{tenant}/users/{user_id}/unlock"),
                None,
                None,
            )
            .await?;
            Ok(json!({ "id": user_id, "locked_until": null }))
        }
    }
}
