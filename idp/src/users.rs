//! Operations on end users that both binaries use. Password hashing and
//! verification (argon2id) run on the blocking pool.

use crate::domain::user::{NewUser, User, UserError, UserId};
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::store::StoreError;
use crate::store::models::user::UserRow;
use crate::store::queries::users;
use crate::writes::{Audit, Reach};

/// Why a user operation failed.
#[derive(Debug, thiserror::Error)]
pub enum UserOpError {
    /// The registration breaks a rule.
    #[error(transparent)]
    Invalid(#[from] UserError),
    /// The username or email is taken in this tenant.
    #[error("a user with this username or email exists")]
    Taken,
    /// Hashing failed.
    #[error("password hashing failed")]
    Hashing,
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for UserOpError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(_) => Self::Taken,
            other => Self::Store(other),
        }
    }
}

/// Why a sign-in failed. Callers show one generic message for all but
/// `Store`, so nothing is learnt about which accounts exist.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Unknown login, wrong password, or no password set.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// A known user's password was wrong (counted towards the lockout).
    #[error("invalid credentials")]
    WrongPassword(UserId),
    /// The account is disabled.
    #[error("account disabled")]
    Disabled,
    /// The account is locked until the given unix second.
    #[error("account locked")]
    Locked(i64),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Registers a user in `tenant`.
pub async fn create(
    platform: &Platform,
    tenant: TenantId,
    new: NewUser,
) -> Result<User, UserOpError> {
    create_audited(platform, tenant, new, Audit::none()).await
}

/// [`create`], with the audit row of an admin change. Users are read fresh
/// on every sign-in, so nothing cached needs to drop.
pub async fn create_audited(
    platform: &Platform,
    tenant: TenantId,
    new: NewUser,
    audit: Audit<User>,
) -> Result<User, UserOpError> {
    let new = new.validate()?;
    let passwords = platform.passwords.clone();
    let hash = match new.password.clone() {
        Some(password) => Some(
            tokio::task::spawn_blocking(move || passwords.hash(&password))
                .await
                .map_err(|_| UserOpError::Hashing)?
                .map_err(|_| UserOpError::Hashing)?,
        ),
        None => None,
    };
    let now = platform.clock.now_secs();
    let id = UserId::generate();
    let row = UserRow {
        tenant_id: tenant.to_string(),
        id: id.as_str().to_owned(),
        username: new.username.clone(),
        email: new.email.clone(),
        email_verified: new.email_verified,
        password_hash: hash,
        profile: serde_json::to_string(&new.profile)
            .map_err(|e| StoreError::Other(e.to_string()))?,
        enabled: true,
        locked_until: None,
        created_at: now,
        updated_at: now,
    };
    let user = User {
        id,
        username: new.username,
        email: new.email,
        email_verified: new.email_verified,
        profile: new.profile,
        enabled: true,
        locked_until: None,
    };
    platform
        .change(Reach::Stored, audit, move |conn, _| {
            users::insert(conn, &row)?;
            Ok(user)
        })
        .await
}

/// The user `id` of `tenant`.
pub async fn find(
    platform: &Platform,
    tenant: TenantId,
    id: &UserId,
) -> Result<Option<User>, StoreError> {
    let id = id.clone();
    platform
        .db
        .run(move |conn| users::find(conn, tenant, &id))
        .await
}

/// The account `login` (a username, or an email address compared
/// lower-cased) names in `tenant`, with its password hash: read before an
/// attempt is counted, so attempts count per account whatever name was typed.
pub async fn find_for_sign_in(
    platform: &Platform,
    tenant: TenantId,
    login: &str,
) -> Result<Option<Candidate>, StoreError> {
    let lookup = login.to_owned();
    let found = platform
        .db
        .run(move |conn| users::find_by_login(conn, tenant, &lookup))
        .await?;
    Ok(found.map(|(user, hash)| Candidate { user, hash }))
}

/// Checks `login` (username or email) and `password` in `tenant`: an
/// unknown login costs the same argon2id verification as a known one.
/// [`find_for_sign_in`] then [`check_password`], for callers that count
/// nothing in between.
pub async fn sign_in(
    platform: &Platform,
    tenant: TenantId,
    login: &str,
    password: &str,
) -> Result<User, SignInError> {
    let candidate = find_for_sign_in(platform, tenant, login).await?;
    check_password(platform, candidate, password).await
}

/// An account a login name resolved to, and its password hash.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The account.
    pub user: User,
    hash: Option<String>,
}

/// Checks `password` for `candidate` (`None`: the name matched no account;
/// a dummy hash is verified then, so timing does not tell).
pub async fn check_password(
    platform: &Platform,
    candidate: Option<Candidate>,
    password: &str,
) -> Result<User, SignInError> {
    let (user, hash) = match candidate {
        Some(Candidate { user, hash }) => (Some(user), hash),
        None => (None, None),
    };
    let passwords = platform.passwords.clone();
    let password = password.to_owned();
    let verified =
        tokio::task::spawn_blocking(move || passwords.verify(&password, hash.as_deref()))
            .await
            .map_err(|e| StoreError::Other(e.to_string()))?;
    let user = match user {
        None => return Err(SignInError::InvalidCredentials),
        Some(user) if !verified => return Err(SignInError::WrongPassword(user.id)),
        Some(user) => user,
    };
    if !user.enabled {
        return Err(SignInError::Disabled);
    }
    if let Some(until) = user.locked_at(platform.clock.now_secs()) {
        return Err(SignInError::Locked(until));
    }
    Ok(user)
}

/// Locks sign-in for the user until `until` (unix seconds); durable, so
/// every process sees it.
pub async fn lock(
    platform: &Platform,
    tenant: TenantId,
    id: &UserId,
    until: i64,
) -> Result<bool, StoreError> {
    let id = id.clone();
    let now = platform.clock.now_secs();
    platform
        .db
        .transaction(move |conn| users::set_locked_until(conn, tenant, &id, Some(until), now))
        .await
}

/// Enables or disables the user. Disabling ends what the user holds: every
/// refresh-token family and the access tokens issued from it are revoked.
pub async fn set_enabled(
    platform: &Platform,
    tenant: TenantId,
    policy: &crate::domain::policy::TenantPolicy,
    id: &UserId,
    enabled: bool,
) -> Result<bool, StoreError> {
    let user = id.clone();
    let now = platform.clock.now_secs();
    let found = platform
        .db
        .transaction(move |conn| users::set_enabled(conn, tenant, &user, enabled, now))
        .await?;
    if found && !enabled {
        crate::grants::revoke_user(platform, tenant, policy, id.as_str()).await?;
    }
    Ok(found)
}
