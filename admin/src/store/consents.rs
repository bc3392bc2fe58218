//! Consents: list and revoke (with the tokens of the grants they allowed).

use diesel::prelude::*;
use idp::domain::token::access_token::AccessTokenClaims;
use idp::platform::Platform;
use idp::store::StoreError;
use idp::store::queries::{consents as consent_queries, refresh_tokens, tenants, tokens};
use idp::store::schema::{consents::dsl, refresh_tokens as rt};
use serde_json::json;

use crate::errors::AdminError;
use crate::handlers::consents::{ConsentQuery, ConsentView};
use crate::scope::TenantScope;

type Row = (String, String, String, i64, i64);

/// Consents matching `query`, by (user, client) after `after`; `limit + 1`.
pub async fn list(
    platform: &Platform,
    scope: &TenantScope,
    query: &ConsentQuery,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<ConsentView>, AdminError> {
    let tenant = scope.tenant().id.to_string();
    let (user, client) = (query.user_id.clone(), query.client_id.clone());
    let after = after.map(|a| match a.split_once('\n') {
        Some((u, c)) => (u.to_owned(), c.to_owned()),
        None => (a, String::new()),
    });
    let rows: Vec<Row> = platform
        .db
        .run(move |conn| {
            let mut q = dsl::consents.filter(dsl::tenant_id.eq(tenant)).into_boxed();
            if let Some(user) = user {
                q = q.filter(dsl::user_id.eq(user));
            }
            if let Some(client) = client {
                q = q.filter(dsl::client_id.eq(client));
            }
            if let Some((u, c)) = after {
                q = q.filter(
                    dsl::user_id
                        .gt(u.clone())
                        .or(dsl::user_id.eq(u).and(dsl::client_id.gt(c))),
                );
            }
            Ok(q.order((dsl::user_id.asc(), dsl::client_id.asc()))
                .limit(limit + 1)
                .select((
                    dsl::user_id,
                    dsl::client_id,
                    dsl::scopes,
                    dsl::created_at,
                    dsl::updated_at,
                ))
                .load(conn)?)
        })
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(user_id, client_id, scopes, created_at, updated_at)| ConsentView {
                user_id,
                client_id,
                scopes: serde_json::from_str(&scopes).unwrap_or_default(),
                created_at,
                updated_at,
            },
        )
        .collect())
}

/// Deletes the consent and revokes the grants (refresh families and their
/// access tokens) of that user and client, in one transaction.
pub async fn revoke(
    platform: &Platform,
    scope: &TenantScope,
    user_id: &str,
    client_id: &str,
) -> Result<(), AdminError> {
    let tenant = scope.tenant().id;
    let (user, client) = (user_id.to_owned(), client_id.to_owned());
    let (audit_scope, now) = (scope.clone(), platform.clock.now_secs());
    let until = now + scope.tenant().policy.access_token_ttl_secs;
    platform
        .db
        .transaction_or(move |conn| {
            if !consent_queries::revoke(conn, tenant, &user, &client)? {
                return Err(AdminError::NotFound("consent"));
            }
            let grants: Vec<String> = rt::table
                .filter(rt::tenant_id.eq(tenant.to_string()))
                .filter(rt::user_id.eq(&user))
                .filter(rt::client_id.eq(&client))
                .filter(rt::revoked.eq(false))
                .select(rt::grant_id)
                .distinct()
                .load(conn)
                .map_err(StoreError::from)?;
            for grant in &grants {
                refresh_tokens::revoke_grant(conn, tenant, grant)?;
                tokens::insert_revoked(
                    conn,
                    tenant,
                    &AccessTokenClaims::grant_key(grant),
                    until,
                    now,
                )?;
            }
            tenants::touch(conn, tenant, now)?;
            let record = audit_scope.audit(
                "consent.revoke",
                "consent",
                &format!("{user}/{client}"),
                json!({ "grants_revoked": grants.len() }),
                now,
            );
            super::audit(conn, &record)?;
            Ok(())
        })
        .await??;
    idp::changes::announce(platform, tenant).await;
    Ok(())
}
