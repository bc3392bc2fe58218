//! Tokens: RFC 9068 access-token claims, lifetimes and activity; ID-token
//! claims; the claims UserInfo releases.

pub mod access_token;
pub mod id_token;
pub mod userinfo;
