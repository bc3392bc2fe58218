//! Clients: create, list, find, update, rotate the secret, delete.

use idp::domain::client::{Client, NewClient};
use idp::ids::ClientId;
use idp::platform::Platform;
use idp::secret::Secret;
use idp::store::StoreError;
use idp::store::queries::{clients as client_queries, consents as consent_queries};
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::revocations::{self, Target};
use super::{Edit, OpError};
use crate::scope::TenantScope;

/// Registers a client; returns it and its secret (once).
pub async fn create(
    platform: &Platform,
    scope: &TenantScope,
    new: NewClient,
) -> Result<(Client, Option<Secret<String>>), OpError> {
    let scope_in = scope.clone();
    let audit = Audit::row(move |client: &Client| {
        let detail = json!({ "name": client.name, "confidential": client.confidential });
        scope_in.audit("client.create", "client", client.id.as_str(), detail)
    });
    let created = idp::clients::create_audited(
        platform,
        scope.tenant().id,
        ClientId::generate(),
        new,
        audit,
    )
    .await?;
    Ok((created.client, created.secret))
}

/// The tenant's clients by id after `after`; `limit + 1` of them.
pub async fn list(
    platform: &Platform,
    scope: &TenantScope,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<Client>, OpError> {
    let tenant = scope.tenant().id;
    Ok(platform
        .db
        .run(move |conn| client_queries::list(conn, tenant, after.as_deref(), limit + 1))
        .await?)
}

/// The client `id` of the scope's tenant; not found for any other tenant's.
pub async fn find(platform: &Platform, scope: &TenantScope, id: &str) -> Result<Client, OpError> {
    idp::clients::find(platform, scope.tenant().id, &ClientId::new(id))
        .await?
        .ok_or(OpError::NotFound("client"))
}

/// Applies `edit` to the client under the registration rules.
pub async fn update<E>(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    edit: Edit<Client, E>,
) -> Result<Client, E>
where
    E: super::EditError,
{
    let (scope_in, fields) = (scope.clone(), edit.fields);
    let audit = Audit::row(move |client: &Client| {
        let detail = json!({ "fields": fields });
        scope_in.audit("client.update", "client", client.id.as_str(), detail)
    });
    let apply = edit.apply;
    idp::clients::update(
        platform,
        scope.tenant().id,
        &ClientId::new(id),
        audit,
        move |current: &Client| apply(current).map_err(Failed),
    )
    .await
    .map_err(|e: Failed<E>| e.0)
}

/// Carries either the caller's error or the library's through
/// [`idp::clients::update`].
struct Failed<E>(E);

impl<E: From<OpError>> From<idp::clients::ClientOpError> for Failed<E> {
    fn from(error: idp::clients::ClientOpError) -> Self {
        Self(OpError::from(error).into())
    }
}

impl<E: From<StoreError>> From<StoreError> for Failed<E> {
    fn from(error: StoreError) -> Self {
        Self(error.into())
    }
}

/// A new secret; the old one works for `overlap_secs` more.
pub async fn rotate_secret(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    overlap_secs: i64,
) -> Result<Secret<String>, OpError> {
    if !find(platform, scope, id).await?.confidential {
        return Err(OpError::Conflict("public clients have no secret".into()));
    }
    let scope_in = scope.clone();
    let audit = Audit::row(move |client: &Client| {
        let detail = json!({ "overlap_secs": overlap_secs });
        scope_in.audit("client.rotate_secret", "client", client.id.as_str(), detail)
    });
    let id = ClientId::new(id);
    Ok(
        idp::clients::rotate_secret_audited(platform, scope.tenant().id, &id, overlap_secs, audit)
            .await?,
    )
}

/// Deletes the client and its consents, and kills its tokens.
pub async fn delete(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), OpError> {
    let tenant = scope.tenant().id;
    let id = ClientId::new(id);
    let audit = {
        let (scope, id) = (scope.clone(), id.clone());
        Audit::row(move |_: &()| scope.audit("client.delete", "client", id.as_str(), json!({})))
    };
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            if !client_queries::lock(conn, tenant, &id)? {
                return Err(OpError::NotFound("client"));
            }
            consent_queries::delete_of_client(conn, tenant, id.as_str())?;
            client_queries::delete(conn, tenant, &id)?;
            revocations::revoke_all(conn, tenant, &Target::Client(id.to_string()), now)?;
            Ok(())
        })
        .await
}
