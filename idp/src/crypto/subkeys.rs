//! Subkeys of the master key. Nothing uses the master key itself: each purpose
//! gets its own key, derived with HKDF-SHA256 (RFC 5869) under a distinct
//! label, so a key can never serve two algorithms or two purposes, and a new
//! purpose needs a new label rather than a new secret to back up.

use aws_lc_rs::hkdf::{HKDF_SHA256, KeyType, Salt};

use crate::secret::Secret;

/// What a subkey is for; each has its own HKDF label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// AES-256-GCM sealing of private keys at rest.
    AtRest,
    /// The HMAC pepper of client-secret digests.
    SecretPepper,
    /// Encryption of users' second-factor secrets.
    SecondFactor,
    /// MACs of links sent by email (verification, password reset).
    EmailLink,
    /// MACs of cookie values.
    Cookie,
    /// CSRF tokens of hosted forms.
    Csrf,
    /// Recorded in the database, to tell whether a process has the master
    /// key the database was written with.
    KeyCheck,
}

impl Purpose {
    /// Every purpose, for tests that check labels are distinct.
    pub const ALL: [Self; 7] = [
        Self::AtRest,
        Self::SecretPepper,
        Self::SecondFactor,
        Self::EmailLink,
        Self::Cookie,
        Self::Csrf,
        Self::KeyCheck,
    ];

    /// The HKDF `info` label. Never change one: it would change the key.
    fn label(self) -> &'static [u8] {
        match self {
            Self::AtRest => b"idp subkey v1: at-rest sealing",
            Self::SecretPepper => b"idp subkey v1: client secret pepper",
            Self::SecondFactor => b"idp subkey v1: second-factor secrets",
            Self::EmailLink => b"idp subkey v1: email link tokens",
            Self::Cookie => b"idp subkey v1: cookies",
            Self::Csrf => b"idp subkey v1: csrf",
            Self::KeyCheck => b"idp subkey v1: master key check",
        }
    }
}

/// Fixed salt (RFC 5869 §3.1: a constant salt still separates this use of
/// the master key from any other).
const SALT: &[u8] = b"idp master key subkeys";

struct Len32;

impl KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// The 32-byte subkey of `master` for `purpose`.
pub fn derive(master: &Secret<[u8; 32]>, purpose: Purpose) -> Secret<[u8; 32]> {
    let prk = Salt::new(HKDF_SHA256, SALT).extract(master.expose());
    let mut out = [0u8; 32];
    let filled = prk
        .expand(&[purpose.label()], Len32)
        .and_then(|okm| okm.fill(&mut out));
    if filled.is_err() {
        // 32 bytes is far below HKDF-SHA256's limit of 255 blocks.
        std::process::abort();
    }
    Secret::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subkeys_are_distinct_stable_and_not_the_master_key() {
        let master = Secret::new([9u8; 32]);
        let keys: Vec<[u8; 32]> = Purpose::ALL
            .iter()
            .map(|p| *derive(&master, *p).expose())
            .collect();
        for (i, a) in keys.iter().enumerate() {
            assert_ne!(a, master.expose());
            for b in keys.iter().skip(i + 1) {
                assert_ne!(a, b);
            }
        }
        assert_eq!(
            derive(&master, Purpose::AtRest).expose(),
            derive(&master, Purpose::AtRest).expose()
        );
        assert_ne!(
            derive(&Secret::new([8u8; 32]), Purpose::AtRest).expose(),
            derive(&master, Purpose::AtRest).expose()
        );
    }

    #[test]
    fn the_derivation_is_rfc_5869_hkdf_sha256() {
        // Extract then expand, written out with HMAC-SHA256 (RFC 5869 §2.2,
        // §2.3; one block of output): a change of salt, label or algorithm
        // would change every stored ciphertext and digest.
        use aws_lc_rs::hmac;
        let master = Secret::new([1u8; 32]);
        let prk = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, SALT), master.expose());
        let mut info = Purpose::Cookie.label().to_vec();
        info.push(1);
        let okm = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, prk.as_ref()), &info);
        assert_eq!(
            derive(&master, Purpose::Cookie).expose().as_slice(),
            okm.as_ref()
        );
    }
}
