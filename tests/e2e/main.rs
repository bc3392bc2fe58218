//! End-to-end tests against the real server, on the backend the environment
//! selects (see `support`). Modules follow what they exercise.

mod support;

mod actors;
mod admin;
mod authorize;
mod browser_flow;
mod browser_smoke;
mod changes;
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
mod sessions;
mod signin;
mod smoke;
mod subkeys;
mod tenancy;
mod token;
mod userinfo;
mod users;
