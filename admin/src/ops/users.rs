//! Users: create, list, find, update, set the password, unlock, delete.

use idp::domain::user::{NewUser, User, UserId};
use idp::platform::Platform;
use idp::secret::Secret;
use idp::store::StoreError;
use idp::store::queries::{consents as consent_queries, users as user_queries, watermarks};
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::revocations::{self, Target};
use super::{Edit, EditError, OpError};
use crate::scope::TenantScope;

/// The tenant's password rule (its `sign_in.password_min_length`, at most
/// 256 characters).
fn check_password(scope: &TenantScope, password: Option<&Secret<String>>) -> Result<(), OpError> {
    let min = usize::try_from(scope.tenant().policy.sign_in.password_min_length).unwrap_or(8);
    match password.map(|p| p.expose().chars().count()) {
        Some(n) if n < min || n > 256 => Err(OpError::Invalid(format!(
            "a password of this tenant is {min} to 256 characters"
        ))),
        _ => Ok(()),
    }
}

/// Registers a user.
pub async fn create(
    platform: &Platform,
    scope: &TenantScope,
    new: NewUser,
) -> Result<User, OpError> {
    check_password(scope, new.password.as_ref())?;
    let scope_in = scope.clone();
    let audit = Audit::row(move |user: &User| {
        let detail = json!({ "username": user.username, "email": user.email });
        scope_in.audit("user.create", "user", user.id.as_str(), detail)
    });
    Ok(idp::users::create_audited(platform, scope.tenant().id, new, audit).await?)
}

/// The tenant's users by id after `after`; `limit + 1` of them. With
/// `login`, only the user whose id, username or email (compared lower-cased)
/// it is.
pub async fn list(
    platform: &Platform,
    scope: &TenantScope,
    login: Option<String>,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<User>, OpError> {
    let tenant = scope.tenant().id;
    Ok(platform
        .db
        .run(move |conn| {
            user_queries::list(conn, tenant, login.as_deref(), after.as_deref(), limit + 1)
        })
        .await?)
}

/// The user `id` of the scope's tenant; not found for any other tenant's.
pub async fn find(platform: &Platform, scope: &TenantScope, id: &str) -> Result<User, OpError> {
    let (tenant, id) = (scope.tenant().id, UserId::new(id));
    platform
        .db
        .run(move |conn| user_queries::find(conn, tenant, &id))
        .await?
        .ok_or(OpError::NotFound("user"))
}

/// Locks the user's row for the transaction, then reads it.
fn locked(
    conn: &mut idp::store::DbConnection,
    scope: &TenantScope,
    id: &UserId,
) -> Result<User, OpError> {
    user_queries::lock(conn, scope.tenant().id, id)?.ok_or(OpError::NotFound("user"))
}

/// The registration rules for `email`, as the user's new address.
fn checked_email(user: &User, email: Option<String>) -> Result<Option<String>, OpError> {
    let checked = NewUser {
        username: user.username.clone(),
        email,
        email_verified: false,
        password: None,
        profile: Default::default(),
    }
    .validate()
    .map_err(OpError::invalid)?;
    Ok(checked.email)
}

/// Applies `edit` (email, its verification, profile, enabled); disabling
/// kills every token and session of the user.
pub async fn update<E: EditError>(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    edit: Edit<User, E>,
) -> Result<User, E> {
    let (scope_in, id) = (scope.clone(), UserId::new(id));
    let tenant = scope.tenant().id;
    let (fields, apply) = (edit.fields, edit.apply);
    let audit = {
        let scope = scope.clone();
        Audit::row(move |user: &User| {
            let detail = json!({ "fields": fields });
            scope.audit("user.update", "user", user.id.as_str(), detail)
        })
    };
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            let current = locked(conn, &scope_in, &id)?;
            let mut next = apply(&current)?;
            if next.email != current.email {
                next.email = checked_email(&current, next.email.take())?;
            }
            user_queries::update(conn, tenant, &next, now).map_err(|e| match e {
                StoreError::Conflict(_) => {
                    OpError::Conflict("a user with this email exists".into())
                }
                other => other.into(),
            })?;
            if current.enabled && !next.enabled {
                revocations::revoke_all(conn, tenant, &Target::User(id.as_str().to_owned()), now)?;
            }
            Ok(next)
        })
        .await
}

/// Sets the password (argon2id) and kills the user's tokens and sessions.
pub async fn set_password(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    password: Secret<String>,
) -> Result<(), OpError> {
    check_password(scope, Some(&password))?;
    let passwords = platform.passwords.clone();
    let hash = tokio::task::spawn_blocking(move || passwords.hash(&password))
        .await
        .map_err(|e| OpError::Internal(e.to_string()))?
        .map_err(|e| OpError::Internal(e.to_string()))?;
    let (scope_in, id) = (scope.clone(), UserId::new(id));
    let audit = {
        let (scope, id) = (scope.clone(), id.clone());
        Audit::row(move |_: &()| scope.audit("user.set_password", "user", id.as_str(), json!({})))
    };
    platform
        .change(Reach::Tenant(scope.tenant().id), audit, move |conn, now| {
            let tenant = scope_in.tenant().id;
            locked(conn, &scope_in, &id)?;
            user_queries::set_password_hash(conn, tenant, &id, &hash, now)?;
            revocations::revoke_all(conn, tenant, &Target::User(id.as_str().to_owned()), now)?;
            Ok(())
        })
        .await
}

/// Lifts the sign-in lock, and starts a fresh attempt count on the account
/// in every server process (a watermark moves the counters'
/// epoch; the servers read it at their next change poll).
pub async fn unlock(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), OpError> {
    let (scope_in, id) = (scope.clone(), UserId::new(id));
    let audit = {
        let (scope, id) = (scope.clone(), id.clone());
        Audit::row(move |_: &()| scope.audit("user.unlock", "user", id.as_str(), json!({})))
    };
    platform
        .change(Reach::Tenant(scope.tenant().id), audit, move |conn, now| {
            let user = locked(conn, &scope_in, &id)?;
            let tenant = scope_in.tenant().id;
            // Negative: "unlocked at", honoured before the servers see the
            // new attempt-count epoch (see `User::unlocked_after`).
            user_queries::set_locked_until(conn, tenant, &user.id, Some(-now), now)?;
            let subject = idp::domain::watermarks::sign_in_attempts(user.id.as_str());
            watermarks::raise(conn, tenant, &subject, now, now + UNLOCK_KEEP_SECS)?;
            Ok(())
        })
        .await
}

/// How long an unlock's epoch is kept: longer than the attempt window.
const UNLOCK_KEEP_SECS: i64 = 24 * 3600;

/// Deletes the user and their consents; their tokens and sessions die.
pub async fn delete(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), OpError> {
    let (scope_in, id) = (scope.clone(), UserId::new(id));
    let audit = {
        let (scope, id) = (scope.clone(), id.clone());
        Audit::row(move |_: &()| scope.audit("user.delete", "user", id.as_str(), json!({})))
    };
    platform
        .change(Reach::Tenant(scope.tenant().id), audit, move |conn, now| {
            let tenant = scope_in.tenant().id;
            locked(conn, &scope_in, &id)?;
            consent_queries::delete_of_user(conn, tenant, id.as_str())?;
            user_queries::delete(conn, tenant, &id)?;
            revocations::revoke_all(conn, tenant, &Target::User(id.as_str().to_owned()), now)?;
            Ok(())
        })
        .await
}
