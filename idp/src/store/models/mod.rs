//! Row types, one file per table: `XRow` read, `NewXRow` insert.

pub mod signing_key;
pub mod tenant;
