//! Public JSON Web Keys (RFC 7517 §4, RFC 7518 §6) and their thumbprints
//! (RFC 7638), which serve as key ids.

use serde::{Deserialize, Serialize};

use crate::crypto::{b64url, sha256};

/// The public half of a signing key, as published in the JWKS. It has no
/// field that could carry private material (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kty")]
pub enum PublicJwk {
    /// RSA public key: modulus and exponent, big-endian base64url.
    #[serde(rename = "RSA")]
    Rsa {
        /// Modulus.
        n: String,
        /// Public exponent.
        e: String,
    },
    /// Elliptic-curve public key on P-256.
    #[serde(rename = "EC")]
    Ec {
        /// Curve name, `P-256`.
        crv: String,
        /// X coordinate.
        x: String,
        /// Y coordinate.
        y: String,
    },
}

impl PublicJwk {
    /// RFC 7638 thumbprint: SHA-256 over the required members in lexicographic
    /// order, with no white space.
    pub fn thumbprint(&self) -> String {
        let canonical = match self {
            Self::Rsa { n, e } => format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#),
            Self::Ec { crv, x, y } => {
                format!(r#"{{"crv":"{crv}","kty":"EC","x":"{x}","y":"{y}"}}"#)
            }
        };
        b64url(&sha256(canonical.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_example_thumbprint() {
        // RFC 7638 §3.1.
        let jwk = PublicJwk::Rsa {
            n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw".to_owned(),
            e: "AQAB".to_owned(),
        };
        assert_eq!(
            jwk.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }
}
