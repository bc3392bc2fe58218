//! Rows of `tenants`.

use diesel::prelude::*;

use crate::domain::policy::TenantPolicy;
use crate::domain::tenant::Tenant;
use crate::ids::{TenantId, TenantSlug};
use crate::store::StoreError;
use crate::store::schema::tenants;

/// A stored tenant.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenants)]
pub struct TenantRow {
    /// UUID text.
    pub id: String,
    /// Slug.
    pub slug: String,
    /// Display name.
    pub display_name: String,
    /// Policy JSON.
    pub policy: String,
    /// Enabled flag.
    pub enabled: bool,
    /// Change counter value of the last change.
    pub revision: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

/// A tenant to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenantRow<'a> {
    /// UUID text.
    pub id: String,
    /// Slug.
    pub slug: &'a str,
    /// Display name.
    pub display_name: &'a str,
    /// Policy JSON.
    pub policy: String,
    /// Enabled flag.
    pub enabled: bool,
    /// Change counter value.
    pub revision: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

impl TryFrom<TenantRow> for Tenant {
    type Error = StoreError;

    fn try_from(row: TenantRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("tenant {}: {what}", row.id));
        Ok(Tenant {
            id: TenantId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
            slug: TenantSlug::parse(&row.slug).map_err(|_| corrupt("slug"))?,
            policy: serde_json::from_str::<TenantPolicy>(&row.policy)
                .map_err(|_| corrupt("policy"))?,
            display_name: row.display_name,
            enabled: row.enabled,
            revision: row.revision,
        })
    }
}
