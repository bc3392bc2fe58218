//! Optimistic concurrency (RFC 9110 §13.1.1): every object's `ETag` is a
//! digest of its JSON view, and updates must send it back in `If-Match`
//! (428 without it, 412 when the object changed since).

use actix_web::HttpRequest;
use actix_web::http::header::IF_MATCH;
use serde::Serialize;

use crate::errors::AdminError;

/// The ETag of `view`: a quoted strong validator.
pub fn of<T: Serialize>(view: &T) -> String {
    let json = serde_json::to_vec(view).unwrap_or_default();
    let digest = idp::crypto::sha256(&json);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// The `If-Match` header an update must carry.
#[derive(Debug, Clone)]
pub struct IfMatch(Option<String>);

impl IfMatch {
    /// Reads the header from `req`.
    pub fn from_request(req: &HttpRequest) -> Self {
        Self(
            req.headers()
                .get(IF_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned()),
        )
    }

    /// A header value, for tests of the rule.
    pub fn value(value: Option<&str>) -> Self {
        Self(value.map(str::to_owned))
    }

    /// Checks it against the object's current ETag. `*` is refused: it
    /// would skip the very check the header exists for.
    pub fn check(&self, current: &str) -> Result<(), AdminError> {
        let Some(sent) = self.0.as_deref().filter(|v| !v.is_empty() && *v != "*") else {
            return Err(AdminError::PreconditionRequired);
        };
        let matches = sent
            .split(',')
            .map(|v| v.trim().trim_start_matches("W/"))
            .any(|v| v == current);
        if matches {
            Ok(())
        } else {
            Err(AdminError::PreconditionFailed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_stale_and_current() {
        let tag = of(&serde_json::json!({"a": 1}));
        assert!(matches!(
            IfMatch::value(None).check(&tag),
            Err(AdminError::PreconditionRequired)
        ));
        assert!(matches!(
            IfMatch::value(Some("*")).check(&tag),
            Err(AdminError::PreconditionRequired)
        ));
        assert!(matches!(
            IfMatch::value(Some("\"0\"")).check(&tag),
            Err(AdminError::PreconditionFailed)
        ));
        assert!(IfMatch::value(Some(&tag)).check(&tag).is_ok());
        assert_ne!(tag, of(&serde_json::json!({"a": 2})));
    }
}
