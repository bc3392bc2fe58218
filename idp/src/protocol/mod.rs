//! Wire vocabulary with no I/O: parameter values and discovery metadata.

pub mod metadata;
pub mod params;
