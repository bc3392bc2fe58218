//! End-to-end tests against the real server, on the backend the environment
//! selects (see `support`). Modules follow what they exercise.

mod support;

mod actors;
mod browser_smoke;
mod changes;
mod codes;
mod consents;
mod discovery;
mod durability;
mod faults;
mod introspect;
mod jwks;
mod migrations;
mod persistence;
mod sessions;
mod smoke;
mod tenancy;
mod token;
mod users;
