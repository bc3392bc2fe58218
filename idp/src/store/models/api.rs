//! Rows of `apis`.

use diesel::prelude::*;

use crate::domain::api::Api;
use crate::store::StoreError;
use crate::store::schema::apis;

/// A stored API; `scopes` is JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = apis)]
pub struct ApiRow {
    /// Owner.
    pub tenant_id: String,
    /// Internal id.
    pub id: String,
    /// Audience value.
    pub identifier: String,
    /// Display name.
    pub name: String,
    /// JSON list of scopes.
    pub scopes: String,
    /// Default API of the tenant.
    pub is_default: bool,
    /// Unix seconds.
    pub created_at: i64,
}

impl TryFrom<ApiRow> for Api {
    type Error = StoreError;

    fn try_from(row: ApiRow) -> Result<Self, StoreError> {
        Ok(Api {
            scopes: serde_json::from_str(&row.scopes)
                .map_err(|_| StoreError::Corrupt(format!("api {} scopes", row.id)))?,
            id: row.id,
            identifier: row.identifier,
            name: row.name,
            is_default: row.is_default,
        })
    }
}
