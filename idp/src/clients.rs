//! Operations on clients that both binaries use. Each change bumps the
//! tenant's revision in its transaction, so every server process drops its
//! cached copy (see [`crate::changes`]).

use crate::changes;
use crate::crypto::client_secret;
use crate::domain::client::{Client, ClientError, NewClient};
use crate::ids::{ClientId, TenantId};
use crate::platform::Platform;
use crate::secret::Secret;
use crate::store::StoreError;
use crate::store::queries::{clients, tenants};

/// Why a client operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientOpError {
    /// The registration breaks a rule.
    #[error(transparent)]
    Invalid(#[from] ClientError),
    /// No such client.
    #[error("no such client")]
    NotFound,
    /// The client id is taken in this tenant.
    #[error("a client with this id exists")]
    Taken,
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ClientOpError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(_) => Self::Taken,
            other => Self::Store(other),
        }
    }
}

/// A created client and, for a confidential one, its secret: shown once,
/// stored only as a digest.
#[derive(Debug)]
pub struct CreatedClient {
    /// The client.
    pub client: Client,
    /// The generated secret.
    pub secret: Option<Secret<String>>,
}

/// Registers a client with a generated id (and secret, if confidential).
pub async fn create(
    platform: &Platform,
    tenant: TenantId,
    new: NewClient,
) -> Result<CreatedClient, ClientOpError> {
    create_with_id(platform, tenant, ClientId::generate(), new).await
}

/// Registers a client under a chosen id (the demo's fixed one, imports).
pub async fn create_with_id(
    platform: &Platform,
    tenant: TenantId,
    id: ClientId,
    new: NewClient,
) -> Result<CreatedClient, ClientOpError> {
    create_then(platform, tenant, id, new, crate::store::nothing()).await
}

/// [`create_with_id`], running `then` in the same transaction.
pub async fn create_then(
    platform: &Platform,
    tenant: TenantId,
    id: ClientId,
    new: NewClient,
    then: crate::store::Then<Client>,
) -> Result<CreatedClient, ClientOpError> {
    new.validate()?;
    let secret = new.is_confidential().then(client_secret::generate);
    let digest = secret
        .as_ref()
        .map(|s| platform.secrets.digest(tenant, &id, s.expose()));
    let now = platform.clock.now_secs();
    let client = platform
        .db
        .transaction(move |conn| {
            clients::insert(conn, tenant, &id, &new, digest, now)?;
            tenants::touch(conn, tenant, now)?;
            let client = clients::find(conn, tenant, &id)?.ok_or(StoreError::NotFound)?;
            then(conn, &client)?;
            Ok(client)
        })
        .await?;
    changes::announce(platform, tenant).await;
    Ok(CreatedClient { client, secret })
}

/// The client `id` of `tenant`.
pub async fn find(
    platform: &Platform,
    tenant: TenantId,
    id: &ClientId,
) -> Result<Option<Client>, StoreError> {
    let id = id.clone();
    platform
        .db
        .run(move |conn| clients::find(conn, tenant, &id))
        .await
}

/// Enables or disables a client; a disabled client cannot authenticate.
pub async fn set_enabled(
    platform: &Platform,
    tenant: TenantId,
    id: &ClientId,
    enabled: bool,
) -> Result<(), ClientOpError> {
    let id = id.clone();
    let now = platform.clock.now_secs();
    platform
        .db
        .transaction(move |conn| {
            clients::set_enabled(conn, tenant, &id, enabled, now)?;
            tenants::touch(conn, tenant, now)
        })
        .await?;
    changes::announce(platform, tenant).await;
    Ok(())
}

/// Issues a new secret for a confidential client. The old secret keeps
/// working for `overlap_secs` (0: stops at once), so deployments can roll.
pub async fn rotate_secret(
    platform: &Platform,
    tenant: TenantId,
    id: &ClientId,
    overlap_secs: i64,
) -> Result<Secret<String>, ClientOpError> {
    rotate_secret_then(platform, tenant, id, overlap_secs, crate::store::nothing()).await
}

/// [`rotate_secret`], running `then` in the same transaction.
pub async fn rotate_secret_then(
    platform: &Platform,
    tenant: TenantId,
    id: &ClientId,
    overlap_secs: i64,
    then: crate::store::Then<Client>,
) -> Result<Secret<String>, ClientOpError> {
    let secret = client_secret::generate();
    let digest = platform.secrets.digest(tenant, id, secret.expose());
    let now = platform.clock.now_secs();
    let previous_until = (overlap_secs > 0).then(|| now + overlap_secs);
    let id = id.clone();
    platform
        .db
        .transaction(move |conn| {
            let client = clients::find(conn, tenant, &id)?.ok_or(StoreError::NotFound)?;
            if !client.confidential {
                return Err(StoreError::Conflict("public clients have no secret".into()));
            }
            clients::rotate_secret(conn, tenant, &id, digest, previous_until, now)?;
            tenants::touch(conn, tenant, now)?;
            then(conn, &client)
        })
        .await?;
    changes::announce(platform, tenant).await;
    Ok(secret)
}
