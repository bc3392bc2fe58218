//! The `idp-admin` command line: `serve`, `bootstrap`, and scripting
//! subcommands that call the admin API with a token.

pub mod api;
pub mod commands;
pub mod login;
pub mod output;
