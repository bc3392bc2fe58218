//! Grant rules, one file per grant type.

pub mod client_credentials;
