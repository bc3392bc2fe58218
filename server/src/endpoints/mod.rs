//! Protocol endpoints and hosted pages, one file each, named by the spec.

pub mod authorize;
pub mod consent;
pub mod discovery;
pub mod health;
pub mod introspect;
pub mod jwks;
pub mod login;
pub mod logout;
pub mod revoke;
pub mod token;
pub mod userinfo;
