//! Domain, storage and crypto shared by the authorization server and the admin
//! service. Nothing here knows about HTTP.
//!
//! - [`ids`]: validated identifiers (tenant slug rule from DESIGN).
//! - [`secret`]: values that never print and compare in constant time.
//! - [`clock`]: the injectable clock every expiry is measured against.
//! - [`config`]: configuration, loaded from defaults, a TOML file and the environment.
//! - [`protocol`]: wire vocabulary with no I/O (discovery metadata, error codes).
//! - [`domain`]: rules with no I/O (tenants and their policies).
//! - [`crypto`]: tenant signing keys, encryption at rest, first-start secrets.
//! - [`store`]: durable data through diesel on PostgreSQL or SQLite.
//! - [`ephemeral`]: short-lived data on Redis or in process; [`codes`]: single-use
//!   authorization codes and [`sessions`]: SSO sessions on top of it.
//! - [`changes`]: change notifications and the database change counter.
//! - [`platform`]: the assembled backends a process runs on.
//! - [`tenants`], [`clients`], [`apis`], [`tokens`], [`users`], [`consents`], [`grants`]: operations both binaries
//!   use; each change is written with its change-counter bump and announced.
//! - [`writes`]: the one path a change takes (its audit row, the tenant's
//!   revision bump, the announcement), so no writer can forget a step.

pub mod apis;
pub mod changes;
pub mod clients;
pub mod clock;
pub mod codes;
pub mod config;
pub mod consents;
pub mod crypto;
pub mod domain;
pub mod ephemeral;
pub mod grants;
pub mod ids;
pub mod logging;
pub mod platform;
pub mod protocol;
pub mod secret;
pub mod sessions;
pub mod store;
pub mod tenants;
pub mod tokens;
pub mod users;
pub mod writes;
