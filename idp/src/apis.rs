//! Operations on APIs (resource servers) that both binaries use.

use crate::domain::api::{self, Api, ApiError, ApiScope};
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::store::StoreError;
use crate::store::queries::apis;
use crate::writes::{Audit, Reach};

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
    create_audited(
        platform,
        tenant,
        identifier,
        name,
        scopes,
        is_default,
        Audit::none(),
    )
    .await
}

/// [`create`], with the audit row of an admin change.
pub async fn create_audited(
    platform: &Platform,
    tenant: TenantId,
    identifier: &str,
    name: &str,
    scopes: Vec<ApiScope>,
    is_default: bool,
    audit: Audit<Api>,
) -> Result<Api, ApiOpError> {
    api::validate(identifier, &scopes)?;
    let created = Api {
        id: uuid::Uuid::new_v4().to_string(),
        identifier: identifier.to_owned(),
        name: name.to_owned(),
        scopes,
        is_default,
    };
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            apis::insert(conn, tenant, &created, now)?;
            Ok(created)
        })
        .await
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
