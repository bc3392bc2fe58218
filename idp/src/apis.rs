//! Operations on APIs (resource servers) that both binaries use.

use crate::changes;
use crate::domain::api::{self, Api, ApiError, ApiScope};
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::store::StoreError;
use crate::store::queries::{apis, tenants};

/// Why an API operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiOpError {
    /// Bad identifier or scope.
    #[error(transparent)]
    Invalid(#[from] ApiError),
    /// The identifier is taken in this tenant.
    #[error("an API with this identifier exists")]
    Taken,
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ApiOpError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(_) => Self::Taken,
            other => Self::Store(other),
        }
    }
}

/// Registers an API; `is_default` makes it the tenant's default audience.
pub async fn create(
    platform: &Platform,
    tenant: TenantId,
    identifier: &str,
    name: &str,
    scopes: Vec<ApiScope>,
    is_default: bool,
) -> Result<Api, ApiOpError> {
    create_then(
        platform,
        tenant,
        identifier,
        name,
        scopes,
        is_default,
        crate::store::nothing(),
    )
    .await
}

/// [`create`], running `then` in the same transaction.
pub async fn create_then(
    platform: &Platform,
    tenant: TenantId,
    identifier: &str,
    name: &str,
    scopes: Vec<ApiScope>,
    is_default: bool,
    then: crate::store::Then<Api>,
) -> Result<Api, ApiOpError> {
    api::validate(identifier, &scopes)?;
    let created = Api {
        id: uuid::Uuid::new_v4().to_string(),
        identifier: identifier.to_owned(),
        name: name.to_owned(),
        scopes,
        is_default,
    };
    let row = created.clone();
    let now = platform.clock.now_secs();
    platform
        .db
        .transaction(move |conn| {
            apis::insert(conn, tenant, &row, now)?;
            tenants::touch(conn, tenant, now)?;
            then(conn, &row)
        })
        .await?;
    changes::announce(platform, tenant).await;
    Ok(created)
}

/// Shorthand for tests and the demo: scopes from `(name, description)` pairs.
pub fn scopes(pairs: &[(&str, &str)]) -> Vec<ApiScope> {
    pairs
        .iter()
        .map(|(name, description)| ApiScope {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
        })
        .collect()
}
