//! Encryption at rest (AES-256-GCM) for private keys, under the at-rest
//! subkey of the master key. The associated data binds a ciphertext to its
//! row, so a sealed key moved to another tenant or key id does not open.
//!
//! Version 1 values were sealed under the master key itself; only the
//! one-time upgrade (`store::subkey_upgrade`) opens them, to seal them again
//! as version 2.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use crate::crypto::subkeys::{self, Purpose};
use crate::secret::{Secret, random_bytes};

/// A key that seals and opens values stored in the database.
pub struct Sealer {
    key: LessSafeKey,
    /// The master key itself, for version 1 values (upgrade only).
    legacy: Option<LessSafeKey>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<redacted>)")
    }
}

/// A ciphertext that did not open: wrong master key, or tampered or moved.
#[derive(Debug, thiserror::Error)]
#[error("sealed value did not open (wrong master key or altered data)")]
pub struct OpenError;

/// Sealed under the at-rest subkey.
const VERSION: u8 = 2;
/// Sealed under the master key itself, before subkeys.
const LEGACY_VERSION: u8 = 1;

fn aes_key(bytes: &[u8; 32]) -> LessSafeKey {
    // A 32-byte key is always valid for AES-256-GCM.
    match UnboundKey::new(&AES_256_GCM, bytes) {
        Ok(k) => LessSafeKey::new(k),
        Err(_) => std::process::abort(),
    }
}

impl Sealer {
    /// A sealer under the at-rest subkey of `master_key`.
    pub fn new(master_key: &Secret<[u8; 32]>) -> Self {
        Self {
            key: aes_key(subkeys::derive(master_key, Purpose::AtRest).expose()),
            legacy: None,
        }
    }

    /// A sealer that also opens version 1 values (sealed under the master
    /// key itself), for the one-time upgrade.
    pub fn upgrading(master_key: &Secret<[u8; 32]>) -> Self {
        Self {
            legacy: Some(aes_key(master_key.expose())),
            ..Self::new(master_key)
        }
    }

    /// Whether `sealed` is of the current version (nothing to upgrade).
    pub fn is_current(sealed: &[u8]) -> bool {
        sealed.first() == Some(&VERSION)
    }

    /// `version || nonce || ciphertext || tag`.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let nonce_bytes = random_bytes::<NONCE_LEN>();
        let mut in_out = plaintext.to_vec();
        let sealed = self.key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce_bytes),
            Aad::from(context),
            &mut in_out,
        );
        if sealed.is_err() {
            // Only fails for inputs beyond GCM's length limit (64 GiB).
            std::process::abort();
        }
        let mut out = Vec::with_capacity(1 + NONCE_LEN + in_out.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&in_out);
        out
    }

    /// Opens what [`Sealer::seal`] produced with the same context.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Secret<Vec<u8>>, OpenError> {
        let (version, rest) = sealed.split_first().ok_or(OpenError)?;
        let key = match *version {
            VERSION => &self.key,
            LEGACY_VERSION => self.legacy.as_ref().ok_or(OpenError)?,
            _ => return Err(OpenError),
        };
        if rest.len() < NONCE_LEN {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| OpenError)?;
        let mut in_out = ciphertext.to_vec();
        let plain = key
            .open_in_place(nonce, Aad::from(context), &mut in_out)
            .map_err(|_| OpenError)?;
        Ok(Secret::new(plain.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let sealer = Sealer::new(&Secret::new([7u8; 32]));
        let sealed = sealer.seal(b"private", b"tenant-a/kid-1");
        assert_eq!(
            sealer
                .open(&sealed, b"tenant-a/kid-1")
                .expect("opens")
                .expose(),
            b"private"
        );
        assert!(sealer.open(&sealed, b"tenant-b/kid-1").is_err());
        assert!(
            Sealer::new(&Secret::new([8u8; 32]))
                .open(&sealed, b"tenant-a/kid-1")
                .is_err()
        );
        let mut tampered = sealed.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(sealer.open(&tampered, b"tenant-a/kid-1").is_err());
        assert!(sealer.open(&[], b"x").is_err());
    }

    /// What releases before subkeys wrote: version 1 under the master key.
    fn legacy_seal(master: &Secret<[u8; 32]>, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let nonce = random_bytes::<NONCE_LEN>();
        let mut in_out = plaintext.to_vec();
        aes_key(master.expose())
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context),
                &mut in_out,
            )
            .expect("seals");
        [vec![LEGACY_VERSION], nonce.to_vec(), in_out].concat()
    }

    #[test]
    fn version_1_opens_only_while_upgrading_and_never_under_the_master_key_again() {
        let master = Secret::new([5u8; 32]);
        let old = legacy_seal(&master, b"private", b"t/k");
        assert!(!Sealer::is_current(&old));
        assert!(Sealer::new(&master).open(&old, b"t/k").is_err());
        let upgrading = Sealer::upgrading(&master);
        assert_eq!(
            upgrading.open(&old, b"t/k").expect("opens").expose(),
            b"private"
        );
        let resealed = upgrading.seal(b"private", b"t/k");
        assert!(Sealer::is_current(&resealed));
        assert_eq!(
            Sealer::new(&master)
                .open(&resealed, b"t/k")
                .expect("opens")
                .expose(),
            b"private"
        );
        // The new value is not sealed under the master key itself.
        let mut as_legacy = resealed.clone();
        if let Some(v) = as_legacy.first_mut() {
            *v = LEGACY_VERSION;
        }
        assert!(upgrading.open(&as_legacy, b"t/k").is_err());
    }
}
