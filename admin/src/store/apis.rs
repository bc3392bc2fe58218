//! APIs: create and list.

use idp::apis::ApiOpError;
use idp::domain::api::{Api, ApiScope};
use idp::platform::Platform;
use serde_json::json;

use crate::errors::AdminError;
use crate::handlers::apis::create::CreateApi;
use crate::scope::TenantScope;

/// Registers an API, with its audit row in the same transaction.
pub async fn create(
    platform: &Platform,
    scope: &TenantScope,
    body: CreateApi,
) -> Result<Api, AdminError> {
    if body.name.trim().is_empty() || body.name.chars().count() > 200 {
        return Err(AdminError::Invalid(
            "name must be 1 to 200 characters".into(),
        ));
    }
    let scopes = body
        .scopes
        .into_iter()
        .map(|s| ApiScope {
            name: s.name,
            description: s.description,
        })
        .collect();
    let (audit_scope, now) = (scope.clone(), platform.clock.now_secs());
    idp::apis::create_then(
        platform,
        scope.tenant().id,
        &body.identifier,
        &body.name,
        scopes,
        body.is_default,
        Box::new(move |conn, api: &Api| {
            let detail = json!({ "identifier": api.identifier });
            let record = audit_scope.audit("api.create", "api", &api.id, detail, now);
            super::audit(conn, &record)
        }),
    )
    .await
    .map_err(|e| match e {
        ApiOpError::Invalid(e) => AdminError::invalid(e),
        ApiOpError::Taken => AdminError::Conflict("an API with this identifier exists".into()),
        ApiOpError::Store(e) => e.into(),
    })
}

/// The tenant's APIs.
pub async fn list(platform: &Platform, scope: &TenantScope) -> Result<Vec<Api>, AdminError> {
    let tenant = scope.tenant().id;
    Ok(platform
        .db
        .run(move |conn| idp::store::queries::apis::list(conn, tenant))
        .await?)
}
