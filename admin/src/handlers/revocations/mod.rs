//! Bulk revocation: every token and session of a user, a client or the whole
//! tenant (RVK-06), through not-before watermarks.

pub mod create;
