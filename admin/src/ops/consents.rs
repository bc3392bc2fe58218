//! Consents: list and revoke (with the tokens of the grants they allowed).

use idp::domain::token::access_token::AccessTokenClaims;
use idp::platform::Platform;
use idp::store::queries::consents::{self as consent_queries, ConsentFilter, ConsentRow};
use idp::store::queries::{refresh_tokens, tokens};
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::OpError;
use crate::scope::TenantScope;

/// Consents matching `filter`, by (user, client) after its cursor; `limit + 1`.
pub async fn list(
    platform: &Platform,
    scope: &TenantScope,
    filter: ConsentFilter,
    limit: i64,
) -> Result<Vec<ConsentRow>, OpError> {
    let tenant = scope.tenant().id;
    Ok(platform
        .db
        .run(move |conn| consent_queries::list(conn, tenant, &filter, limit + 1))
        .await?)
}

/// Deletes the consent and revokes the grants (refresh families and their
/// access tokens) of that user and client, in one transaction.
pub async fn revoke(
    platform: &Platform,
    scope: &TenantScope,
    user_id: &str,
    client_id: &str,
) -> Result<(), OpError> {
    let tenant = scope.tenant().id;
    let (user, client) = (user_id.to_owned(), client_id.to_owned());
    let until = platform.clock.now_secs() + scope.tenant().policy.access_token_ttl_secs;
    let audit = {
        let (scope, id) = (scope.clone(), format!("{user}/{client}"));
        Audit::row(move |grants: &usize| {
            let detail = json!({ "grants_revoked": grants });
            scope.audit("consent.revoke", "consent", &id, detail)
        })
    };
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, now| {
            if !consent_queries::revoke(conn, tenant, &user, &client)? {
                return Err(OpError::NotFound("consent"));
            }
            let grants = refresh_tokens::grants_of_consent(conn, tenant, &user, &client)?;
            for grant in &grants {
                refresh_tokens::revoke_grant(conn, tenant, grant)?;
                let key = AccessTokenClaims::grant_key(grant);
                tokens::insert_revoked(conn, tenant, &key, until, now)?;
            }
            Ok(grants.len())
        })
        .await?;
    Ok(())
}
