//! Client secrets: generated with 256 bits, stored only as a keyed digest
//! (HMAC-SHA256 under the secret-pepper subkey of the master key), compared
//! in constant time. Not a password hash on purpose: a secret of 256 random
//! bits needs no work factor, and argon2id would cap the token endpoint.
//!
//! Stored forms, told apart by their first byte:
//! - `0x02 || HMAC(pepper, context)`: every secret set since subkeys;
//! - `0x03 || HMAC(pepper, legacy)`: a digest of an earlier release (`legacy`,
//!   32 bytes under a pepper that was an HMAC of the master key), wrapped
//!   once by the upgrade (`store::subkey_upgrade`): the secret itself is not
//!   known, so it cannot be digested again;
//! - a bare 32-byte legacy digest is no longer accepted.

use aws_lc_rs::hmac;

use crate::crypto::subkeys::{self, Purpose};
use crate::domain::client::SecretDigests;
use crate::ids::{ClientId, TenantId};
use crate::secret::{Secret, constant_time_eq, random_bytes};

/// First byte of a digest of the secret under the pepper subkey.
const CURRENT: u8 = 2;
/// First byte of a wrapped legacy digest.
const WRAPPED: u8 = 3;
/// Length of a legacy digest (a bare HMAC-SHA256).
const LEGACY_LEN: usize = 32;

/// A fresh client secret: 32 random bytes, base64url (43 characters).
pub fn generate() -> Secret<String> {
    Secret::new(crate::crypto::b64url(&random_bytes::<32>()))
}

/// Computes and checks secret digests.
pub struct SecretHasher {
    pepper: hmac::Key,
    /// The pepper of earlier releases, still needed under wrapped digests.
    legacy_pepper: hmac::Key,
}

impl std::fmt::Debug for SecretHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretHasher(<redacted>)")
    }
}

impl SecretHasher {
    /// A hasher under the secret-pepper subkey of the master key.
    pub fn new(master_key: &Secret<[u8; 32]>) -> Self {
        let pepper = subkeys::derive(master_key, Purpose::SecretPepper);
        let root = hmac::Key::new(hmac::HMAC_SHA256, master_key.expose());
        let legacy = hmac::sign(&root, b"idp client secret pepper v1");
        Self {
            pepper: hmac::Key::new(hmac::HMAC_SHA256, pepper.expose()),
            legacy_pepper: hmac::Key::new(hmac::HMAC_SHA256, legacy.as_ref()),
        }
    }

    fn mac(key: &hmac::Key, tenant: TenantId, client: &ClientId, secret: &str) -> hmac::Tag {
        let mut context = hmac::Context::with_key(key);
        context.update(tenant.to_string().as_bytes());
        context.update(b"/");
        context.update(client.as_str().as_bytes());
        context.update(b"/");
        context.update(secret.as_bytes());
        context.sign()
    }

    fn tagged(tag: u8, mac: &hmac::Tag) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + mac.as_ref().len());
        out.push(tag);
        out.extend_from_slice(mac.as_ref());
        out
    }

    /// The digest of `secret` for `client` of `tenant` (bound to both).
    pub fn digest(&self, tenant: TenantId, client: &ClientId, secret: &str) -> Vec<u8> {
        Self::tagged(CURRENT, &Self::mac(&self.pepper, tenant, client, secret))
    }

    /// The stored form of `legacy`, a digest of an earlier release; `None`
    /// when it is not one (already of the current forms, or malformed).
    pub fn wrap_legacy(&self, legacy: &[u8]) -> Option<Vec<u8>> {
        (legacy.len() == LEGACY_LEN)
            .then(|| Self::tagged(WRAPPED, &hmac::sign(&self.pepper, legacy)))
    }

    /// Whether `stored` presented as `secret` matches.
    fn matches(&self, tenant: TenantId, client: &ClientId, secret: &str, stored: &[u8]) -> bool {
        let presented = match stored.first() {
            Some(&CURRENT) => self.digest(tenant, client, secret),
            Some(&WRAPPED) => {
                let legacy = Self::mac(&self.legacy_pepper, tenant, client, secret);
                Self::tagged(WRAPPED, &hmac::sign(&self.pepper, legacy.as_ref()))
            }
            _ => return false,
        };
        constant_time_eq(stored, &presented)
    }

    /// Whether `secret` matches a live digest at `now` (unix seconds). Both
    /// digests are always compared, so timing says nothing about which matched.
    pub fn verify(
        &self,
        tenant: TenantId,
        client: &ClientId,
        secret: &str,
        digests: &SecretDigests,
        now: i64,
    ) -> bool {
        let current = digests
            .current
            .as_deref()
            .is_some_and(|d| self.matches(tenant, client, secret, d));
        let previous = digests
            .previous
            .as_ref()
            .is_some_and(|(d, until)| self.matches(tenant, client, secret, d) && now < *until);
        current | previous
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_verify_against_live_digests_only() {
        let hasher = SecretHasher::new(&Secret::new([3u8; 32]));
        let tenant = TenantId::generate();
        let client = ClientId::new("c");
        let old = generate();
        let new = generate();
        assert_eq!(new.expose().len(), 43);
        assert_ne!(old.expose(), new.expose());
        let digests = SecretDigests {
            current: Some(hasher.digest(tenant, &client, new.expose())),
            previous: Some((hasher.digest(tenant, &client, old.expose()), 100)),
        };
        assert!(hasher.verify(tenant, &client, new.expose(), &digests, 200));
        assert!(hasher.verify(tenant, &client, old.expose(), &digests, 99));
        assert!(!hasher.verify(tenant, &client, old.expose(), &digests, 100));
        assert!(!hasher.verify(tenant, &client, "nope", &digests, 0));
        assert!(!hasher.verify(TenantId::generate(), &client, new.expose(), &digests, 0));
        let other = SecretHasher::new(&Secret::new([4u8; 32]));
        assert!(!other.verify(tenant, &client, new.expose(), &digests, 0));
    }

    #[test]
    fn legacy_digests_verify_once_wrapped_and_never_bare() {
        let master = Secret::new([6u8; 32]);
        let hasher = SecretHasher::new(&master);
        let (tenant, client, secret) = (TenantId::generate(), ClientId::new("c"), generate());
        let legacy = SecretHasher::mac(&hasher.legacy_pepper, tenant, &client, secret.expose());
        let bare = SecretDigests {
            current: Some(legacy.as_ref().to_vec()),
            previous: None,
        };
        assert!(!hasher.verify(tenant, &client, secret.expose(), &bare, 0));
        let wrapped = hasher.wrap_legacy(legacy.as_ref()).expect("legacy form");
        let digests = SecretDigests {
            current: None,
            previous: Some((wrapped.clone(), 10)),
        };
        assert!(hasher.verify(tenant, &client, secret.expose(), &digests, 0));
        assert!(!hasher.verify(tenant, &client, "nope", &digests, 0));
        assert!(!hasher.verify(tenant, &client, secret.expose(), &digests, 10));
        // Wrapping is for legacy digests only.
        assert_eq!(hasher.wrap_legacy(&wrapped), None);
        assert_eq!(
            hasher.wrap_legacy(&hasher.digest(tenant, &client, secret.expose())),
            None
        );
    }
}
