//! Tokens: RFC 9068 access-token claims and lifetimes; ID-token claims.

pub mod access_token;
pub mod id_token;
