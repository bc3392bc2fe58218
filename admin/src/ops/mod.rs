//! Admin operations in the domain's terms. Each takes the scope a
//! permission check produced and domain inputs, and answers with domain
//! values or an [`OpError`]; `crate::errors` maps that to HTTP in one
//! place. Every write goes through [`idp::platform::Platform::change`],
//! which writes the audit row and bumps the tenant's revision in the
//! change's transaction and announces it afterwards.

pub mod admins;
pub mod apis;
pub mod audit;
pub mod clients;
pub mod consents;
mod error;
pub mod keys;
pub mod revocations;
pub mod tenants;
pub mod users;

pub use error::OpError;

/// An edit of one object: the fields the caller named (for the audit row)
/// and how the new version is made from the current one. `apply` runs in
/// the change's transaction after the row is locked, so it may check the
/// caller's precondition (an ETag) against exactly what it edits; its
/// error type is the caller's, so such a refusal passes through unchanged.
pub struct Edit<T, E> {
    /// Names of the fields the request changes.
    pub fields: Vec<String>,
    /// Makes the new version, or refuses (nothing is then written).
    pub apply: Apply<T, E>,
}

/// How an [`Edit`] makes the new version from the current one.
pub type Apply<T, E> = Box<dyn FnOnce(&T) -> Result<T, E> + Send>;

impl<T, E> Edit<T, E> {
    /// An edit of `fields` made by `apply`.
    pub fn new(
        fields: Vec<String>,
        apply: impl FnOnce(&T) -> Result<T, E> + Send + 'static,
    ) -> Self {
        Self {
            fields,
            apply: Box::new(apply),
        }
    }
}

/// What an edit's caller can fail with: its own refusals, and every
/// operation error.
pub trait EditError: From<OpError> + From<idp::store::StoreError> + Send + 'static {}

impl<E> EditError for E where E: From<OpError> + From<idp::store::StoreError> + Send + 'static {}
