//! Query functions, one file per table. Functions on tenant-scoped tables take
//! the tenant first.

pub mod admin_grants;
pub mod apis;
pub mod audit;
pub mod changes;
pub mod clients;
pub mod consents;
pub mod platform_state;
pub mod refresh_tokens;
pub mod signing_keys;
pub mod tenants;
pub mod tokens;
pub mod users;
pub mod watermarks;
