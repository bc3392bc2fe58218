//! Row types, one file per table (or pair of tables).

pub mod api;
pub mod client;
pub mod signing_key;
pub mod tenant;
pub mod token;
pub mod user;
