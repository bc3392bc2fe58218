//! The token endpoint, one module per grant: the authorization code
//! (RFC 6749 §4.1), client credentials (§4.4) and refresh tokens (§6).

pub(crate) mod authorization_code;
mod client_credentials;
mod refresh;
