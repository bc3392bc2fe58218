//! Why an admin operation failed, in the domain's terms.

use idp::apis::ApiOpError;
use idp::clients::ClientOpError;
use idp::store::StoreError;
use idp::tenants::TenantError;
use idp::users::UserOpError;

/// Why an admin operation failed. `crate::errors` gives each its status.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// No such object in the scope's tenant (the kind is named).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change clashes with existing data or state.
    #[error("{0}")]
    Conflict(String),
    /// A value breaks a rule.
    #[error("{0}")]
    Invalid(String),
    /// The database failed; its text is for the log only.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or a failure of the machine (hashing, key generation).
    #[error("{0}")]
    Internal(String),
}

impl OpError {
    /// `Invalid` from any displayable rule violation.
    pub fn invalid(error: impl std::fmt::Display) -> Self {
        Self::Invalid(error.to_string())
    }
}

impl From<ClientOpError> for OpError {
    fn from(error: ClientOpError) -> Self {
        match error {
            ClientOpError::Invalid(e) => Self::invalid(e),
            ClientOpError::NotFound => Self::NotFound("client"),
            ClientOpError::Taken => Self::Conflict("a client with this id exists".into()),
            ClientOpError::Public => Self::Conflict("public clients have no secret".into()),
            ClientOpError::Store(e) => e.into(),
        }
    }
}

impl From<UserOpError> for OpError {
    fn from(error: UserOpError) -> Self {
        match error {
            UserOpError::Invalid(e) => Self::invalid(e),
            UserOpError::Taken => {
                Self::Conflict("a user with this username or email exists".into())
            }
            UserOpError::Hashing => Self::Internal("password hashing failed".into()),
            UserOpError::Store(e) => e.into(),
        }
    }
}

impl From<ApiOpError> for OpError {
    fn from(error: ApiOpError) -> Self {
        match error {
            ApiOpError::Invalid(e) => Self::invalid(e),
            ApiOpError::Taken => Self::Conflict("an API with this identifier exists".into()),
            ApiOpError::Store(e) => e.into(),
        }
    }
}

impl From<TenantError> for OpError {
    fn from(error: TenantError) -> Self {
        match error {
            TenantError::SlugTaken => Self::Conflict("a tenant with this slug exists".into()),
            TenantError::NotFound => Self::NotFound("tenant"),
            TenantError::Policy(e) => Self::invalid(e),
            TenantError::Keys(e) => Self::Internal(e.to_string()),
            TenantError::Store(e) => e.into(),
        }
    }
}
