//! Users: create, list, read, update, set the password, unlock, delete.

pub mod create;
pub mod delete;
pub mod list;
pub mod password;
pub mod read;
pub mod unlock;
pub mod update;

use idp::domain::user::{Profile, User};
use serde::Serialize;
use utoipa::ToSchema;

/// A user as the API shows it (never a password or its hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// `sub`.
    pub id: String,
    /// Login name.
    pub username: Option<String>,
    /// Email address (lower-cased).
    pub email: Option<String>,
    /// Whether the address is verified.
    pub email_verified: bool,
    /// Profile claims.
    #[schema(value_type = Object)]
    pub profile: Profile,
    /// A disabled user cannot sign in and their tokens are dead.
    pub enabled: bool,
    /// Until when sign-in is locked (unix seconds) after repeated failures.
    pub locked_until: Option<i64>,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.as_str().to_owned(),
            username: user.username.clone(),
            email: user.email.clone(),
            email_verified: user.email_verified,
            profile: user.profile.clone(),
            enabled: user.enabled,
            locked_until: user.locked_until.filter(|at| *at > 0),
        }
    }
}
