//! User grants: what one code redemption gave a client, carried on by a
//! family of refresh tokens. Refresh tokens are durable, stored as digests,
//! and rotated on every use by one conditional update; presenting a used one
//! revokes the whole family and every access token that carries its grant id
//! (RFC 9700 §4.14.2). Logout and a disabled user revoke their grants too.

use crate::crypto::{b64url, sha256};
use crate::domain::grant::authorization_code::CodeGrant;
use crate::domain::grant::refresh_token::{
    RefreshTokenError, StoredToken, check_resource, check_rotation,
};
use crate::domain::policy::TenantPolicy;
use crate::domain::token::access_token::AccessTokenClaims;
use crate::domain::token::id_token::SignIn;
use crate::ids::TenantId;
use crate::platform::Platform;
use crate::secret::{Secret, random_bytes};
use crate::store::StoreError;
use crate::store::models::token::RefreshTokenRow;
use crate::store::queries::{refresh_tokens, tokens};
use crate::writes::{Audit, Reach};

/// What a grant holds: who granted what to whom, and how they signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserGrant {
    /// The family id, carried as `gid` by every access token of the grant.
    pub grant_id: String,
    /// The client.
    pub client_id: String,
    /// The user (`sub`).
    pub user_id: String,
    /// The SSO session's public id.
    pub sid: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Audience of the grant's access tokens.
    pub audience: String,
    /// When the user authenticated.
    pub auth_time: i64,
    /// Authentication methods.
    pub amr: Vec<String>,
}

impl UserGrant {
    /// A fresh grant id.
    pub fn new_id() -> String {
        b64url(&random_bytes::<16>())
    }

    /// The grant a redeemed `code` creates for `client_id`, its access
    /// tokens for `audience`.
    pub fn from_code(
        grant_id: String,
        client_id: &str,
        code: &CodeGrant,
        audience: String,
    ) -> Self {
        Self {
            grant_id,
            client_id: client_id.to_owned(),
            user_id: code.user_id.clone(),
            sid: code.session_id.clone(),
            scopes: code.scopes.clone(),
            audience,
            auth_time: code.auth_time,
            amr: code.amr.clone(),
        }
    }

    /// What an ID token issued on a refresh says about the sign-in (no
    /// `nonce`: OIDC Core §12.2).
    pub fn sign_in(&self) -> SignIn<'_> {
        SignIn {
            user_id: &self.user_id,
            auth_time: self.auth_time,
            amr: &self.amr,
            sid: &self.sid,
            nonce: None,
        }
    }

    fn from_row(row: &RefreshTokenRow) -> Self {
        Self {
            grant_id: row.grant_id.clone(),
            client_id: row.client_id.clone(),
            user_id: row.user_id.clone(),
            sid: row.session_id.clone(),
            scopes: row
                .scope
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            audience: row.audience.clone(),
            auth_time: row.auth_time,
            amr: row
                .amr
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// Why a rotation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// The token is refused; a `Reused` one has had its family revoked.
    #[error(transparent)]
    Refused(#[from] RefreshTokenError),
    /// The database failed; nothing changed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn digest(token: &str) -> Vec<u8> {
    sha256(token.as_bytes()).to_vec()
}

fn new_row(
    tenant: TenantId,
    grant: &UserGrant,
    token: &str,
    now: i64,
    expires_at: i64,
    family_expires_at: i64,
) -> RefreshTokenRow {
    RefreshTokenRow {
        tenant_id: tenant.to_string(),
        digest: digest(token),
        grant_id: grant.grant_id.clone(),
        client_id: grant.client_id.clone(),
        user_id: grant.user_id.clone(),
        session_id: grant.sid.clone(),
        scope: grant.scopes.join(" "),
        audience: grant.audience.clone(),
        auth_time: grant.auth_time,
        amr: grant.amr.join(" "),
        issued_at: now,
        expires_at,
        family_expires_at,
        used_at: None,
        revoked: false,
    }
}

/// Issues the first refresh token of `grant`; durable once this returns.
/// When the grant was revoked meanwhile (a code replay raced the
/// redemption), the token is stored already revoked: no token outlives its
/// grant's revocation.
pub async fn issue(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    grant: &UserGrant,
) -> Result<Secret<String>, StoreError> {
    let token = b64url(&random_bytes::<32>());
    let now = platform.clock.now_secs();
    let family_expires_at = now + policy.refresh_absolute_ttl_secs;
    let expires_at = (now + policy.refresh_idle_ttl_secs).min(family_expires_at);
    let mut row = new_row(tenant, grant, &token, now, expires_at, family_expires_at);
    let revoked_key = AccessTokenClaims::grant_key(&grant.grant_id);
    platform
        .db
        .transaction(move |conn| {
            row.revoked = tokens::is_revoked(conn, tenant, &revoked_key)?;
            refresh_tokens::insert(conn, &row)
        })
        .await?;
    Ok(Secret::new(token))
}

enum Rotation {
    Rotated(Box<RefreshTokenRow>),
    Refused(RefreshTokenError),
    Reused(String),
}

/// Rotates `token` presented by `client_id`, which asks for `requested`
/// scopes (`None`: all of the grant's): returns its successor and the grant.
/// In one transaction the old token is marked used (if, and only if, it still
/// was unused) and the new one stored. A used token revokes its family before
/// the error is returned ([`check_rotation`] decides).
pub async fn rotate(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    token: &str,
    client_id: &str,
    requested: Option<&[String]>,
    resources: &[&str],
) -> Result<(Secret<String>, UserGrant), RefreshError> {
    let old = digest(token);
    let resources: Vec<String> = resources.iter().map(|r| (*r).to_owned()).collect();
    let next = b64url(&random_bytes::<32>());
    let now = platform.clock.now_secs();
    let idle = policy.refresh_idle_ttl_secs;
    let client = client_id.to_owned();
    let requested: Option<Vec<String>> = requested.map(<[String]>::to_vec);
    let successor = next.clone();
    let outcome = platform
        .db
        .transaction(move |conn| {
            let Some(row) = refresh_tokens::find(conn, tenant, &old)? else {
                return Ok(Rotation::Refused(RefreshTokenError::Unknown));
            };
            let grant = UserGrant::from_row(&row);
            let stored = StoredToken {
                client_id: &row.client_id,
                revoked: row.revoked,
                used: row.used_at.is_some(),
                expires_at: row.expires_at,
                family_expires_at: row.family_expires_at,
                scopes: &grant.scopes,
            };
            match check_rotation(&stored, &client, requested.as_deref(), now) {
                Ok(()) => {}
                Err(RefreshTokenError::Reused) => return Ok(Rotation::Reused(row.grant_id)),
                Err(refused) => return Ok(Rotation::Refused(refused)),
            }
            let resources: Vec<&str> = resources.iter().map(String::as_str).collect();
            if let Err(refused) = check_resource(&resources, &grant.audience) {
                return Ok(Rotation::Refused(refused));
            }
            if !refresh_tokens::mark_used(conn, tenant, &old, now)? {
                return Ok(Rotation::Reused(row.grant_id));
            }
            let expires_at = (now + idle).min(row.family_expires_at);
            let fresh = new_row(
                tenant,
                &grant,
                &successor,
                now,
                expires_at,
                row.family_expires_at,
            );
            refresh_tokens::insert(conn, &fresh)?;
            Ok(Rotation::Rotated(Box::new(fresh)))
        })
        .await?;
    match outcome {
        Rotation::Rotated(row) => Ok((Secret::new(next), UserGrant::from_row(&row))),
        Rotation::Refused(refused) => Err(refused.into()),
        Rotation::Reused(grant_id) => {
            revoke(platform, tenant, policy, vec![grant_id]).await?;
            Err(RefreshTokenError::Reused.into())
        }
    }
}

/// The live refresh token `token` of `tenant`, if any (for RFC 7009).
pub async fn find_live(
    platform: &Platform,
    tenant: TenantId,
    token: &str,
) -> Result<Option<UserGrant>, StoreError> {
    let digest = digest(token);
    let now = platform.clock.now_secs();
    let row = platform
        .db
        .run(move |conn| refresh_tokens::find(conn, tenant, &digest))
        .await?;
    Ok(row
        .filter(|r| !r.revoked && r.family_expires_at > now)
        .map(|r| UserGrant::from_row(&r)))
}

/// Revokes the grants: their refresh tokens and, through the revocation list,
/// every access token carrying their ids. Durable once this returns; every
/// process honours it within the change-propagation bound.
pub async fn revoke(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    grant_ids: Vec<String>,
) -> Result<(), StoreError> {
    if grant_ids.is_empty() {
        return Ok(());
    }
    // No access token of these grants outlives this: none is issued after.
    let until = platform.clock.now_secs() + policy.access_token_ttl_secs;
    for attempt in 0..2 {
        let ids = grant_ids.clone();
        let result = platform
            .change(Reach::Tenant(tenant), Audit::none(), move |conn, now| {
                for id in &ids {
                    refresh_tokens::revoke_grant(conn, tenant, id)?;
                    tokens::insert_revoked(
                        conn,
                        tenant,
                        &AccessTokenClaims::grant_key(id),
                        until,
                        now,
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .await;
        match result {
            // A concurrent revocation of the same grant won the insert.
            Err(StoreError::Conflict(_)) if attempt == 0 => continue,
            other => other?,
        }
        break;
    }
    Ok(())
}

/// Revokes the grants bound to the SSO session `sid` (logout).
pub async fn revoke_session(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    sid: &str,
) -> Result<(), StoreError> {
    let sid = sid.to_owned();
    let ids = platform
        .db
        .run(move |conn| refresh_tokens::grants_of_session(conn, tenant, &sid))
        .await?;
    revoke(platform, tenant, policy, ids).await
}

/// Revokes every grant of the user (disabled, password reset).
pub async fn revoke_user(
    platform: &Platform,
    tenant: TenantId,
    policy: &TenantPolicy,
    user_id: &str,
) -> Result<(), StoreError> {
    let user = user_id.to_owned();
    let ids = platform
        .db
        .run(move |conn| refresh_tokens::grants_of_user(conn, tenant, &user))
        .await?;
    revoke(platform, tenant, policy, ids).await
}
