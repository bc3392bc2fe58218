//! Scripting subcommands: each plans one admin API call ([`Call`]), which
//! [`run`] makes and prints as a table (or the JSON with `--json`). A user
//! may be named by id, username or email address: it is looked up first.

use clap::Subcommand;
use reqwest::Method;
use serde_json::{Value, json};

use super::admins::{AdminAction, Named};
use super::api::{AdminApi, Connection};
use super::apis::{ApiAction, ScopeAction};
use super::call::{Call, Param, Shown};
use super::clients::ClientAction;
use super::consents::ConsentAction;
use super::keys::KeyAction;
use super::output::print;
use super::tenants::TenantAction;
use super::users::UserAction;

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
    /// Scopes of a tenant.
    Scopes {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: ScopeAction,
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
    /// Revoke one token, or every token and session of a user, a client or
    /// a whole tenant.
    Revoke {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// A user's tokens and sessions: id, username or email address.
        #[arg(long, group = "target")]
        user: Option<String>,
        /// A client's tokens.
        #[arg(long, group = "target")]
        client: Option<String>,
        /// One token (access or refresh), by value.
        #[arg(long = "token-value", group = "target")]
        token_value: Option<String>,
        /// Everything of the tenant.
        #[arg(long, group = "target")]
        all: bool,
    },
    /// Signing keys of a tenant.
    Keys {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: KeyAction,
    },
    /// Admin rights.
    Admins {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// What to do.
        #[command(subcommand)]
        action: AdminAction,
    },
    /// The audit log of a tenant, or of the whole platform.
    Audit {
        /// Where the API is and how to authenticate.
        #[command(flatten)]
        conn: Connection,
        /// Tenant slug (without: every tenant; system admins only).
        #[arg(long)]
        tenant: Option<String>,
        /// Only changes by this actor (`client:{id}` or `user:{id}`).
        #[arg(long)]
        actor: Option<String>,
        /// Only changes of this resource type (e.g. `client`).
        #[arg(long)]
        resource_type: Option<String>,
    },
}

const AUDIT: &[&str] = &[
    "id",
    "at",
    "actor",
    "action",
    "resource_type",
    "resource_id",
];

/// A planned call and what remains to be resolved for it.
pub struct Plan {
    /// Where to send it.
    pub conn: Connection,
    /// The call.
    pub call: Call,
    /// An admin-right subject still to be named.
    pub subject: Option<Named>,
}

impl Remote {
    /// The call this command makes; `None` for `login`.
    pub fn plan(self) -> Result<Option<Plan>, String> {
        let plain = |conn, call| {
            Ok(Some(Plan {
                conn,
                call,
                subject: None,
            }))
        };
        match self {
            Self::Login(_) => Ok(None),
            Self::Tenants { conn, action } => plain(conn, action.call()?),
            Self::Apis { conn, action } => plain(conn, action.call()),
            Self::Scopes { conn, action } => plain(conn, action.call()),
            Self::Clients { conn, action } => plain(conn, action.call()),
            Self::Users { conn, action } => plain(conn, action.call()?),
            Self::Consents { conn, action } => plain(conn, action.call()),
            Self::Keys { conn, action } => plain(conn, action.call()),
            Self::Revoke {
                conn,
                tenant,
                user,
                client,
                token_value,
                all,
            } => {
                let call = Call::new(
                    Method::POST,
                    "/v1/tenants/{tenant}/revocations",
                    &["target", "not_before", "refresh_families"],
                )
                .param("tenant", tenant.clone());
                let call = match (user, client, token_value, all) {
                    (Some(user), None, None, false) => call
                        .user("user_id", &tenant, user)
                        .body(json!({ "user_id": "{user_id}" })),
                    (None, Some(client), None, false) => call.body(json!({ "client_id": client })),
                    (None, None, Some(token), false) => call.body(json!({ "token": token })),
                    (None, None, None, true) => call.body(json!({ "all": true })),
                    _ => return Err("give one of --user, --client, --token or --all".into()),
                };
                plain(conn, call)
            }
            Self::Admins { conn, action } => {
                let (call, subject) = action.call();
                Ok(Some(Plan {
                    conn,
                    call,
                    subject,
                }))
            }
            Self::Audit {
                conn,
                tenant,
                actor,
                resource_type,
            } => {
                let call = match tenant {
                    Some(tenant) => Call::new(Method::GET, "/v1/tenants/{tenant}/audit", AUDIT)
                        .param("tenant", tenant),
                    None => Call::new(Method::GET, "/v1/audit", AUDIT),
                };
                plain(
                    conn,
                    call.query("actor", actor)
                        .query("resource_type", resource_type),
                )
            }
        }
    }
}

/// The id of the user of `tenant` named `given` (an id, a username or an
/// email address).
async fn resolve_user(api: &AdminApi, tenant: &str, given: &str) -> Result<String, String> {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("login", given);
    let found = api
        .get(&format!(
            "/v1/tenants/{}/users?{}",
            url::form_urlencoded::byte_serialize(tenant.as_bytes()).collect::<String>(),
            query.finish()
        ))
        .await?;
    let ids: Vec<&str> = found
        .get("items")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|u| u["id"].as_str()).collect())
        .unwrap_or_default();
    match ids.as_slice() {
        [id] => Ok((*id).to_owned()),
        [] => Err(format!(
            "no user {given} in tenant {tenant} (give an id, a username or an email address)"
        )),
        _ => Err(format!(
            "{given} names more than one user in tenant {tenant}"
        )),
    }
}

/// Puts a resolved id wherever the body names its parameter (`"{user_id}"`).
fn fill(body: &mut Value, name: &str, value: &str) {
    let placeholder = format!("{{{name}}}");
    match body {
        Value::String(s) if *s == placeholder => *s = value.to_owned(),
        Value::Object(fields) => fields.values_mut().for_each(|v| fill(v, name, value)),
        _ => {}
    }
}

/// Runs one remote subcommand.
pub async fn run(remote: Remote) -> Result<(), String> {
    if let Remote::Login(login) = remote {
        return super::login::run(login).await;
    }
    let Some(Plan {
        conn,
        mut call,
        subject,
    }) = remote.plan()?
    else {
        return Ok(());
    };
    let api = AdminApi::connect(&conn).await?;
    let mut values = Vec::new();
    for (name, param) in &call.params {
        let value = match param {
            Param::Given(value) => value.clone(),
            Param::User { tenant, given } => resolve_user(&api, tenant, given).await?,
        };
        if let Some(body) = call.body.as_mut() {
            fill(body, name, &value);
        }
        values.push((*name, value));
    }
    if let Some(subject) = subject {
        let subject = match subject {
            Named::Ready(subject) => subject,
            Named::User(given) => {
                let system = super::admins::system_tenant();
                format!("user:{}", resolve_user(&api, system, &given).await?)
            }
        };
        match call.body.as_mut().and_then(Value::as_object_mut) {
            Some(body) => {
                body.insert("subject".into(), json!(subject));
            }
            None => values.push(("subject", subject)),
        }
    }
    let path = call.path(&values)?;
    let answer = if call.method == Method::PATCH {
        api.patch(&path, call.body.as_ref().unwrap_or(&Value::Null))
            .await?
    } else {
        api.call(call.method.clone(), &path, call.body.as_ref(), None)
            .await?
            .0
    };
    let shown = match call.shown {
        Shown::Answer => answer,
        Shown::Fixed(value) => value,
    };
    print(&shown, call.columns, conn.json);
    Ok(())
}
