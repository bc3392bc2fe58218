//! Clients: create, list, find, update, rotate the secret, delete.

use idp::clients::ClientOpError;
use idp::domain::client::{AuthMethod, Client, ClientSettings, NewClient, TokenFormat};
use idp::ids::ClientId;
use idp::platform::Platform;
use idp::secret::Secret;
use idp::store::queries::{clients as client_queries, consents as consent_queries};
use idp::writes::{Audit, Reach};
use serde_json::{Value, json};

use super::revocations::{self, Target};
use crate::errors::AdminError;
use crate::etag::{self, IfMatch};
use crate::handlers::clients::ClientView;
use crate::handlers::clients::create::CreateClient;
use crate::scope::TenantScope;

impl From<ClientOpError> for AdminError {
    fn from(error: ClientOpError) -> Self {
        from_op(error)
    }
}

fn from_op(error: ClientOpError) -> AdminError {
    match error {
        ClientOpError::Invalid(e) => AdminError::invalid(e),
        ClientOpError::NotFound => AdminError::NotFound("client"),
        ClientOpError::Taken => AdminError::Conflict("a client with this id exists".into()),
        ClientOpError::Public => AdminError::Conflict("public clients have no secret".into()),
        ClientOpError::Store(e) => e.into(),
    }
}

fn decode<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> Result<T, AdminError> {
    serde_json::from_value(value).map_err(|e| AdminError::Invalid(format!("{what}: {e}")))
}

fn new_client(body: CreateClient) -> Result<NewClient, AdminError> {
    let auth_method = match body.token_endpoint_auth_method.as_deref() {
        None => AuthMethod::ClientSecretBasic,
        Some(name) => AuthMethod::parse(name).ok_or_else(|| {
            AdminError::Invalid(
                "token_endpoint_auth_method is client_secret_basic, client_secret_post or none"
                    .into(),
            )
        })?,
    };
    let token_format = match body.token_format.as_deref() {
        None => TokenFormat::Jwt,
        Some(name) => TokenFormat::parse(name)
            .ok_or_else(|| AdminError::Invalid("token_format is jwt or opaque".into()))?,
    };
    let new = NewClient {
        name: body.name,
        auth_method,
        redirect_uris: body.redirect_uris,
        grant_types: decode(json!(body.grant_types), "grant_types")?,
        scopes: body.scopes,
        apis: body.apis,
        token_format,
        access_token_ttl_secs: body.access_token_ttl_secs,
        access_token_alg: None,
        first_party: body.first_party,
        id_token_alg: None,
        post_logout_redirect_uris: body.post_logout_redirect_uris,
        web_origins: body.web_origins,
    };
    new.validate().map_err(AdminError::invalid)?;
    Ok(new)
}

/// Registers a client; returns it and its secret (once).
pub async fn create(
    platform: &Platform,
    scope: &TenantScope,
    body: CreateClient,
) -> Result<(Client, Option<Secret<String>>), AdminError> {
    let new = new_client(body)?;
    let (audit_scope, now) = (scope.clone(), platform.clock.now_secs());
    let created = idp::clients::create_audited(
        platform,
        scope.tenant().id,
        ClientId::generate(),
        new,
        Audit::row(move |client: &Client| {
            let detail = json!({ "name": client.name, "confidential": client.confidential });
            audit_scope.audit("client.create", "client", client.id.as_str(), detail, now)
        }),
    )
    .await
    .map_err(from_op)?;
    Ok((created.client, created.secret))
}

/// The tenant's clients by id after `after`; `limit + 1` of them.
pub async fn list(
    platform: &Platform,
    scope: &TenantScope,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<Client>, AdminError> {
    let tenant = scope.tenant().id;
    Ok(platform
        .db
        .run(move |conn| client_queries::list(conn, tenant, after.as_deref(), limit + 1))
        .await?)
}

/// The client `id` of the scope's tenant; 404 for any other tenant's.
pub async fn find(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
) -> Result<Client, AdminError> {
    let (tenant, id) = (scope.tenant().id, ClientId::new(id));
    platform
        .db
        .run(move |conn| client_queries::find(conn, tenant, &id))
        .await?
        .ok_or(AdminError::NotFound("client"))
}

const FIXED: [&str; 4] = [
    "client_id",
    "confidential",
    "token_endpoint_auth_method",
    "previous_secret_expires_at",
];

/// Applies `patch` (fields of the client's view) if `if_match` is current.
pub async fn update(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    if_match: IfMatch,
    patch: Value,
) -> Result<Client, AdminError> {
    let Value::Object(fields) = patch else {
        return Err(AdminError::Invalid(
            "expected a JSON object of fields to change".into(),
        ));
    };
    if let Some(fixed) = fields.keys().find(|k| FIXED.contains(&k.as_str())) {
        return Err(AdminError::Invalid(format!("`{fixed}` cannot be changed")));
    }
    let changed: Vec<String> = fields.keys().cloned().collect();
    let (audit_scope, now) = (scope.clone(), platform.clock.now_secs());
    idp::clients::update(
        platform,
        scope.tenant().id,
        &ClientId::new(id),
        Audit::row(move |next: &Client| {
            let detail = json!({ "fields": changed });
            audit_scope.audit("client.update", "client", next.id.as_str(), detail, now)
        }),
        move |current: &Client| {
            let view = ClientView::from(current);
            if_match.check(&etag::of(&view))?;
            let mut merged =
                serde_json::to_value(&view).map_err(|e| AdminError::Internal(e.to_string()))?;
            if let Value::Object(target) = &mut merged {
                for (key, value) in fields {
                    if !target.contains_key(&key) {
                        return Err(AdminError::Invalid(format!("unknown field `{key}`")));
                    }
                    target.insert(key, value);
                }
            }
            let name: String = decode(take(&mut merged, "name"), "name")?;
            let enabled: bool = decode(take(&mut merged, "enabled"), "enabled")?;
            let settings: ClientSettings = decode(merged, "settings")?;
            Ok(Client {
                name,
                enabled,
                settings,
                ..current.clone()
            })
        },
    )
    .await
}

fn take(object: &mut Value, key: &str) -> Value {
    object.get_mut(key).map(Value::take).unwrap_or_default()
}

/// A new secret; the old one works for `overlap_secs` more.
pub async fn rotate_secret(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    overlap_secs: i64,
) -> Result<Secret<String>, AdminError> {
    if !find(platform, scope, id).await?.confidential {
        return Err(AdminError::Conflict("public clients have no secret".into()));
    }
    let (audit_scope, now) = (scope.clone(), platform.clock.now_secs());
    idp::clients::rotate_secret_audited(
        platform,
        scope.tenant().id,
        &ClientId::new(id),
        overlap_secs,
        Audit::row(move |client: &Client| {
            let detail = json!({ "overlap_secs": overlap_secs });
            audit_scope.audit(
                "client.rotate_secret",
                "client",
                client.id.as_str(),
                detail,
                now,
            )
        }),
    )
    .await
    .map_err(from_op)
}

/// Deletes the client and its consents, and kills its tokens.
pub async fn delete(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), AdminError> {
    let (tenant, id) = (scope.tenant().id, ClientId::new(id));
    let (audit_scope, now, audited) = (scope.clone(), platform.clock.now_secs(), id.clone());
    platform
        .change(
            Reach::Tenant(tenant),
            Audit::row(move |_: &()| {
                audit_scope.audit("client.delete", "client", audited.as_str(), json!({}), now)
            }),
            move |conn, now| {
                if !client_queries::lock(conn, tenant, &id)? {
                    return Err(AdminError::NotFound("client"));
                }
                consent_queries::delete_of_client(conn, tenant, id.as_str())?;
                client_queries::delete(conn, tenant, &id)?;
                revocations::revoke_all(conn, tenant, &Target::Client(id.to_string()), now)?;
                Ok(())
            },
        )
        .await
}
