//! Request extractors shared by endpoints.

pub mod bearer;
pub mod client_auth;
pub mod form;
