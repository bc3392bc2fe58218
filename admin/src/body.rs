//! The JSON body extractor of the admin API: `application/json` only, at
//! most 64 KiB, and no NUL characters anywhere (PostgreSQL text cannot hold
//! them, and no name, id or description needs one). Syntax errors are 400,
//! values that do not fit the request type 422.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use serde::de::DeserializeOwned;

use crate::errors::AdminError;

/// Largest body accepted.
const LIMIT: usize = 64 * 1024;

/// A JSON request body of type `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Decodes `bytes` under the rules above.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AdminError> {
    if bytes.len() > LIMIT {
        return Err(AdminError::BadRequest(
            "the body is larger than 64 KiB".into(),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| AdminError::BadRequest(format!("the body must be JSON: {e}")))?;
    if has_nul(&value) {
        return Err(AdminError::Invalid(
            "text must not contain NUL characters".into(),
        ));
    }
    serde_json::from_value(value).map_err(AdminError::invalid)
}

fn has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(fields) => {
            fields.iter().any(|(k, v)| k.contains('\0') || has_nul(v))
        }
        _ => false,
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AdminError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AdminError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(AdminError::BadRequest(
                    "send the body as application/json".into(),
                ));
            }
            let bytes = body
                .await
                .map_err(|e| AdminError::BadRequest(format!("the body could not be read: {e}")))?;
            decode(&bytes).map(Json)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_anywhere_is_refused_and_errors_are_sorted() {
        let nul: Result<serde_json::Value, _> = decode(br#"{"a": ["x\u0000y"]}"#);
        assert!(matches!(nul, Err(AdminError::Invalid(_))));
        let syntax: Result<serde_json::Value, _> = decode(b"{");
        assert!(matches!(syntax, Err(AdminError::BadRequest(_))));
        let shape: Result<Vec<u8>, _> = decode(br#"{"a": 1}"#);
        assert!(matches!(shape, Err(AdminError::Invalid(_))));
    }
}
