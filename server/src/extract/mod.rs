//! Request extractors shared by endpoints.

pub mod client_auth;
pub mod form;
