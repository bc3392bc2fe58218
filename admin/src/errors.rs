//! Admin API errors: a stable `error` code, a readable `message`, and one
//! status per case (never "everything is 400").

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};
use idp::store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found`.
    pub error: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

/// Why an admin request failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// Malformed request (bad JSON syntax, bad query parameter).
    #[error("{0}")]
    BadRequest(String),
    /// No valid admin token.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Authenticated, but not allowed to do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// No such object (in the tenant named by the path).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change clashes with existing data (duplicate name, state).
    #[error("{0}")]
    Conflict(String),
    /// `If-Match` names an older version.
    #[error("the object changed since it was read: fetch it again and retry with its ETag")]
    PreconditionFailed,
    /// A well-formed request with values that break a rule.
    #[error("{0}")]
    Invalid(String),
    /// An update without `If-Match`.
    #[error("updates need an If-Match header with the object's ETag")]
    PreconditionRequired,
    /// The database (or the change counter) cannot be reached in time.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or corrupt data; the cause is logged, not returned.
    #[error("internal error")]
    Internal(String),
}

impl AdminError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::PreconditionFailed => "precondition_failed",
            Self::Invalid(_) => "invalid_value",
            Self::PreconditionRequired => "precondition_required",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// `Invalid` from any displayable rule violation.
    pub fn invalid(error: impl std::fmt::Display) -> Self {
        Self::Invalid(error.to_string())
    }
}

impl From<StoreError> for AdminError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound("object"),
            StoreError::Conflict(what) => Self::Conflict(format!("conflict: {what}")),
            StoreError::Invalid(_) => Self::Invalid("text must not contain NUL characters".into()),
            StoreError::Unavailable(why) => {
                Self::Unavailable(format!("database unavailable: {why}"))
            }
            StoreError::Corrupt(why) | StoreError::Other(why) => Self::Internal(why),
        }
    }
}

impl From<idp::tenants::TenantError> for AdminError {
    fn from(error: idp::tenants::TenantError) -> Self {
        use idp::tenants::TenantError;
        match error {
            TenantError::SlugTaken => Self::Conflict("a tenant with this slug exists".into()),
            TenantError::NotFound => Self::NotFound("tenant"),
            TenantError::Policy(e) => Self::invalid(e),
            TenantError::Keys(e) => Self::Internal(e.to_string()),
            TenantError::Store(e) => e.into(),
        }
    }
}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(%cause, "admin request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((CACHE_CONTROL, "no-store"));
        if let Self::Unauthorized(_) = self {
            response.insert_header((WWW_AUTHENTICATE, "Bearer realm=\"admin\""));
        }
        response.json(ErrorBody {
            error: self.code(),
            message: self.to_string(),
        })
    }
}
