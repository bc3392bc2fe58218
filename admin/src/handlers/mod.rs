//! One module per resource, one file per action.

pub mod audit;
pub mod health;
pub mod tenants;
