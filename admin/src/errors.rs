//! Admin API errors: a stable `error` code, a readable `message`, and one
//! status per case (never "everything is 400").

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};
use idp::store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::ops::OpError;

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
    /// The database's own words (constraint names, connection errors) go to
    /// the log, never to the client.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound("object"),
            StoreError::Conflict(cause) => {
                tracing::info!(%cause, "admin change refused by the database");
                Self::Conflict("the change conflicts with existing data".into())
            }
            StoreError::Invalid(_) => Self::Invalid("text must not contain NUL characters".into()),
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                Self::Unavailable("database unavailable: retry shortly".into())
            }
            StoreError::Corrupt(cause) | StoreError::Other(cause) => Self::Internal(cause),
        }
    }
}

impl From<OpError> for AdminError {
    /// Each operation error's status: the one place the domain meets HTTP.
    fn from(error: OpError) -> Self {
        match error {
            OpError::NotFound(what) => Self::NotFound(what),
            OpError::Conflict(message) => Self::Conflict(message),
            OpError::Invalid(message) => Self::Invalid(message),
            OpError::Store(e) => e.into(),
            OpError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<idp::tenants::TenantError> for AdminError {
    fn from(error: idp::tenants::TenantError) -> Self {
        OpError::from(error).into()
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

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;

    use super::*;

    /// The response's status and JSON body.
    fn answer(error: &AdminError) -> (StatusCode, serde_json::Value) {
        let response = error.error_response();
        let status = response.status();
        let bytes = response
            .into_body()
            .try_into_bytes()
            .unwrap_or_else(|_| panic!("a buffered body"));
        let body = serde_json::from_slice(&bytes).expect("a JSON body");
        (status, body)
    }

    #[test]
    fn every_error_has_its_status_and_code() {
        let table = [
            (AdminError::BadRequest("bad".into()), 400, "bad_request"),
            (AdminError::Unauthorized("no token"), 401, "unauthorized"),
            (AdminError::Forbidden("not yours"), 403, "forbidden"),
            (AdminError::NotFound("client"), 404, "not_found"),
            (AdminError::Conflict("taken".into()), 409, "conflict"),
            (AdminError::PreconditionFailed, 412, "precondition_failed"),
            (AdminError::Invalid("too long".into()), 422, "invalid_value"),
            (
                AdminError::PreconditionRequired,
                428,
                "precondition_required",
            ),
            (AdminError::Unavailable("down".into()), 503, "unavailable"),
            (AdminError::Internal("bug".into()), 500, "internal"),
        ];
        for (error, status, code) in table {
            let (got_status, body) = answer(&error);
            assert_eq!(got_status.as_u16(), status, "{error:?}");
            assert_eq!(body["error"], code, "{error:?}");
            assert_eq!(body["message"], error.to_string(), "{error:?}");
        }
    }

    #[test]
    fn only_unauthorized_names_the_bearer_realm() {
        let unauthorized = AdminError::Unauthorized("no token").error_response();
        assert!(unauthorized.headers().contains_key(WWW_AUTHENTICATE));
        let forbidden = AdminError::Forbidden("not yours").error_response();
        assert!(!forbidden.headers().contains_key(WWW_AUTHENTICATE));
        assert_eq!(
            forbidden.headers().get(CACHE_CONTROL).map(|v| v.as_bytes()),
            Some(&b"no-store"[..])
        );
    }

    #[test]
    fn every_operation_error_has_its_status() {
        let table = [
            (OpError::NotFound("user"), 404, "user not found"),
            (OpError::Conflict("taken".into()), 409, "taken"),
            (OpError::Invalid("too long".into()), 422, "too long"),
            (
                OpError::Store(StoreError::Unavailable("host=10.0.0.7".into())),
                503,
                "database unavailable: retry shortly",
            ),
            (
                OpError::Internal("hashing failed".into()),
                500,
                "internal error",
            ),
        ];
        for (error, status, message) in table {
            let what = format!("{error:?}");
            let (got_status, body) = answer(&AdminError::from(error));
            assert_eq!(got_status.as_u16(), status, "{what}");
            assert_eq!(body["message"], message, "{what}");
        }
    }

    #[test]
    fn database_text_never_reaches_the_client() {
        let secret = "UNIQUE constraint failed: users.email password=hunter2 host=10.0.0.7";
        let table = [
            (StoreError::Conflict(secret.into()), 409, "conflict"),
            (StoreError::Unavailable(secret.into()), 503, "unavailable"),
            (StoreError::Corrupt(secret.into()), 500, "internal"),
            (StoreError::Other(secret.into()), 500, "internal"),
            (StoreError::Invalid(secret.into()), 422, "invalid_value"),
            (StoreError::NotFound, 404, "not_found"),
        ];
        for (store, status, code) in table {
            let what = format!("{store:?}");
            let (got_status, body) = answer(&AdminError::from(store));
            assert_eq!(got_status.as_u16(), status, "{what}");
            assert_eq!(body["error"], code, "{what}");
            let text = body.to_string();
            for word in ["UNIQUE", "hunter2", "10.0.0.7", "users.email"] {
                assert!(!text.contains(word), "{what} leaked {word}: {text}");
            }
        }
    }
}
