//! Wire vocabulary with no I/O: parameter values and discovery metadata.

pub mod error;
pub mod metadata;
pub mod params;
