//! Encryption at rest (AES-256-GCM) for private keys. The associated data binds
//! a ciphertext to its row, so a sealed key moved to another tenant or key id
//! does not open.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use crate::secret::{Secret, random_bytes};

/// A key that seals and opens values stored in the database.
pub struct Sealer {
    key: LessSafeKey,
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

const VERSION: u8 = 1;

impl Sealer {
    /// A sealer under the master key.
    pub fn new(master_key: &Secret<[u8; 32]>) -> Self {
        let unbound = UnboundKey::new(&AES_256_GCM, master_key.expose());
        // A 32-byte key is always valid for AES-256-GCM.
        let key = match unbound {
            Ok(k) => LessSafeKey::new(k),
            Err(_) => std::process::abort(),
        };
        Self { key }
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
        if *version != VERSION || rest.len() < NONCE_LEN {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| OpenError)?;
        let mut in_out = ciphertext.to_vec();
        let plain = self
            .key
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
}
