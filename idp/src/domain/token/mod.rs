//! Tokens: RFC 9068 access-token claims and lifetimes.

pub mod access_token;
