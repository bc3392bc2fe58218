//! OAuth form bodies (`application/x-www-form-urlencoded`, RFC 6749 §3.2):
//! a parameter sent twice is `invalid_request` (RFC 6749 §3.1), one sent
//! without a value counts as omitted, and credentials in the query string
//! are refused (OAuth 2.1 §2.4.1).

use std::collections::HashMap;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use idp::protocol::error::TokenErrorCode;

use crate::errors::TokenEndpointError;

/// Largest form body accepted.
const MAX_BODY: usize = 16 * 1024;

/// Parameters that RFC 8707 §2 lets a request repeat.
const REPEATABLE: &[&str] = &["resource"];

/// A parsed OAuth form.
#[derive(Debug, Default)]
pub struct OAuthForm {
    single: HashMap<String, String>,
    repeated: HashMap<String, Vec<String>>,
}

impl OAuthForm {
    /// Parses `body`; fails on a repeated parameter.
    pub fn parse(body: &[u8]) -> Result<Self, TokenEndpointError> {
        let mut form = Self::default();
        for (name, value) in url::form_urlencoded::parse(body) {
            if value.is_empty() {
                continue;
            }
            if REPEATABLE.contains(&name.as_ref()) {
                form.repeated
                    .entry(name.into_owned())
                    .or_default()
                    .push(value.into_owned());
            } else if form
                .single
                .insert(name.into_owned(), value.into_owned())
                .is_some()
            {
                return Err(TokenEndpointError::new(
                    TokenErrorCode::InvalidRequest,
                    "a parameter was sent more than once",
                ));
            }
        }
        Ok(form)
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.single.get(name).map(String::as_str)
    }

    /// Every value of a repeatable parameter.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.repeated
            .get(name)
            .map(|values| values.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

impl FromRequest for OAuthForm {
    type Error = TokenEndpointError;
    type Future = LocalBoxFuture<'static, Result<Self, TokenEndpointError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let query_has_secret = url::form_urlencoded::parse(req.query_string().as_bytes())
            .any(|(name, _)| name == "client_secret" || name == "client_assertion");
        let is_form = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if query_has_secret {
                return Err(TokenEndpointError::new(
                    TokenErrorCode::InvalidRequest,
                    "client credentials must not be sent in the URI",
                ));
            }
            if !is_form {
                return Err(TokenEndpointError::new(
                    TokenErrorCode::InvalidRequest,
                    "the body must be application/x-www-form-urlencoded",
                ));
            }
            let body = body.await.map_err(|_| {
                TokenEndpointError::new(
                    TokenErrorCode::InvalidRequest,
                    "the body could not be read",
                )
            })?;
            if body.len() > MAX_BODY {
                return Err(TokenEndpointError::new(
                    TokenErrorCode::InvalidRequest,
                    "the body is too large",
                ));
            }
            OAuthForm::parse(&body)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_empty_parameters() {
        let form = OAuthForm::parse(b"a=1&b=&resource=x&resource=y").expect("parses");
        assert_eq!(form.get("a"), Some("1"));
        assert_eq!(form.get("b"), None);
        assert_eq!(form.all("resource"), vec!["x", "y"]);
        assert!(OAuthForm::parse(b"a=1&a=2").is_err());
        assert!(
            OAuthForm::parse(b"a=1&a=").is_ok(),
            "an empty repeat counts as omitted"
        );
    }
}
