//! End-to-end tests against the real server, on the backend the environment
//! selects (see `support`). Modules follow what they exercise.

mod support;

mod actors;
mod admin_cli;
mod admin_durability;
mod admin_fuzz;
mod admin_keys;
mod admin_openapi;
mod admin_people;
mod admin_propagation;
mod admin_resources;
mod admin_revocation;
mod admin_tenants;
mod authorize;
mod browser_flow;
mod browser_smoke;
mod changes;
mod code_grant;
mod codes;
mod consents;
mod cors;
mod discovery;
mod durability;
mod faults;
mod introspect;
mod jwks;
mod lockout;
mod logout;
mod migrations;
mod nul_input;
mod pages;
mod persistence;
mod refresh;
mod sessions;
mod signin;
mod smoke;
mod subkeys;
mod tenancy;
mod token;
mod userinfo;
mod users;
