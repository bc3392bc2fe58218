//! The admin service over HTTP, booted beside a server on one database: one
//! module per resource or concern (the CLI, the OpenAPI document and its
//! fuzzing, propagation to servers, durability).

mod cli;
mod cli_parity;
mod durability;
mod fuzz;
mod keys;
mod openapi;
mod people;
mod propagation;
mod refusals;
mod resources;
mod revocation;
mod tenants;
mod validation;
