//! Clients: create, list, find, update, rotate the secret, delete.

use diesel::prelude::*;
use idp::clients::ClientOpError;
use idp::domain::client::{AuthMethod, Client, ClientSettings, NewClient, TokenFormat};
use idp::ids::ClientId;
use idp::platform::Platform;
use idp::secret::Secret;
use idp::store::models::client::ClientRow;
use idp::store::queries::clients as client_queries;
use idp::store::schema::{clients::dsl, consents};
use idp::store::{DbConnection, StoreError};
use serde_json::{Value, json};

use super::revocations::{self, Target};
use crate::errors::AdminError;
use crate::etag::{self, IfMatch};
use crate::handlers::clients::ClientView;
use crate::handlers::clients::create::CreateClient;
use crate::scope::TenantScope;

fn from_op(error: ClientOpError) -> AdminError {
    match error {
        ClientOpError::Invalid(e) => AdminError::invalid(e),
        ClientOpError::NotFound => AdminError::NotFound("client"),
        ClientOpError::Taken => AdminError::Conflict("a client with this id exists".into()),
        ClientOpError::Store(StoreError::Conflict(why)) => AdminError::Conflict(why),
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
    let created = idp::clients::create_then(
        platform,
        scope.tenant().id,
        ClientId::generate(),
        new,
        Box::new(move |conn, client: &Client| {
            let detail = json!({ "name": client.name, "confidential": client.confidential });
            let record =
                audit_scope.audit("client.create", "client", client.id.as_str(), detail, now);
            super::audit(conn, &record)
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
    let tenant = scope.tenant().id.to_string();
    Ok(platform
        .db
        .run(move |conn| {
            let mut query = dsl::clients.filter(dsl::tenant_id.eq(tenant)).into_boxed();
            if let Some(after) = after {
                query = query.filter(dsl::client_id.gt(after));
            }
            query
                .order(dsl::client_id.asc())
                .limit(limit + 1)
                .select(ClientRow::as_select())
                .load(conn)?
                .into_iter()
                .map(Client::try_from)
                .collect::<Result<Vec<_>, _>>()
        })
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

fn lock(conn: &mut DbConnection, tenant: &str, id: &str) -> Result<(), AdminError> {
    let locked = diesel::update(
        dsl::clients
            .filter(dsl::tenant_id.eq(tenant))
            .filter(dsl::client_id.eq(id)),
    )
    .set(dsl::updated_at.eq(dsl::updated_at))
    .execute(conn)
    .map_err(StoreError::from)?;
    if locked == 0 {
        return Err(AdminError::NotFound("client"));
    }
    Ok(())
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
    let (tenant, id) = (scope.tenant().id, id.to_owned());
    let (scope_for_audit, now) = (scope.clone(), platform.clock.now_secs());
    let updated = platform
        .db
        .transaction_or(move |conn| {
            lock(conn, &tenant.to_string(), &id)?;
            let current = client_queries::find(conn, tenant, &ClientId::new(id.as_str()))?
                .ok_or(AdminError::NotFound("client"))?;
            let view = ClientView::from(&current);
            if_match.check(&etag::of(&view))?;
            let mut merged =
                serde_json::to_value(&view).map_err(|e| AdminError::Internal(e.to_string()))?;
            let changed: Vec<String> = fields.keys().cloned().collect();
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
            let next = Client {
                name,
                enabled,
                settings,
                ..current
            };
            validate(&next)?;
            write(conn, tenant, &next, now)?;
            let record = scope_for_audit.audit(
                "client.update",
                "client",
                next.id.as_str(),
                json!({ "fields": changed }),
                now,
            );
            super::audit(conn, &record)?;
            Ok(next)
        })
        .await??;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(updated)
}

fn take(object: &mut Value, key: &str) -> Value {
    object.get_mut(key).map(Value::take).unwrap_or_default()
}

/// The registration rules, applied to an edited client.
fn validate(client: &Client) -> Result<(), AdminError> {
    let s = &client.settings;
    NewClient {
        name: client.name.clone(),
        auth_method: client.auth_method,
        redirect_uris: s.redirect_uris.clone(),
        grant_types: s.grant_types.clone(),
        scopes: s.scopes.clone(),
        apis: s.apis.clone(),
        token_format: s.token_format,
        access_token_ttl_secs: s.access_token_ttl_secs,
        access_token_alg: s.access_token_alg,
        first_party: s.first_party,
        id_token_alg: s.id_token_alg,
        post_logout_redirect_uris: s.post_logout_redirect_uris.clone(),
        web_origins: s.web_origins.clone(),
    }
    .validate()
    .map_err(AdminError::invalid)
}

fn write(
    conn: &mut DbConnection,
    tenant: idp::ids::TenantId,
    client: &Client,
    now: i64,
) -> Result<(), AdminError> {
    let settings =
        serde_json::to_string(&client.settings).map_err(|e| AdminError::Internal(e.to_string()))?;
    diesel::update(
        dsl::clients
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::client_id.eq(client.id.as_str())),
    )
    .set((
        dsl::name.eq(&client.name),
        dsl::enabled.eq(client.enabled),
        dsl::settings.eq(settings),
        dsl::updated_at.eq(now),
    ))
    .execute(conn)
    .map_err(StoreError::from)?;
    idp::store::queries::tenants::touch(conn, tenant, now)?;
    Ok(())
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
    idp::clients::rotate_secret_then(
        platform,
        scope.tenant().id,
        &ClientId::new(id),
        overlap_secs,
        Box::new(move |conn, client: &Client| {
            let detail = json!({ "overlap_secs": overlap_secs });
            let record = audit_scope.audit(
                "client.rotate_secret",
                "client",
                client.id.as_str(),
                detail,
                now,
            );
            super::audit(conn, &record)
        }),
    )
    .await
    .map_err(from_op)
}

/// Deletes the client and its consents, and kills its tokens.
pub async fn delete(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), AdminError> {
    let (tenant, id) = (scope.tenant().id, id.to_owned());
    let (audit_scope, now) = (scope.clone(), platform.clock.now_secs());
    platform
        .db
        .transaction_or(move |conn| {
            lock(conn, &tenant.to_string(), &id)?;
            diesel::delete(
                consents::table
                    .filter(consents::tenant_id.eq(tenant.to_string()))
                    .filter(consents::client_id.eq(&id)),
            )
            .execute(conn)
            .map_err(StoreError::from)?;
            diesel::delete(
                dsl::clients
                    .filter(dsl::tenant_id.eq(tenant.to_string()))
                    .filter(dsl::client_id.eq(&id)),
            )
            .execute(conn)
            .map_err(StoreError::from)?;
            revocations::revoke_all(conn, tenant, &Target::Client(id.clone()), now)?;
            let record = audit_scope.audit("client.delete", "client", &id, json!({}), now);
            super::audit(conn, &record).map_err(AdminError::from)
        })
        .await??;
    idp::changes::announce(platform, tenant).await;
    Ok(())
}
