//! The demo's data: the `demo` tenant with a default API, a machine client,
//! a web client whose callback page the demo mounts, and a user, created if
//! absent; and the ready authorization URL with its PKCE challenge.

use idp::crypto::{b64url, sha256};
use idp::domain::client::{AuthMethod, NewClient};
use idp::domain::tenant::NewTenant;
use idp::domain::user::{NewUser, Profile};
use idp::ids::{ClientId, TenantSlug};
use idp::secret::Secret;
use idp::secret::random_bytes;
use idp::tenants::{self, TenantError};

use super::{
    DEMO_API, DEMO_MACHINE_CLIENT, DEMO_SCOPES, DEMO_SLUG, DEMO_STATE, DEMO_USER, DEMO_WEB_CLIENT,
    Demo, DemoWeb, callback_path,
};
use crate::state::AppState;

/// Why the demo could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("demo set-up: {0}")]
pub struct DemoError(String);

fn failed(e: impl std::fmt::Display) -> DemoError {
    DemoError(e.to_string())
}

/// Creates the demo tenant, API, clients and user unless they exist, and
/// builds the printed authorization URL.
pub async fn ensure_demo(state: &AppState) -> Result<Demo, DemoError> {
    let platform = &state.platform;
    let slug = TenantSlug::parse(DEMO_SLUG).map_err(failed)?;
    let tenant = tenants::ensure(platform, NewTenant::new(slug.clone(), "Demo"))
        .await
        .map_err(|e: TenantError| failed(e))?;
    let loaded = tenants::load_state(platform, &slug, None)
        .await
        .map_err(failed)?
        .ok_or_else(|| failed("demo tenant vanished"))?;
    if !loaded.apis.iter().any(|a| a.identifier == DEMO_API) {
        let scopes = idp::apis::scopes(&[
            ("items:read", "Read your items"),
            ("items:write", "Create and change your items"),
        ]);
        match idp::apis::create(platform, tenant.id, DEMO_API, "Demo API", scopes, true).await {
            Ok(_) | Err(idp::apis::ApiOpError::Taken) => {}
            Err(e) => return Err(failed(e)),
        }
    }
    let id = ClientId::new(DEMO_MACHINE_CLIENT);
    let machine_secret = if idp::clients::find(platform, tenant.id, &id)
        .await
        .map_err(failed)?
        .is_some()
    {
        None
    } else {
        let new = NewClient::machine("Demo machine client", &["items:read", "items:write"]);
        match idp::clients::create_with_id(platform, tenant.id, id, new).await {
            Ok(created) => created.secret,
            // Another process starting at the same moment created it.
            Err(idp::clients::ClientOpError::Taken) => None,
            Err(e) => return Err(failed(e)),
        }
    };
    let public = &platform.config.http.public_url;
    let callback = format!("{public}{}", callback_path());
    let web_id = ClientId::new(DEMO_WEB_CLIENT);
    if idp::clients::find(platform, tenant.id, &web_id)
        .await
        .map_err(failed)?
        .is_none()
    {
        let new = NewClient {
            post_logout_redirect_uris: vec![callback.clone()],
            ..NewClient::web(
                "Demo web app",
                AuthMethod::None,
                &[&callback],
                &["profile", "email", "offline_access", "items:read"],
            )
        };
        match idp::clients::create_with_id(platform, tenant.id, web_id.clone(), new).await {
            Ok(_) | Err(idp::clients::ClientOpError::Taken) => {}
            Err(e) => return Err(failed(e)),
        }
    }
    let user_password = ensure_user(state, tenant.id).await?;
    // The verifier is derived, not stored: the printed URL works after a restart.
    let verifier = b64url(
        &platform
            .secrets
            .digest(tenant.id, &web_id, "demo-pkce-verifier"),
    );
    let challenge = b64url(&sha256(verifier.as_bytes()));
    let mut url = url::Url::parse(&format!("{public}/t/{DEMO_SLUG}/authorize")).map_err(failed)?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", DEMO_WEB_CLIENT)
        .append_pair("redirect_uri", &callback)
        .append_pair("scope", DEMO_SCOPES)
        .append_pair("state", DEMO_STATE)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    Ok(Demo {
        machine_secret,
        user_password,
        authorize_url: url.into(),
        web: DemoWeb { verifier },
    })
}

async fn ensure_user(
    state: &AppState,
    tenant: idp::ids::TenantId,
) -> Result<Option<Secret<String>>, DemoError> {
    let platform = &state.platform;
    let password = b64url(&random_bytes::<12>());
    let new = NewUser {
        email: Some("demo@demo.example".to_owned()),
        email_verified: true,
        profile: Profile {
            name: Some("Dana Demo".to_owned()),
            given_name: Some("Dana".to_owned()),
            family_name: Some("Demo".to_owned()),
            ..Profile::default()
        },
        ..NewUser::with_password(DEMO_USER, &password)
    };
    match idp::users::create(platform, tenant, new).await {
        Ok(_) => Ok(Some(Secret::new(password))),
        // Created on an earlier start (or by another process just now).
        Err(idp::users::UserOpError::Taken) => Ok(None),
        Err(e) => Err(failed(e)),
    }
}
