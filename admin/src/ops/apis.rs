//! APIs: create, list, find, update, delete.

use idp::domain::api::{Api, ApiScope};
use idp::platform::Platform;
use idp::store::queries::apis as api_queries;
use idp::writes::{Audit, Reach};
use serde_json::json;

use super::{Edit, EditError, OpError};
use crate::scope::TenantScope;

/// A new API, as the admin registers it.
#[derive(Debug, Clone)]
pub struct NewApi {
    /// The audience its tokens carry.
    pub identifier: String,
    /// Display name, 1 to 200 characters.
    pub name: String,
    /// The scopes it defines.
    pub scopes: Vec<ApiScope>,
    /// Whether tokens without a named audience are for it.
    pub is_default: bool,
}

/// An API's display name: 1 to 200 characters.
pub fn check_name(name: &str) -> Result<(), OpError> {
    if name.trim().is_empty() || name.chars().count() > 200 {
        return Err(OpError::Invalid("name must be 1 to 200 characters".into()));
    }
    Ok(())
}

/// Identifiers a tenant may not take: `urn:idp:*` names the platform's own
/// audiences (the admin API), and anything under the platform's public URL
/// would pass for the platform itself or another tenant's issuer.
pub fn check_identifier(identifier: &str, public_url: &str) -> Result<(), OpError> {
    if identifier
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("urn:idp:"))
    {
        return Err(OpError::Invalid(
            "identifier: urn:idp: identifiers are reserved for the platform".into(),
        ));
    }
    if is_under(identifier, public_url) {
        return Err(OpError::Invalid(format!(
            "identifier: must not be under the platform's public URL {public_url}"
        )));
    }
    Ok(())
}

/// Whether `identifier` is `base` or a path below it (origins compared as
/// the URL parser normalises them: case, default ports).
fn is_under(identifier: &str, base: &str) -> bool {
    let (Ok(id), Ok(base)) = (url::Url::parse(identifier), url::Url::parse(base)) else {
        return false;
    };
    let prefix = base.path().trim_end_matches('/');
    id.origin() == base.origin()
        && id
            .path()
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Registers an API, with its audit row in the same transaction.
pub async fn create(platform: &Platform, scope: &TenantScope, new: NewApi) -> Result<Api, OpError> {
    check_name(&new.name)?;
    check_identifier(&new.identifier, &platform.config.http.public_url)?;
    let scope_in = scope.clone();
    let audit = Audit::row(move |api: &Api| {
        let detail = json!({ "identifier": api.identifier });
        scope_in.audit("api.create", "api", &api.id, detail)
    });
    Ok(idp::apis::create_audited(
        platform,
        scope.tenant().id,
        &new.identifier,
        &new.name,
        new.scopes,
        new.is_default,
        audit,
    )
    .await?)
}

/// The tenant's APIs.
pub async fn list(platform: &Platform, scope: &TenantScope) -> Result<Vec<Api>, OpError> {
    let tenant = scope.tenant().id;
    Ok(platform
        .db
        .run(move |conn| api_queries::list(conn, tenant))
        .await?)
}

/// The API `id` of the scope's tenant.
pub async fn find(platform: &Platform, scope: &TenantScope, id: &str) -> Result<Api, OpError> {
    list(platform, scope)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(OpError::NotFound("API"))
}

/// Applies `edit` (name, scopes, becoming the default) under the
/// registration rules.
pub async fn update<E: EditError>(
    platform: &Platform,
    scope: &TenantScope,
    id: &str,
    edit: Edit<Api, E>,
) -> Result<Api, E> {
    let (tenant, id) = (scope.tenant().id, id.to_owned());
    let audit = {
        let scope = scope.clone();
        Audit::row(move |api: &Api| {
            let detail = json!({ "identifier": api.identifier });
            scope.audit("api.update", "api", &api.id, detail)
        })
    };
    let apply = edit.apply;
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, _| {
            let current = api_queries::lock(conn, tenant, &id)?.ok_or(OpError::NotFound("API"))?;
            let mut next = apply(&current)?;
            // What is not editable stays.
            next.id.clone_from(&current.id);
            next.identifier.clone_from(&current.identifier);
            check_name(&next.name)?;
            idp::domain::api::validate(&next.identifier, &next.scopes).map_err(OpError::invalid)?;
            api_queries::update(conn, tenant, &next)?;
            Ok(next)
        })
        .await
}

/// Deletes the API.
pub async fn delete(platform: &Platform, scope: &TenantScope, id: &str) -> Result<(), OpError> {
    let (tenant, id) = (scope.tenant().id, id.to_owned());
    let audit = {
        let scope = scope.clone();
        Audit::row(move |api: &Api| {
            let detail = json!({ "identifier": api.identifier });
            scope.audit("api.delete", "api", &api.id, detail)
        })
    };
    platform
        .change(Reach::Tenant(tenant), audit, move |conn, _| {
            let current = api_queries::lock(conn, tenant, &id)?.ok_or(OpError::NotFound("API"))?;
            api_queries::delete(conn, tenant, &id)?;
            Ok::<_, OpError>(current)
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_identifier;

    #[test]
    fn platform_identifiers_are_reserved() {
        let public = "https://id.example.com";
        for ok in [
            "https://api.example.com",
            "urn:acme:api",
            "https://id.example.com.evil/x",
        ] {
            assert!(check_identifier(ok, public).is_ok(), "{ok}");
        }
        for reserved in [
            "urn:idp:admin",
            "URN:IDP:anything",
            "https://id.example.com",
            "https://ID.example.com:443/t/other",
            "https://id.example.com/t/other/",
        ] {
            let refused = check_identifier(reserved, public).expect_err(reserved);
            assert!(refused.to_string().starts_with("identifier:"), "{refused}");
        }
        // A public URL with a path reserves only what is below it.
        assert!(
            check_identifier("https://id.example.com/api", "https://id.example.com/idp").is_ok()
        );
        assert!(
            check_identifier(
                "https://id.example.com/idp/t/x",
                "https://id.example.com/idp"
            )
            .is_err()
        );
    }
}
