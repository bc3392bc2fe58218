//! Admin operations on the shared database. Each takes the scope a
//! permission check produced, and writes its change and audit row in one
//! transaction, then announces the change to the server processes.

pub mod admins;
pub mod apis;
pub mod audit;
pub mod clients;
pub mod consents;
pub mod keys;
pub mod revocations;
pub mod tenants;
pub mod users;

use idp::store::DbConnection;
use idp::store::StoreError;
use idp::store::queries::audit::AuditRecord;

/// Writes `record` inside the caller's transaction.
pub fn audit(conn: &mut DbConnection, record: &AuditRecord) -> Result<(), StoreError> {
    idp::store::queries::audit::insert(conn, record)
}

/// Merges the top-level fields of `patch` into `current` and decodes the
/// result: the way partial updates of JSON-stored settings work.
pub fn merge<T>(current: &T, patch: serde_json::Value) -> Result<T, crate::errors::AdminError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let serde_json::Value::Object(fields) = patch else {
        return Err(crate::errors::AdminError::Invalid(
            "expected a JSON object of fields to change".into(),
        ));
    };
    let mut merged = serde_json::to_value(current)
        .map_err(|e| crate::errors::AdminError::Internal(e.to_string()))?;
    if let serde_json::Value::Object(target) = &mut merged {
        target.extend(fields);
    }
    serde_json::from_value(merged).map_err(crate::errors::AdminError::invalid)
}
