//! Grant rules, one file per grant type.

pub mod authorization_code;
pub mod client_credentials;
