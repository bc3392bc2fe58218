//! Rows of `users`.

use diesel::prelude::*;

use crate::domain::user::{Profile, User, UserId};
use crate::store::StoreError;
use crate::store::schema::users;

/// A stored user, password hash included (it never leaves the store layer
/// except for verification).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Owner.
    pub tenant_id: String,
    /// `sub`.
    pub id: String,
    /// Login name.
    pub username: Option<String>,
    /// Lower-cased email address.
    pub email: Option<String>,
    /// Verified flag.
    pub email_verified: bool,
    /// argon2id PHC string.
    pub password_hash: Option<String>,
    /// JSON profile claims.
    pub profile: String,
    /// Enabled flag.
    pub enabled: bool,
    /// Lock expiry, unix seconds.
    pub locked_until: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        let profile: Profile = serde_json::from_str(&row.profile)
            .map_err(|_| StoreError::Corrupt(format!("user {} profile", row.id)))?;
        Ok(User {
            id: UserId::new(row.id),
            username: row.username,
            email: row.email,
            email_verified: row.email_verified,
            profile,
            enabled: row.enabled,
            locked_until: row.locked_until,
        })
    }
}
