//! Users: create, list, find, update, set the password, unlock, delete.

use diesel::prelude::*;
use idp::domain::user::{NewUser, User, UserId};
use idp::platform::Platform;
use idp::secret::Secret;
use idp::store::models::user::UserRow;
use idp::store::queries::users as user_queries;
use idp::store::schema::{consents, users::dsl};
use idp::store::{DbConnection, StoreError};
use idp::users::UserOpError;
use idp::writes::Audit;
use serde_json::json;

use super::revocations::{self, Target};
use crate::errors::AdminError;
use crate::etag::{self, IfMatch};
use crate::handlers::users::UserView;
use crate::handlers::users::create::CreateUser;
use crate::handlers::users::update::UpdateUser;
use crate::scope::TenantScope;

fn from_op(error: UserOpError) -> AdminError {
    match error {
        UserOpError::Invalid(e) => AdminError::invalid(e),
        UserOpError::Taken => {
            AdminError::Conflict("a user with this username or email exists".into())
        }
        UserOpError::Hashing => AdminError::Internal("password hashing failed".into()),
        UserOpError::Store(e) => e.into(),
    }
}

/// The tenant's password rule (its `sign_in.password_min_length`, at most
/// 256 characters).
fn check_password(scope: &TenantScope, password: Option<&str>) -> Result<(), AdminError> {
    let min = usize::try_from(scope.tenant().policy.sign_in.password_min_length).unwrap_or(8);
    match password.map(|p| p.chars().count()) {
        Some(n) if n < min || n > 256 => Err(AdminError::Invalid(format!(
            "a password of this tenant is {min} to 256 characters"
        ))),
        _ => Ok(()),
    }
}

/// Registers a user.
pub async fn create(
    platform: &Platform,
    scope: &TenantScope,
    body: CreateUser,
) -> Result<User, AdminError> {
    check_password(scope, body.password.as_deref())?;
    let new = NewUser {
        username: body.username,
        email: body.email,
        email_verified: body.email_verified,
        password: body.password.map(Secret::new),
        profile: body.profile.unwrap_or_default(),
    };
    let (audit_scope, now) = (scope.clone(), platform.clock.now_secs());
    idp::users::create_audited(
        platform,
        scope.tenant().id,
        new,
        Audit::row(move |user: &User| {
            let detail = json!({ "username": user.username, "email": user.email });
            audit_scope.audit("user.create", "user", user.id.as_str(), detail, now)
        }),
    )
    .await
    .map_err(from_op)
}

/// The tenant's users by id after `after`; `limit + 1` of them.
pub async fn list(
    platform: &Platform,
    scope: &TenantScope,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<User>, AdminError> {
    let tenant = scope.tenant().id.to_string();
    Ok(platform
        .db
        .run(move |conn| {
            let mut query = dsl::users.filter(dsl::tenant_id.eq(tenant)).into_boxed();
            if let Some(after) = after {
                query = query.filter(dsl::id.gt(after));
            }
            query
                .order(dsl::id.asc())
                .limit(limit + 1)
                .select(UserRow::as_select())
                .load(conn)?
                .into_iter()
                .map(User::try_from)
                .collect::<Result<Vec<_>, _>>()
        })
        .await?)
}

/// The user `id` of the scope's tenant; 404 for any other tenant's.
pub async fn find(platform: &Platform, scope: &TenantScope, id: &str) -> Result<User, AdminError> {
    let (tenant, id) = (scope.tenant().id, UserId::new(id));
    platform
        .db
        .run(move |conn| user_queries::find(conn, tenant, &id))
        .await?
        .ok_or(AdminError::NotFound("user"))
}

/// Locks the user's row for the transaction, then reads it.
fn locked(conn: &mut DbConnection, scope: &TenantScope, id: &str) -> Result<User, AdminError> {
    let tenant = scope.tenant().id;
    diesel::update(
        dsl::users
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id)),
    )
    .set(dsl::updated_at.eq(dsl::updated_at))
    .execute(conn)
    .map_err(StoreError::from)?;
    user_queries::find(conn, tenant, &UserId::new(id))?.ok_or(AdminError::NotFound("user"))
}

/// Applies `body` if `if_match` is current; disabling kills every token and
/// session of the user.
pub async fn update(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    if_match: IfMatch,
    body: UpdateUser,
) -> Result<User, AdminError> {
    let (scope_in, id, now) = (scope.clone(), id.to_owned(), platform.clock.now_secs());
    let updated = platform
        .db
        .transaction_or(move |conn| {
            let current = locked(conn, &scope_in, &id)?;
            if_match.check(&etag::of(&UserView::from(&current)))?;
            let mut next = current.clone();
            if let Some(email) = body.email.clone() {
                // The registration rules, with the email that is to be.
                let checked = NewUser {
                    username: next.username.clone(),
                    email: Some(email),
                    email_verified: false,
                    password: None,
                    profile: Default::default(),
                }
                .validate()
                .map_err(AdminError::invalid)?;
                next.email = checked.email;
            }
            if let Some(verified) = body.email_verified {
                next.email_verified = verified;
            }
            if let Some(profile) = body.profile.clone() {
                next.profile = profile;
            }
            if let Some(enabled) = body.enabled {
                next.enabled = enabled;
            }
            let profile = serde_json::to_string(&next.profile)
                .map_err(|e| AdminError::Internal(e.to_string()))?;
            let tenant = scope_in.tenant().id;
            diesel::update(
                dsl::users
                    .filter(dsl::tenant_id.eq(tenant.to_string()))
                    .filter(dsl::id.eq(&id)),
            )
            .set((
                dsl::email.eq(&next.email),
                dsl::email_verified.eq(next.email_verified),
                dsl::profile.eq(profile),
                dsl::enabled.eq(next.enabled),
                dsl::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(StoreError::from)?;
            if current.enabled && !next.enabled {
                revocations::revoke_all(conn, tenant, &Target::User(id.clone()), now)?;
            } else {
                idp::store::queries::tenants::touch(conn, tenant, now)?;
            }
            let fields: Vec<&str> = [
                ("email", body.email.is_some()),
                ("email_verified", body.email_verified.is_some()),
                ("profile", body.profile.is_some()),
                ("enabled", body.enabled.is_some()),
            ]
            .into_iter()
            .filter_map(|(name, set)| set.then_some(name))
            .collect();
            let record =
                scope_in.audit("user.update", "user", &id, json!({ "fields": fields }), now);
            super::audit(conn, &record)?;
            Ok(next)
        })
        .await?
        .map_err(|e| match e {
            AdminError::Conflict(_) => AdminError::Conflict("a user with this email exists".into()),
            other => other,
        })?;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(updated)
}

/// Sets the password (argon2id) and kills the user's tokens and sessions.
pub async fn set_password(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    password: String,
) -> Result<(), AdminError> {
    check_password(scope, Some(&password))?;
    let passwords = platform.passwords.clone();
    let secret = Secret::new(password);
    let hash = tokio::task::spawn_blocking(move || passwords.hash(&secret))
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?
        .map_err(|e| AdminError::Internal(e.to_string()))?;
    let (scope_in, id, now) = (scope.clone(), id.to_owned(), platform.clock.now_secs());
    platform
        .db
        .transaction_or(move |conn| {
            locked(conn, &scope_in, &id)?;
            let tenant = scope_in.tenant().id;
            diesel::update(
                dsl::users
                    .filter(dsl::tenant_id.eq(tenant.to_string()))
                    .filter(dsl::id.eq(&id)),
            )
            .set((dsl::password_hash.eq(Some(hash)), dsl::updated_at.eq(now)))
            .execute(conn)
            .map_err(StoreError::from)?;
            revocations::revoke_all(conn, tenant, &Target::User(id.clone()), now)?;
            let record = scope_in.audit("user.set_password", "user", &id, json!({}), now);
            super::audit(conn, &record).map_err(AdminError::from)
        })
        .await??;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(())
}

/// Lifts the sign-in lock, and starts a fresh attempt count on the user's
/// login names in every server process (a watermark moves the counters'
/// epoch; the servers read it at their next change poll).
pub async fn unlock(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), AdminError> {
    let (scope_in, id_in, now) = (scope.clone(), id.to_owned(), platform.clock.now_secs());
    platform
        .db
        .transaction_or(move |conn| {
            let user = locked(conn, &scope_in, &id_in)?;
            let tenant = scope_in.tenant().id;
            // Negative: "unlocked at", honoured before the servers see the
            // new attempt-count epoch (see `User::unlocked_after`).
            user_queries::set_locked_until(conn, tenant, &user.id, Some(-now), now)?;
            for login in user.username.iter().chain(user.email.iter()) {
                let subject = idp::domain::watermarks::login(login);
                idp::store::queries::watermarks::raise(
                    conn,
                    tenant,
                    &subject,
                    now,
                    now + UNLOCK_KEEP_SECS,
                )?;
            }
            idp::store::queries::tenants::touch(conn, tenant, now)?;
            let record = scope_in.audit("user.unlock", "user", &id_in, json!({}), now);
            super::audit(conn, &record)?;
            Ok::<_, AdminError>(())
        })
        .await??;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(())
}

/// How long an unlock's epoch is kept: longer than the attempt window.
const UNLOCK_KEEP_SECS: i64 = 24 * 3600;

/// Deletes the user and their consents; their tokens and sessions die.
pub async fn delete(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), AdminError> {
    let (scope_in, id, now) = (scope.clone(), id.to_owned(), platform.clock.now_secs());
    platform
        .db
        .transaction_or(move |conn| {
            locked(conn, &scope_in, &id)?;
            let tenant = scope_in.tenant().id.to_string();
            diesel::delete(
                consents::table
                    .filter(consents::tenant_id.eq(&tenant))
                    .filter(consents::user_id.eq(&id)),
            )
            .execute(conn)
            .map_err(StoreError::from)?;
            diesel::delete(
                dsl::users
                    .filter(dsl::tenant_id.eq(&tenant))
                    .filter(dsl::id.eq(&id)),
            )
            .execute(conn)
            .map_err(StoreError::from)?;
            revocations::revoke_all(conn, scope_in.tenant().id, &Target::User(id.clone()), now)?;
            let record = scope_in.audit("user.delete", "user", &id, json!({}), now);
            super::audit(conn, &record).map_err(AdminError::from)
        })
        .await??;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(())
}
