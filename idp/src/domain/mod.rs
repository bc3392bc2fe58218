//! Rules with no I/O: tenants and their policies.

pub mod policy;
pub mod tenant;
