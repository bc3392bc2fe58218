//! Identifiers. Each is a newtype with a validating constructor, so a value
//! of the type is known to be well formed.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A tenant's internal id (a UUID), the first column of every tenant-scoped row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(Uuid);

impl TenantId {
    /// A fresh random id.
    pub fn generate() -> Self {
        Self(Uuid::new_v4())
    }

    /// Parses the stored text form.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::parse_str(text).ok().map(Self)
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.as_hyphenated().fmt(f)
    }
}

/// A tenant slug: `[a-z0-9][a-z0-9-]{0,62}` (DESIGN). It is the last path
/// segment of the tenant's issuer, so it is compared byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TenantSlug(String);

/// Why a slug was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a tenant slug is 1 to 63 characters of a-z, 0-9 and '-', starting with a letter or digit")]
pub struct InvalidSlug;

impl TenantSlug {
    /// Validates `text` against the slug rule.
    pub fn parse(text: &str) -> Result<Self, InvalidSlug> {
        let bytes = text.as_bytes();
        let first_ok = bytes
            .first()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        let rest_ok = bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        if first_ok && rest_ok && bytes.len() <= 63 {
            Ok(Self(text.to_owned()))
        } else {
            Err(InvalidSlug)
        }
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for TenantSlug {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A signing key's id (`kid`): the RFC 7638 thumbprint of its public key, so
/// two different keys never share one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(String);

impl KeyId {
    /// Wraps a stored or computed key id.
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The key id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An OAuth `client_id` (RFC 6749 §2.2): 22 base64url characters when
/// generated; unique within its tenant only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(String);

impl ClientId {
    /// A fresh random id (128 bits).
    pub fn generate() -> Self {
        // Never a leading `-`: command lines would read the id as an option.
        loop {
            let id = crate::crypto::b64url(&crate::secret::random_bytes::<16>());
            if !id.starts_with('-') {
                return Self(id);
            }
        }
    }

    /// Wraps a value received on the wire or read from the database. Ids are
    /// compared exactly; nothing is normalised.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_client_ids_never_look_like_options() {
        // One in 64 base64url strings starts with `-`: 4,000 draws would
        // meet one with near certainty.
        for _ in 0..4_000 {
            let id = ClientId::generate();
            assert!(!id.as_str().starts_with('-'), "{}", id.as_str());
            assert_eq!(id.as_str().len(), 22);
        }
    }

    #[test]
    fn slug_rule() {
        for good in ["a", "demo", "0", "a-b", "acme-2", &"a".repeat(63)] {
            assert!(TenantSlug::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-a",
            "A",
            "a_b",
            "a/b",
            "a.b",
            "a%2F",
            "é",
            " a",
            "a ",
            &"a".repeat(64),
        ] {
            assert!(TenantSlug::parse(bad).is_err(), "{bad}");
        }
    }
}
