//! Client secrets: generated with 256 bits, stored only as a keyed digest
//! (HMAC-SHA256 under a pepper derived from the master key), compared in
//! constant time. Not a password hash on purpose: a secret of 256 random bits
//! needs no work factor, and argon2id would cap the token endpoint.

use aws_lc_rs::hmac;

use crate::domain::client::SecretDigests;
use crate::ids::{ClientId, TenantId};
use crate::secret::{Secret, constant_time_eq, random_bytes};

/// A fresh client secret: 32 random bytes, base64url (43 characters).
pub fn generate() -> Secret<String> {
    Secret::new(crate::crypto::b64url(&random_bytes::<32>()))
}

/// Computes and checks secret digests.
pub struct SecretHasher {
    key: hmac::Key,
}

impl std::fmt::Debug for SecretHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretHasher(<redacted>)")
    }
}

impl SecretHasher {
    /// A hasher whose pepper is derived from the master key.
    pub fn new(master_key: &Secret<[u8; 32]>) -> Self {
        let root = hmac::Key::new(hmac::HMAC_SHA256, master_key.expose());
        let pepper = hmac::sign(&root, b"idp client secret pepper v1");
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, pepper.as_ref()),
        }
    }

    /// The digest of `secret` for `client` of `tenant` (bound to both).
    pub fn digest(&self, tenant: TenantId, client: &ClientId, secret: &str) -> Vec<u8> {
        let mut context = hmac::Context::with_key(&self.key);
        context.update(tenant.to_string().as_bytes());
        context.update(b"/");
        context.update(client.as_str().as_bytes());
        context.update(b"/");
        context.update(secret.as_bytes());
        context.sign().as_ref().to_vec()
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
        let presented = self.digest(tenant, client, secret);
        let current = digests
            .current
            .as_deref()
            .is_some_and(|d| constant_time_eq(d, &presented));
        let previous = digests
            .previous
            .as_ref()
            .is_some_and(|(d, until)| constant_time_eq(d, &presented) && now < *until);
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
}
