//! Verification of JWTs this platform signed (RFC 7515 §5.2): the header's
//! `kid` must name a published key of the tenant whose `alg` matches; the
//! signature is checked before the payload is read.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::crypto::keys::{KeyRing, SigningAlg};

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
}

/// A JWT whose signature verified.
#[derive(Debug)]
pub struct Verified<C> {
    /// The `typ` header (`at+jwt` for access tokens).
    pub typ: Option<String>,
    /// The payload.
    pub claims: C,
}

/// Verifies `token` against `ring` at `now`; `None` for anything else
/// (malformed, unknown key, wrong algorithm, bad signature, bad payload).
pub fn verify<C: DeserializeOwned>(ring: &KeyRing, token: &str, now: i64) -> Option<Verified<C>> {
    let mut parts = token.split('.');
    let (header64, payload64, signature64) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header64).ok()?).ok()?;
    let key = ring.published_key(header.kid.as_deref()?, now)?;
    if SigningAlg::parse(&header.alg)? != key.alg {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature64).ok()?;
    let signed_len = header64.len() + 1 + payload64.len();
    if !key.verify(token.get(..signed_len)?.as_bytes(), &signature) {
        return None;
    }
    let claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload64).ok()?).ok()?;
    Some(Verified {
        typ: header.typ,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keys::{GeneratedKey, SigningKey};
    use serde_json::{Value, json};

    fn ring() -> KeyRing {
        let keys = SigningAlg::ALL
            .into_iter()
            .map(|alg| {
                let g = GeneratedKey::generate(alg).expect("generate");
                SigningKey::from_pkcs8(alg, g.pkcs8.expose(), 0, None).expect("parse")
            })
            .collect();
        KeyRing::new(keys)
    }

    #[test]
    fn verifies_own_tokens_and_nothing_else() {
        let ring = ring();
        let other = ring_other();
        for alg in SigningAlg::ALL {
            let key = ring.signer(alg, 1).expect("signer");
            let jwt = key.sign_jwt("at+jwt", &json!({"sub": "s"})).expect("sign");
            let verified = verify::<Value>(&ring, &jwt, 1).expect("verifies");
            assert_eq!(verified.claims["sub"], "s");
            assert_eq!(verified.typ.as_deref(), Some("at+jwt"));
            assert!(verify::<Value>(&other, &jwt, 1).is_none(), "another ring");
            let mut tampered = jwt.clone();
            tampered.insert(jwt.find('.').expect("dot") + 2, 'A');
            assert!(verify::<Value>(&ring, &tampered, 1).is_none());
            assert!(verify::<Value>(&ring, &format!("{jwt}.x"), 1).is_none());
        }
        assert!(verify::<Value>(&ring, "garbage", 1).is_none());
        assert!(verify::<Value>(&ring, "a.b.c", 1).is_none());
        // alg=none with a known kid is refused.
        let kid = ring
            .signer(SigningAlg::ES256, 1)
            .expect("signer")
            .kid
            .to_string();
        let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"none","kid":"{kid}"}}"#));
        let payload = URL_SAFE_NO_PAD.encode(r#"{"sub":"s"}"#);
        assert!(verify::<Value>(&ring, &format!("{header}.{payload}."), 1).is_none());
    }

    fn ring_other() -> KeyRing {
        ring()
    }
}
