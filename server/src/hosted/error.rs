//! Errors of page endpoints: a readable error page with the right status,
//! never JSON and never a redirect. Causes go to the log only.

use actix_web::http::StatusCode;
use actix_web::http::header::RETRY_AFTER;
use actix_web::{HttpResponse, ResponseError};
use idp::ephemeral::EphemeralError;
use idp::store::StoreError;

use crate::errors::ApiError;
use crate::hosted::render::Page;

/// Why a page cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Unknown tenant or page.
    #[error("not found")]
    NotFound,
    /// The request cannot be honoured; the text is fixed, for the user.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A form without a valid CSRF token, or from another browser.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Too many attempts; retry after the given seconds.
    #[error("throttled")]
    Throttled(i64),
    /// A backend is unavailable; nothing was changed.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or corrupt data.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::NotFound(_) => Self::NotFound,
            ApiError::InvalidInput => {
                Self::BadRequest("The request contains characters that cannot be used.")
            }
            ApiError::Unavailable(cause) => Self::Unavailable(cause),
            ApiError::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        ApiError::from(error).into()
    }
}

impl From<EphemeralError> for PageError {
    fn from(error: EphemeralError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let message = match self {
            Self::NotFound => "This page does not exist.",
            Self::BadRequest(text) | Self::Forbidden(text) => text,
            Self::Throttled(_) => "Too many attempts. Wait a few minutes, then try again.",
            Self::Unavailable(cause) => {
                tracing::warn!(%cause, "page answering 503");
                "The service is temporarily unavailable. Try again in a moment."
            }
            Self::Internal(cause) => {
                tracing::error!(%cause, "page answering 500");
                "Something went wrong on our side. Try again."
            }
        };
        let page = Page::new("error.html", "Something went wrong", "Sign-in")
            .with("message", message)
            .status(self.status_code());
        let mut builder = page.builder();
        if let Self::Throttled(seconds) = self {
            builder.insert_header((RETRY_AFTER, seconds.to_string()));
        }
        builder.body(page.body())
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;
    use actix_web::http::header::{CONTENT_TYPE, HeaderMap};

    use super::*;

    /// What each error shows: status, `Retry-After`, and the fixed message.
    #[actix_web::test]
    async fn every_page_error_has_its_status_and_a_fixed_message() {
        let cause = "secret-cause-from-the-backend";
        let table = [
            (PageError::NotFound, 404, None, "This page does not exist."),
            (
                PageError::BadRequest("The link is old."),
                400,
                None,
                "The link is old.",
            ),
            (
                PageError::Forbidden("Not from this page."),
                403,
                None,
                "Not from this page.",
            ),
            (
                PageError::Throttled(42),
                429,
                Some("42"),
                "Too many attempts. Wait a few minutes, then try again.",
            ),
            (
                PageError::Unavailable(cause.into()),
                503,
                None,
                "The service is temporarily unavailable. Try again in a moment.",
            ),
            (
                PageError::Internal(cause.into()),
                500,
                None,
                "Something went wrong on our side. Try again.",
            ),
        ];
        for (error, status, retry_after, message) in table {
            let name = format!("{error:?}");
            assert_eq!(error.status_code().as_u16(), status, "{name}");
            let response = error.error_response();
            assert_eq!(response.status().as_u16(), status, "{name}");
            let headers: HeaderMap = response.headers().clone();
            let header = |key: &str| headers.get(key).and_then(|v| v.to_str().ok());
            assert_eq!(header(RETRY_AFTER.as_str()), retry_after, "{name}");
            assert_eq!(
                header(CONTENT_TYPE.as_str()),
                Some("text/html; charset=utf-8"),
                "{name}: a page, never JSON"
            );
            assert!(header("content-security-policy").is_some(), "{name}");
            assert_eq!(header("cache-control"), Some("no-store"), "{name}");
            assert!(header("location").is_none(), "{name}: never a redirect");
            let body = to_bytes(response.into_body()).await.expect("body");
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains(message), "{name}: {body}");
            assert!(!body.contains(cause), "{name}: the cause is for the log");
        }
    }

    /// Which page error each backend error becomes.
    #[test]
    fn backend_errors_map_to_one_page_error_each() {
        let from_store = |e: StoreError| PageError::from(e).status_code().as_u16();
        let table = [
            (StoreError::NotFound, 500),
            (StoreError::Conflict("c".into()), 500),
            (StoreError::Unavailable("u".into()), 503),
            (StoreError::Invalid("nul".into()), 400),
            (StoreError::Corrupt("c".into()), 500),
            (StoreError::Other("o".into()), 500),
        ];
        for (error, status) in table {
            let name = format!("{error:?}");
            assert_eq!(from_store(error), status, "{name}");
        }
        let from_api = |e: ApiError| PageError::from(e).status_code().as_u16();
        assert_eq!(from_api(ApiError::NotFound("tenant")), 404);
        assert_eq!(from_api(ApiError::InvalidInput), 400);
        assert_eq!(from_api(ApiError::Unavailable("u".into())), 503);
        assert_eq!(from_api(ApiError::Internal("i".into())), 500);
        let ephemeral = PageError::from(EphemeralError("redis down".into()));
        assert_eq!(ephemeral.status_code().as_u16(), 503);
    }
}
