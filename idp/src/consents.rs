//! Consent: the scopes a user granted a client, asked for only when a
//! request wants something not yet granted.

use crate::ids::TenantId;
use crate::platform::Platform;
use crate::store::StoreError;
use crate::store::queries::consents;

/// Scopes `user` granted `client` in `tenant`.
pub async fn granted(
    platform: &Platform,
    tenant: TenantId,
    user: &str,
    client: &str,
) -> Result<Vec<String>, StoreError> {
    let (user, client) = (user.to_owned(), client.to_owned());
    platform
        .db
        .run(move |conn| consents::granted(conn, tenant, &user, &client))
        .await
}

/// Of `requested`, the scopes not yet granted (what a consent page must ask).
pub fn missing(granted: &[String], requested: &[String]) -> Vec<String> {
    requested
        .iter()
        .filter(|s| !granted.contains(s))
        .cloned()
        .collect()
}

/// Records that `user` granted `client` `scopes` (added to earlier grants).
/// Grants racing (several tabs) end as one row holding every scope: a loser
/// retries on the row the winner wrote.
pub async fn grant(
    platform: &Platform,
    tenant: TenantId,
    user: &str,
    client: &str,
    scopes: &[String],
) -> Result<Vec<String>, StoreError> {
    const ATTEMPTS: usize = 8;
    for attempt in 0..ATTEMPTS {
        let (user, client, scopes) = (user.to_owned(), client.to_owned(), scopes.to_vec());
        let now = platform.clock.now_secs();
        match platform
            .db
            .transaction(move |conn| consents::grant(conn, tenant, &user, &client, &scopes, now))
            .await
        {
            Err(StoreError::Conflict(_)) if attempt + 1 < ATTEMPTS => continue,
            other => return other,
        }
    }
    Err(StoreError::Other(
        "consent grant retried without success".into(),
    ))
}

/// Withdraws `user`'s consent to `client`.
pub async fn revoke(
    platform: &Platform,
    tenant: TenantId,
    user: &str,
    client: &str,
) -> Result<bool, StoreError> {
    let (user, client) = (user.to_owned(), client.to_owned());
    platform
        .db
        .transaction(move |conn| consents::revoke(conn, tenant, &user, &client))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_scopes_are_asked() {
        let granted = vec!["openid".to_owned(), "profile".to_owned()];
        let requested = vec!["openid".to_owned(), "email".to_owned()];
        assert_eq!(missing(&granted, &requested), vec!["email"]);
        assert!(missing(&granted, &granted).is_empty());
    }
}
