//! Protocol endpoints, one file each, named by the spec.

pub mod discovery;
pub mod health;
pub mod introspect;
pub mod jwks;
pub mod revoke;
pub mod token;
