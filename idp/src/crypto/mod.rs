//! Cryptography: tenant signing keys and JWT signing, encryption of private
//! keys at rest, first-start secrets and the subkeys derived from them.

pub mod at_rest;
pub mod client_secret;
pub mod jwk;
pub mod jwt;
pub mod keys;
pub mod master_key;
pub mod password;
pub mod subkeys;

/// Base64url without padding (RFC 7515 §2), as JOSE uses everywhere.
pub fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}
