//! The admin service: a JSON API under `/v1`, described by the OpenAPI
//! document it serves at `/openapi.json`, for tenants, APIs, clients, users,
//! consents, revocation, signing keys, admin rights and the audit log; and
//! the `idp-admin` CLI (bootstrap and scripting).
//!
//! Callers present access tokens the platform itself issued from the
//! built-in `system` tenant ([`auth`]); permissions are types ([`scope`]).
//! [`handlers`] speak HTTP: they turn requests into domain inputs and call
//! [`ops`], which speak the domain and write every change, its audit row
//! and its announcement through one helper; [`errors`] maps their errors
//! to HTTP in one place.

pub mod app;
pub mod auth;
pub mod body;
pub mod boot;
pub mod bootstrap;
pub mod cli;
pub mod errors;
pub mod etag;
pub mod handlers;
pub mod openapi;
pub mod ops;
pub mod page;
pub mod patch;
pub mod refusals;
pub mod respond;
pub mod routes;
pub mod scope;
pub mod state;
