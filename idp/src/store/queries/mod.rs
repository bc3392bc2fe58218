//! Query functions, one file per table. Functions on tenant-scoped tables take
//! the tenant first.

pub mod changes;
pub mod signing_keys;
pub mod tenants;
