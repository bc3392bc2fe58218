//! One module per resource, one file per action.

pub mod admins;
pub mod apis;
pub mod audit;
pub mod clients;
pub mod consents;
pub mod health;
pub mod keys;
pub mod revocations;
pub mod scopes;
pub mod tenants;
pub mod users;
