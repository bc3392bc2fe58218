//! Operations on clients that both binaries use. Each change goes through
//! [`Platform::change`]: it bumps the tenant's revision in its transaction,
//! so every server process drops its cached copy (see [`crate::changes`]).

use crate::crypto::client_secret;
use crate::domain::client::{Client, ClientError, NewClient};
use crate::domain::scope::builtin;
use crate::ids::{ClientId, TenantId};
use crate::platform::Platform;
use crate::secret::Secret;
use crate::store::queries::clients;
use crate::store::{DbConnection, StoreError};
use crate::writes::{Audit, Reach};

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
    /// A public client has no secret to rotate.
    #[error("public clients have no secret")]
    Public,
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
    create_audited(platform, tenant, id, new, Audit::none()).await
}

/// [`create_with_id`], with the audit row of an admin change.
pub async fn create_audited(
    platform: &Platform,
    tenant: TenantId,
    id: ClientId,
    new: NewClient,
    audit: Audit<Client>,
) -> Result<CreatedClient, ClientOpError> {
    let prepared = Prepared::new(platform, tenant, id, new)?;
    let secret = prepared.secret.clone();
    let client = platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            known_scopes(conn, tenant, &prepared.new.scopes)?;
            Ok::<_, ClientOpError>(prepared.insert(conn, now)?)
        })
        .await?;
    Ok(CreatedClient { client, secret })
}

/// A checked registration with its generated secret, ready to be inserted
/// inside a caller's [`Platform::change`] (bootstrap adds its admin right
/// in the same transaction).
#[derive(Debug)]
pub struct Prepared {
    tenant: TenantId,
    id: ClientId,
    new: NewClient,
    digest: Option<Vec<u8>>,
    /// The generated secret, shown once.
    pub secret: Option<Secret<String>>,
}

impl Prepared {
    /// Checks `new` and generates its secret (if confidential).
    pub fn new(
        platform: &Platform,
        tenant: TenantId,
        id: ClientId,
        new: NewClient,
    ) -> Result<Self, ClientOpError> {
        new.validate()?;
        new.refuse_unimplemented(None)?;
        let secret = new.is_confidential().then(client_secret::generate);
        let digest = secret
            .as_ref()
            .map(|s| platform.secrets.digest(tenant, &id, s.expose()));
        Ok(Self {
            tenant,
            id,
            new,
            digest,
            secret,
        })
    }

    /// Inserts it; `Conflict` if the id is taken.
    pub fn insert(self, conn: &mut DbConnection, now: i64) -> Result<Client, StoreError> {
        let Self {
            tenant,
            id,
            new,
            digest,
            ..
        } = self;
        clients::insert(conn, tenant, &id, &new, digest, now)?;
        clients::find(conn, tenant, &id)?.ok_or(StoreError::NotFound)
    }
}

/// Changes the client `id` to what `edit` makes of it (name, enabled,
/// settings), under the registration rules. The row is locked before it is
/// read, so of concurrent edits each sees the one before it. An `Err` from
/// `edit` changes nothing.
pub async fn update<E, F>(
    platform: &Platform,
    tenant: TenantId,
    id: &ClientId,
    audit: Audit<Client>,
    edit: F,
) -> Result<Client, E>
where
    F: FnOnce(&Client) -> Result<Client, E> + Send + 'static,
    E: From<ClientOpError> + From<StoreError> + Send + 'static,
{
    let id = id.clone();
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            if !clients::lock(conn, tenant, &id)? {
                return Err(ClientOpError::NotFound.into());
            }
            let current = clients::find(conn, tenant, &id)?.ok_or(ClientOpError::NotFound)?;
            let next = edit(&current)?;
            let registration = next.registration();
            registration.validate().map_err(ClientOpError::from)?;
            known_scopes(conn, tenant, &registration.scopes)?;
            registration
                .refuse_unimplemented(Some(&current.settings.grant_types))
                .map_err(ClientOpError::from)?;
            clients::update(conn, tenant, &next, now)?;
            Ok(next)
        })
        .await
}

/// Refuses a scope that is neither an OpenID Connect scope nor one an API of
/// `tenant` defines: a client given it would get tokens without it.
pub fn known_scopes(
    conn: &mut DbConnection,
    tenant: TenantId,
    scopes: &[String],
) -> Result<(), ClientOpError> {
    let apis = crate::store::queries::apis::list(conn, tenant)?;
    let unknown = scopes
        .iter()
        .find(|s| builtin(s).is_none() && !apis.iter().any(|a| a.defines(s)));
    match unknown {
        Some(scope) => Err(ClientError::UnknownScope(scope.clone()).into()),
        None => Ok(()),
    }
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
    platform
        .change(Reach::Tenant(tenant), Audit::none(), move |conn, now| {
            Ok(clients::set_enabled(conn, tenant, &id, enabled, now)?)
        })
        .await
}

/// Issues a new secret for a confidential client. The old secret keeps
/// working for `overlap_secs` (0: stops at once), so deployments can roll.
pub async fn rotate_secret(
    platform: &Platform,
    tenant: TenantId,
    id: &ClientId,
    overlap_secs: i64,
) -> Result<Secret<String>, ClientOpError> {
    rotate_secret_audited(platform, tenant, id, overlap_secs, Audit::none()).await
}

/// [`rotate_secret`], with the audit row of an admin change.
pub async fn rotate_secret_audited(
    platform: &Platform,
    tenant: TenantId,
    id: &ClientId,
    overlap_secs: i64,
    audit: Audit<Client>,
) -> Result<Secret<String>, ClientOpError> {
    let secret = client_secret::generate();
    let digest = platform.secrets.digest(tenant, id, secret.expose());
    let now = platform.clock.now_secs();
    let previous_until = (overlap_secs > 0).then(|| now + overlap_secs);
    let id = id.clone();
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, _| {
            let client = clients::find(conn, tenant, &id)?.ok_or(ClientOpError::NotFound)?;
            if !client.confidential {
                return Err(ClientOpError::Public);
            }
            clients::rotate_secret(conn, tenant, &id, digest, previous_until, now)?;
            Ok(client)
        })
        .await?;
    Ok(secret)
}
