//! Rows of `clients`. Settings that need no index live in one JSON column.

use crate::domain::client::{AuthMethod, Client, ClientSettings, SecretDigests};
use crate::ids::ClientId;
use crate::store::StoreError;
use crate::store::schema::clients;
use diesel::prelude::*;

/// A stored client.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
pub struct ClientRow {
    /// Owner.
    pub tenant_id: String,
    /// `client_id`.
    pub client_id: String,
    /// Display name.
    pub name: String,
    /// Holds a secret.
    pub confidential: bool,
    /// RFC 7591 method name.
    pub auth_method: String,
    /// Keyed digest of the current secret.
    pub secret_digest: Option<Vec<u8>>,
    /// Keyed digest of the previous secret, during a rotation.
    pub previous_secret_digest: Option<Vec<u8>>,
    /// When the previous secret stops working.
    pub previous_secret_expires_at: Option<i64>,
    /// JSON [`ClientSettings`].
    pub settings: String,
    /// Enabled flag.
    pub enabled: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

impl TryFrom<ClientRow> for Client {
    type Error = StoreError;

    fn try_from(row: ClientRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("client {}: {what}", row.client_id));
        let settings: ClientSettings =
            serde_json::from_str(&row.settings).map_err(|_| corrupt("settings"))?;
        let auth_method =
            AuthMethod::parse(&row.auth_method).ok_or_else(|| corrupt("auth method"))?;
        let previous = match (row.previous_secret_digest, row.previous_secret_expires_at) {
            (Some(digest), Some(until)) => Some((digest, until)),
            _ => None,
        };
        Ok(Client {
            id: ClientId::new(row.client_id),
            name: row.name,
            confidential: row.confidential,
            auth_method,
            secrets: SecretDigests {
                current: row.secret_digest,
                previous,
            },
            settings,
            enabled: row.enabled,
        })
    }
}
