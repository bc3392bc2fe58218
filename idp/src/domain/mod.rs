//! Rules with no I/O: tenants and their policies, clients, APIs, scopes,
//! authorization requests, PKCE, grants and tokens.

pub mod api;
pub mod authorize;
pub mod client;
pub mod grant;
pub mod pkce;
pub mod policy;
pub mod redirect_uri;
pub mod scope;
pub mod tenant;
pub mod token;
pub mod user;
pub mod watermarks;
