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
