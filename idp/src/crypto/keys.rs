//! Tenant signing keys: generation (RSA-2048 for RS256, P-256 for ES256),
//! key pairs parsed once and shared, key selection by activation time, and
//! compact JWS signing (RFC 7515 §7.1).

use std::sync::Arc;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair,
    ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, VerificationAlgorithm,
};
use serde::{Deserialize, Serialize};

use crate::crypto::b64url;
use crate::crypto::jwk::PublicJwk;
use crate::ids::KeyId;
use crate::secret::Secret;

/// JWS algorithms the platform signs with (OIDC Core §15.1 makes RS256 mandatory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256, RSA-2048 keys.
    RS256,
    /// ECDSA on P-256 with SHA-256.
    ES256,
}

impl SigningAlg {
    /// Every algorithm a tenant has keys for, in discovery order.
    pub const ALL: [SigningAlg; 2] = [SigningAlg::RS256, SigningAlg::ES256];

    /// The JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::ES256 => "ES256",
        }
    }

    /// Parses the JOSE name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// Key generation or parsing failed inside the crypto library.
#[derive(Debug, thiserror::Error)]
#[error("signing key {0}")]
pub struct KeyError(&'static str);

/// A new key pair: its public JWK and its PKCS#8 private key (to be sealed).
pub struct GeneratedKey {
    /// Algorithm the key signs with.
    pub alg: SigningAlg,
    /// RFC 7638 thumbprint of the public key.
    pub kid: KeyId,
    /// Public half for the JWKS.
    pub public: PublicJwk,
    /// PKCS#8 DER of the private key; seal it before storing.
    pub pkcs8: Secret<Vec<u8>>,
}

impl GeneratedKey {
    /// Generates a key pair for `alg`.
    pub fn generate(alg: SigningAlg) -> Result<Self, KeyError> {
        let (public, pkcs8) = match alg {
            SigningAlg::RS256 => {
                let pair =
                    RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError("generation"))?;
                let der = pair.as_der().map_err(|_| KeyError("encoding"))?;
                (rsa_jwk(&pair), der.as_ref().to_vec())
            }
            SigningAlg::ES256 => {
                let doc = EcdsaKeyPair::generate_pkcs8(
                    &ECDSA_P256_SHA256_FIXED_SIGNING,
                    &SystemRandom::new(),
                )
                .map_err(|_| KeyError("generation"))?;
                let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, doc.as_ref())
                    .map_err(|_| KeyError("parsing"))?;
                (ec_jwk(&pair)?, doc.as_ref().to_vec())
            }
        };
        Ok(Self {
            alg,
            kid: KeyId::new(public.thumbprint()),
            public,
            pkcs8: Secret::new(pkcs8),
        })
    }
}

fn rsa_jwk(pair: &RsaKeyPair) -> PublicJwk {
    let public = pair.public_key();
    PublicJwk::Rsa {
        n: b64url(public.modulus().big_endian_without_leading_zero()),
        e: b64url(public.exponent().big_endian_without_leading_zero()),
    }
}

fn ec_jwk(pair: &EcdsaKeyPair) -> Result<PublicJwk, KeyError> {
    // Uncompressed SEC1 point: 0x04 || X (32 bytes) || Y (32 bytes).
    let point = pair.public_key().as_ref();
    match (point.first(), point.get(1..33), point.get(33..65)) {
        (Some(4), Some(x), Some(y)) => Ok(PublicJwk::Ec {
            crv: "P-256".to_owned(),
            x: b64url(x),
            y: b64url(y),
        }),
        _ => Err(KeyError("public point")),
    }
}

enum Pair {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

/// A parsed key pair, shared by every request that signs with it.
pub struct SigningKey {
    /// Key id, also the JWS `kid` header.
    pub kid: KeyId,
    /// Algorithm.
    pub alg: SigningAlg,
    /// Public half.
    pub public: PublicJwk,
    /// Unix seconds from which the key signs (it is published before).
    pub activates_at: i64,
    /// Unix seconds after which the key is no longer published, if retired.
    pub retires_at: Option<i64>,
    pair: Pair,
    // Parsed once: parsing a public key costs as much as a verification.
    verifier: ParsedPublicKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Parses a PKCS#8 private key once.
    pub fn from_pkcs8(
        alg: SigningAlg,
        pkcs8: &[u8],
        activates_at: i64,
        retires_at: Option<i64>,
    ) -> Result<Self, KeyError> {
        let verification: &'static dyn VerificationAlgorithm = match alg {
            SigningAlg::RS256 => &RSA_PKCS1_2048_8192_SHA256,
            SigningAlg::ES256 => &ECDSA_P256_SHA256_FIXED,
        };
        let (pair, public, verify_key) = match alg {
            SigningAlg::RS256 => {
                let pair = RsaKeyPair::from_pkcs8(pkcs8).map_err(|_| KeyError("parsing"))?;
                let public = rsa_jwk(&pair);
                let verify_key = pair.public_key().as_ref().to_vec();
                (Pair::Rsa(pair), public, verify_key)
            }
            SigningAlg::ES256 => {
                let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8)
                    .map_err(|_| KeyError("parsing"))?;
                let public = ec_jwk(&pair)?;
                let verify_key = pair.public_key().as_ref().to_vec();
                (Pair::Ec(pair), public, verify_key)
            }
        };
        Ok(Self {
            kid: KeyId::new(public.thumbprint()),
            alg,
            public,
            activates_at,
            retires_at,
            pair,
            verifier: ParsedPublicKey::new(verification, verify_key)
                .map_err(|_| KeyError("public key"))?,
        })
    }

    /// Whether `signature` is this key's signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        self.verifier.verify_sig(message, signature).is_ok()
    }

    /// Signs `header.payload` and returns the compact JWS. `typ` goes in the
    /// header (`JWT`, or `at+jwt` for RFC 9068 access tokens).
    pub fn sign_jwt<C: Serialize>(&self, typ: &str, claims: &C) -> Result<String, KeyError> {
        let header = serde_json::json!({ "alg": self.alg.as_str(), "typ": typ, "kid": self.kid });
        let header = serde_json::to_vec(&header).map_err(|_| KeyError("header"))?;
        let payload = serde_json::to_vec(claims).map_err(|_| KeyError("claims"))?;
        let mut jws = format!("{}.{}", b64url(&header), b64url(&payload));
        let rng = SystemRandom::new();
        let signature = match &self.pair {
            Pair::Rsa(pair) => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, jws.as_bytes(), &mut sig)
                    .map_err(|_| KeyError("signing"))?;
                sig
            }
            Pair::Ec(pair) => pair
                .sign(&rng, jws.as_bytes())
                .map_err(|_| KeyError("signing"))?
                .as_ref()
                .to_vec(),
        };
        jws.push('.');
        jws.push_str(&b64url(&signature));
        Ok(jws)
    }

    /// Whether the key may sign at `now` (unix seconds): active and not yet
    /// retired. A key being rotated out keeps signing until its successor
    /// activates ([`KeyRing::signer`] takes the newest), so there is never a
    /// moment without a signer.
    pub fn signs_at(&self, now: i64) -> bool {
        self.activates_at <= now && self.retires_at.is_none_or(|r| now < r)
    }

    /// Whether the key belongs in the JWKS at `now`.
    pub fn published_at(&self, now: i64) -> bool {
        self.retires_at.is_none_or(|r| now < r)
    }
}

/// A tenant's parsed keys, shared as `Arc` and replaced whole on reload.
#[derive(Debug, Default)]
pub struct KeyRing {
    keys: Vec<Arc<SigningKey>>,
}

impl KeyRing {
    /// A ring over `keys`.
    pub fn new(keys: Vec<SigningKey>) -> Self {
        Self {
            keys: keys.into_iter().map(Arc::new).collect(),
        }
    }

    /// The newest key of `alg` that signs at `now`.
    pub fn signer(&self, alg: SigningAlg, now: i64) -> Option<&Arc<SigningKey>> {
        self.keys
            .iter()
            .filter(|k| k.alg == alg && k.signs_at(now))
            .max_by_key(|k| k.activates_at)
    }

    /// `(kid, activates_at, retires_at)` of every key, in ring order.
    pub fn schedule(&self) -> Vec<(&str, i64, Option<i64>)> {
        self.keys
            .iter()
            .map(|k| (k.kid.as_str(), k.activates_at, k.retires_at))
            .collect()
    }

    /// The published key with `kid` at `now`.
    pub fn published_key(&self, kid: &str, now: i64) -> Option<&Arc<SigningKey>> {
        self.published(now).find(|k| k.kid.as_str() == kid)
    }

    /// Keys to publish at `now`.
    pub fn published(&self, now: i64) -> impl Iterator<Item = &Arc<SigningKey>> {
        self.keys.iter().filter(move |k| k.published_at(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};

    fn verify(jwt: &str, key: &SigningKey) -> serde_json::Value {
        let decoding = match &key.public {
            PublicJwk::Rsa { n, e } => DecodingKey::from_rsa_components(n, e).expect("rsa"),
            PublicJwk::Ec { x, y, .. } => DecodingKey::from_ec_components(x, y).expect("ec"),
        };
        let alg = match key.alg {
            SigningAlg::RS256 => Algorithm::RS256,
            SigningAlg::ES256 => Algorithm::ES256,
        };
        let mut validation = Validation::new(alg);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        decode::<serde_json::Value>(jwt, &decoding, &validation)
            .expect("verifies")
            .claims
    }

    #[test]
    fn generated_keys_sign_verifiable_jwts() {
        for alg in SigningAlg::ALL {
            let generated = GeneratedKey::generate(alg).expect("generate");
            let key =
                SigningKey::from_pkcs8(alg, generated.pkcs8.expose(), 0, None).expect("parse");
            assert_eq!(key.kid, generated.kid);
            assert_eq!(key.public, generated.public);
            let jwt = key
                .sign_jwt("at+jwt", &serde_json::json!({"sub": "x"}))
                .expect("sign");
            let header = decode_header(&jwt).expect("header");
            assert_eq!(header.kid.as_deref(), Some(key.kid.as_str()));
            assert_eq!(header.typ.as_deref(), Some("at+jwt"));
            assert_eq!(verify(&jwt, &key)["sub"], "x");
        }
    }

    #[test]
    fn rsa_modulus_is_2048_bits() {
        let generated = GeneratedKey::generate(SigningAlg::RS256).expect("generate");
        let PublicJwk::Rsa { n, .. } = generated.public else {
            unreachable!("RS256 makes RSA keys")
        };
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(n)
            .expect("b64");
        assert_eq!(bytes.len() * 8, 2048);
    }

    #[test]
    fn ring_picks_newest_active_and_hides_retired() {
        let make = |activates, retires| {
            let g = GeneratedKey::generate(SigningAlg::ES256).expect("generate");
            SigningKey::from_pkcs8(SigningAlg::ES256, g.pkcs8.expose(), activates, retires)
                .expect("parse")
        };
        let ring = KeyRing::new(vec![
            make(10, None),
            make(20, None),
            make(30, None),
            make(0, Some(15)),
        ]);
        assert_eq!(
            ring.signer(SigningAlg::ES256, 25).map(|k| k.activates_at),
            Some(20)
        );
        assert!(ring.signer(SigningAlg::RS256, 25).is_none());
        assert_eq!(ring.published(14).count(), 4);
        assert_eq!(ring.published(16).count(), 3);
    }
}
