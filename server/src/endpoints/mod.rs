//! Protocol endpoints, one file each, named by the spec (the hosted pages
//! are in `crate::pages`).

pub mod authorize;
pub mod discovery;
pub mod health;
pub mod introspect;
pub mod jwks;
pub mod logout;
pub mod revoke;
pub mod token;
pub mod userinfo;
