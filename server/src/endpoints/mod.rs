//! Protocol endpoints, one file each, named by the spec.

pub mod discovery;
pub mod health;
pub mod jwks;
