//! The `idp-admin` command line: `serve`, `bootstrap`, and scripting
//! subcommands that call the admin API with a token.

pub mod admins;
pub mod api;
pub mod apis;
pub mod call;
pub mod clients;
pub mod commands;
pub mod consents;
pub mod keys;
pub mod login;
pub mod output;
#[cfg(test)]
mod parity;
pub mod tenants;
pub mod users;
