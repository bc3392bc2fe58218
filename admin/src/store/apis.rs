//! APIs: create and list.

use idp::apis::ApiOpError;
use idp::domain::api::{Api, ApiScope};
use idp::platform::Platform;
use idp::writes::Audit;
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
    idp::apis::create_audited(
        platform,
        scope.tenant().id,
        &body.identifier,
        &body.name,
        scopes,
        body.is_default,
        Audit::row(move |api: &Api| {
            let detail = json!({ "identifier": api.identifier });
            audit_scope.audit("api.create", "api", &api.id, detail, now)
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

/// The API `id` of the scope's tenant.
pub async fn find(platform: &Platform, scope: &TenantScope, id: &str) -> Result<Api, AdminError> {
    list(platform, scope)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AdminError::NotFound("API"))
}

fn lock(
    conn: &mut idp::store::DbConnection,
    tenant: idp::ids::TenantId,
    id: &str,
) -> Result<Api, AdminError> {
    use diesel::prelude::*;
    use idp::store::schema::apis::dsl;
    let locked = diesel::update(
        dsl::apis
            .filter(dsl::tenant_id.eq(tenant.to_string()))
            .filter(dsl::id.eq(id)),
    )
    .set(dsl::created_at.eq(dsl::created_at))
    .execute(conn)
    .map_err(idp::store::StoreError::from)?;
    if locked == 0 {
        return Err(AdminError::NotFound("API"));
    }
    idp::store::queries::apis::list(conn, tenant)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AdminError::NotFound("API"))
}

/// Applies `body` if `if_match` names the API's current version.
pub async fn update(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    if_match: crate::etag::IfMatch,
    body: crate::handlers::apis::update::UpdateApi,
) -> Result<Api, AdminError> {
    use diesel::prelude::*;
    use idp::store::schema::apis::dsl;
    if let Some(name) = &body.name
        && (name.trim().is_empty() || name.chars().count() > 200)
    {
        return Err(AdminError::Invalid(
            "name must be 1 to 200 characters".into(),
        ));
    }
    let (tenant, id, now) = (scope.tenant().id, id.to_owned(), platform.clock.now_secs());
    let audit_scope = scope.clone();
    let updated = platform
        .db
        .transaction_or(move |conn| {
            let current = lock(conn, tenant, &id)?;
            let view = crate::handlers::apis::ApiView::from(&current);
            if_match.check(&crate::etag::of(&view))?;
            let mut next = current.clone();
            if let Some(name) = &body.name {
                next.name.clone_from(name);
            }
            if let Some(scopes) = &body.scopes {
                next.scopes = scopes
                    .iter()
                    .map(|s| ApiScope {
                        name: s.name.clone(),
                        description: s.description.clone(),
                    })
                    .collect();
            }
            idp::domain::api::validate(&next.identifier, &next.scopes)
                .map_err(AdminError::invalid)?;
            if body.is_default == Some(true) && !current.is_default {
                diesel::update(dsl::apis.filter(dsl::tenant_id.eq(tenant.to_string())))
                    .set(dsl::is_default.eq(false))
                    .execute(conn)
                    .map_err(idp::store::StoreError::from)?;
                next.is_default = true;
            }
            let scopes = serde_json::to_string(&next.scopes)
                .map_err(|e| AdminError::Internal(e.to_string()))?;
            diesel::update(
                dsl::apis
                    .filter(dsl::tenant_id.eq(tenant.to_string()))
                    .filter(dsl::id.eq(&id)),
            )
            .set((
                dsl::name.eq(&next.name),
                dsl::scopes.eq(scopes),
                dsl::is_default.eq(next.is_default),
            ))
            .execute(conn)
            .map_err(idp::store::StoreError::from)?;
            idp::store::queries::tenants::touch(conn, tenant, now)?;
            let record = audit_scope.audit(
                "api.update",
                "api",
                &id,
                json!({ "identifier": next.identifier }),
                now,
            );
            super::audit(conn, &record)?;
            Ok::<_, AdminError>(next)
        })
        .await??;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(updated)
}

/// Deletes the API.
pub async fn delete(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), AdminError> {
    use diesel::prelude::*;
    use idp::store::schema::apis::dsl;
    let (tenant, id, now) = (scope.tenant().id, id.to_owned(), platform.clock.now_secs());
    let audit_scope = scope.clone();
    platform
        .db
        .transaction_or(move |conn| {
            let current = lock(conn, tenant, &id)?;
            diesel::delete(
                dsl::apis
                    .filter(dsl::tenant_id.eq(tenant.to_string()))
                    .filter(dsl::id.eq(&id)),
            )
            .execute(conn)
            .map_err(idp::store::StoreError::from)?;
            idp::store::queries::tenants::touch(conn, tenant, now)?;
            let record = audit_scope.audit(
                "api.delete",
                "api",
                &id,
                json!({ "identifier": current.identifier }),
                now,
            );
            super::audit(conn, &record)?;
            Ok::<_, AdminError>(())
        })
        .await??;
    idp::changes::announce(platform, scope.tenant().id).await;
    Ok(())
}
