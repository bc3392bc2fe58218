//! Errors to HTTP responses, in one place. The internal cause is logged, never
//! sent: clients see a fixed `error` code and description.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};
use idp::store::StoreError;
use serde::Serialize;

/// An error any endpoint may answer with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Unknown or disabled tenant, or unknown path. Unknown and disabled
    /// tenants look the same, so nothing is learnt about other tenants.
    #[error("not found")]
    NotFound(&'static str),
    /// A backend could not answer within its deadline, or cached state cannot
    /// be known to be fresh (fail closed). Nothing was written.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or corrupt data; the cause goes to the log only.
    #[error("internal: {0}")]
    Internal(String),
}

#[derive(Serialize)]
struct Body {
    error: &'static str,
    error_description: &'static str,
}

impl From<StoreError> for ApiError {
    #[track_caller]
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(cause) => Self::Unavailable(cause),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (error, error_description) = match self {
            Self::NotFound(what) => ("not_found", *what),
            Self::Unavailable(cause) => {
                tracing::warn!(%cause, "answering 503");
                (
                    "temporarily_unavailable",
                    "the service is temporarily unavailable; retry shortly",
                )
            }
            Self::Internal(cause) => {
                tracing::error!(%cause, "answering 500");
                ("server_error", "an unexpected error occurred")
            }
        };
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((CACHE_CONTROL, "no-store"));
        if matches!(self, Self::Unavailable(_)) {
            response.insert_header((RETRY_AFTER, "1"));
        }
        response.json(Body {
            error,
            error_description,
        })
    }
}

/// The answer for a path no route matches.
pub async fn no_route() -> HttpResponse {
    ApiError::NotFound("no such endpoint").error_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    #[actix_web::test]
    async fn every_variant_has_its_status_code_and_headers() {
        let cases = [
            (ApiError::NotFound("no such tenant"), 404, "not_found", None),
            (
                ApiError::Unavailable("db down".into()),
                503,
                "temporarily_unavailable",
                Some("1"),
            ),
            (ApiError::Internal("bug".into()), 500, "server_error", None),
        ];
        for (error, status, code, retry_after) in cases {
            let response = error.error_response();
            assert_eq!(response.status().as_u16(), status);
            assert_eq!(
                response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()),
                retry_after
            );
            assert_eq!(
                response
                    .headers()
                    .get(CACHE_CONTROL)
                    .and_then(|v| v.to_str().ok()),
                Some("no-store")
            );
            let body = to_bytes(response.into_body()).await.expect("body");
            let json: serde_json::Value = serde_json::from_slice(&body).expect("json");
            assert_eq!(json["error"], code);
            let text = String::from_utf8_lossy(&body);
            assert!(!text.contains("db down") && !text.contains("bug"), "{text}");
        }
    }
}
