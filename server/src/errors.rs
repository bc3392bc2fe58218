//! Errors to HTTP responses, in one place. The internal cause is logged, never
//! sent: clients see a fixed `error` code and description.

use actix_web::http::StatusCode;
use actix_web::http::header::{ALLOW, CACHE_CONTROL, PRAGMA, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};
use idp::protocol::error::{BearerErrorCode, TokenError, TokenErrorCode};
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
    /// A value the client sent cannot even be looked up (a NUL character,
    /// which PostgreSQL text cannot hold): `invalid_request`, nothing changed.
    #[error("invalid input")]
    InvalidInput,
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
            StoreError::Invalid(_) => Self::InvalidInput,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::InvalidInput => StatusCode::BAD_REQUEST,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (error, error_description) = match self {
            Self::NotFound(what) => ("not_found", *what),
            Self::InvalidInput => (
                "invalid_request",
                "the request contains characters that cannot be used (NUL)",
            ),
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

/// An error of the token, introspection or revocation endpoint: an RFC 6749
/// §5.2 body, or a backend error.
#[derive(Debug, thiserror::Error)]
pub enum TokenEndpointError {
    /// A protocol error. `basic` says the client tried HTTP Basic, which makes
    /// `invalid_client` carry `WWW-Authenticate` (RFC 6749 §5.2).
    #[error("{}", .error.code.as_str())]
    Protocol {
        /// Code and description.
        error: TokenError,
        /// Whether Basic was attempted.
        basic: bool,
    },
    /// Too many failed client authentications: retry after this many seconds.
    #[error("throttled")]
    Throttled(i64),
    /// Tenant unknown, backend unavailable or internal error.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl TokenEndpointError {
    /// A protocol error with `code` and `description`, Basic not attempted.
    pub fn new(code: TokenErrorCode, description: &'static str) -> Self {
        Self::Protocol {
            error: TokenError::new(code, description),
            basic: false,
        }
    }
}

impl From<TokenError> for TokenEndpointError {
    fn from(error: TokenError) -> Self {
        Self::Protocol {
            error,
            basic: false,
        }
    }
}

impl From<StoreError> for TokenEndpointError {
    #[track_caller]
    fn from(error: StoreError) -> Self {
        Self::Api(error.into())
    }
}

impl ResponseError for TokenEndpointError {
    fn status_code(&self) -> StatusCode {
        match self {
            // RFC 6749 §5.2 allows 400 or 401 for invalid_client; we always
            // answer 401, with WWW-Authenticate when Basic was tried.
            Self::Protocol { error, .. } if error.code == TokenErrorCode::InvalidClient => {
                StatusCode::UNAUTHORIZED
            }
            Self::Protocol { .. } => StatusCode::BAD_REQUEST,
            Self::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Api(api) => api.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Api(api) => api.error_response(),
            Self::Throttled(retry_after) => HttpResponse::TooManyRequests()
                .insert_header((CACHE_CONTROL, "no-store"))
                .insert_header((RETRY_AFTER, retry_after.to_string()))
                .json(Body {
                    error: "invalid_client",
                    error_description: "too many failed authentication attempts; retry later",
                }),
            Self::Protocol { error, basic } => {
                let mut response = HttpResponse::build(self.status_code());
                response
                    .insert_header((CACHE_CONTROL, "no-store"))
                    .insert_header((PRAGMA, "no-cache"));
                if *basic && error.code == TokenErrorCode::InvalidClient {
                    response.insert_header((WWW_AUTHENTICATE, "Basic realm=\"token\""));
                }
                response.json(Body {
                    error: error.code.as_str(),
                    error_description: error.description,
                })
            }
        }
    }
}

/// An error of a protected resource (UserInfo): RFC 6750 §3.1, with a
/// `WWW-Authenticate: Bearer` challenge and, when there is a code, a JSON body.
#[derive(Debug, thiserror::Error)]
pub enum BearerError {
    /// No token: a bare challenge (RFC 6750 §3.1: no error code).
    #[error("no token")]
    Missing,
    /// Malformed request (a token outside the header, a malformed header).
    #[error("invalid_request")]
    InvalidRequest(&'static str),
    /// Expired, revoked, malformed or foreign token.
    #[error("invalid_token")]
    InvalidToken(&'static str),
    /// The token lacks the `openid` scope.
    #[error("insufficient_scope")]
    InsufficientScope,
    /// Backend failure.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<StoreError> for BearerError {
    #[track_caller]
    fn from(error: StoreError) -> Self {
        Self::Api(error.into())
    }
}

impl BearerError {
    /// The RFC 6750 §3.1 code and description; `None` for a bare challenge
    /// or a backend error.
    fn code(&self) -> Option<(BearerErrorCode, &'static str)> {
        match self {
            Self::Missing | Self::Api(_) => None,
            Self::InvalidRequest(d) => Some((BearerErrorCode::InvalidRequest, d)),
            Self::InvalidToken(d) => Some((BearerErrorCode::InvalidToken, d)),
            Self::InsufficientScope => Some((
                BearerErrorCode::InsufficientScope,
                "the token lacks the openid scope",
            )),
        }
    }
}

impl ResponseError for BearerError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Missing | Self::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            Self::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            Self::InsufficientScope => StatusCode::FORBIDDEN,
            Self::Api(api) => api.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Api(api) = self {
            return api.error_response();
        }
        let code = self.code();
        let challenge = match code {
            None => "Bearer realm=\"userinfo\"".to_owned(),
            Some((code, description)) => format!(
                "Bearer realm=\"userinfo\", error=\"{}\", error_description=\"{description}\"",
                code.as_str()
            ),
        };
        let mut response = HttpResponse::build(self.status_code());
        response
            .insert_header((WWW_AUTHENTICATE, challenge))
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header((PRAGMA, "no-cache"));
        match code {
            None => response.finish(),
            Some((code, description)) => response.json(Body {
                error: code.as_str(),
                error_description: description,
            }),
        }
    }
}

/// 405 for a method an endpoint does not take (RFC 9110 §15.5.6).
pub async fn post_only() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((ALLOW, "POST"))
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(Body {
            error: "invalid_request",
            error_description: "this endpoint accepts POST only",
        })
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

    fn header(response: &HttpResponse, name: actix_web::http::header::HeaderName) -> Option<&str> {
        response.headers().get(name).and_then(|v| v.to_str().ok())
    }

    #[actix_web::test]
    async fn every_bearer_error_has_its_status_challenge_and_body() {
        let cases = [
            (BearerError::Missing, 401, "Bearer realm=\"userinfo\"", None),
            (
                BearerError::InvalidRequest(
                    "send the access token in the Authorization header only",
                ),
                400,
                "Bearer realm=\"userinfo\", error=\"invalid_request\", error_description=\"send the access token in the Authorization header only\"",
                Some((
                    "invalid_request",
                    "send the access token in the Authorization header only",
                )),
            ),
            (
                BearerError::InvalidToken("the access token is not valid"),
                401,
                "Bearer realm=\"userinfo\", error=\"invalid_token\", error_description=\"the access token is not valid\"",
                Some(("invalid_token", "the access token is not valid")),
            ),
            (
                BearerError::InsufficientScope,
                403,
                "Bearer realm=\"userinfo\", error=\"insufficient_scope\", error_description=\"the token lacks the openid scope\"",
                Some(("insufficient_scope", "the token lacks the openid scope")),
            ),
        ];
        for (error, status, challenge, body) in cases {
            // A new variant fails to compile here until the table covers it.
            match &error {
                BearerError::Missing
                | BearerError::InvalidRequest(_)
                | BearerError::InvalidToken(_)
                | BearerError::InsufficientScope
                | BearerError::Api(_) => {}
            }
            let response = error.error_response();
            assert_eq!(response.status().as_u16(), status, "{error:?}");
            assert_eq!(error.status_code().as_u16(), status, "{error:?}");
            assert_eq!(header(&response, WWW_AUTHENTICATE), Some(challenge));
            assert_eq!(header(&response, CACHE_CONTROL), Some("no-store"));
            assert_eq!(header(&response, PRAGMA), Some("no-cache"));
            let bytes = to_bytes(response.into_body()).await.expect("body");
            match body {
                None => assert!(bytes.is_empty(), "a bare challenge has no body"),
                Some((code, description)) => {
                    let json: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
                    assert_eq!(
                        json,
                        serde_json::json!({ "error": code, "error_description": description })
                    );
                }
            }
        }
        // A backend failure answers as the backend error, without a challenge.
        let down = BearerError::Api(ApiError::Unavailable("redis down".into()));
        let response = down.error_response();
        assert_eq!(response.status().as_u16(), 503);
        assert_eq!(header(&response, RETRY_AFTER), Some("1"));
        assert_eq!(header(&response, WWW_AUTHENTICATE), None);
        let bytes = to_bytes(response.into_body()).await.expect("body");
        let json: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(json["error"], "temporarily_unavailable");
        assert!(!String::from_utf8_lossy(&bytes).contains("redis down"));
    }
}
