//! The access token of a protected-resource request (RFC 6750 §2.1): only the
//! `Authorization: Bearer` header (any case of the scheme). A token in the
//! query or a form body is refused (§2.2, §2.3 are discouraged), so it never
//! lands in a log or a cache.

use actix_web::HttpRequest;
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE};

use crate::errors::BearerError;

/// The bearer token of `req`, whose body is `body`.
pub fn bearer_token<'r>(req: &'r HttpRequest, body: &[u8]) -> Result<&'r str, BearerError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if names_token(req.query_string().as_bytes()) || (is_form && names_token(body)) {
        return Err(BearerError::InvalidRequest(
            "send the access token in the Authorization header only",
        ));
    }
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or(BearerError::Missing)?;
    let value = header
        .to_str()
        .map_err(|_| BearerError::InvalidRequest("the Authorization header is malformed"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(BearerError::InvalidRequest(
            "the Authorization header must be Bearer",
        )),
    }
}

fn names_token(bytes: &[u8]) -> bool {
    url::form_urlencoded::parse(bytes).any(|(k, _)| k == "access_token")
}
