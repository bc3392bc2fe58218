//! The sign-in flow after a valid authorization request: sign the user in
//! when needed (no session, `prompt=login`, `max_age` passed, another user
//! named by `id_token_hint`), ask consent for what is not yet granted, then
//! send a code. `prompt=none` turns any needed page into `login_required` or
//! `consent_required`. Every redirect to the client carries `state` and `iss`.
//! First-party clients skip consent, except for `offline_access`.

use std::sync::Arc;

use actix_web::cookie::Cookie;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse};
use idp::domain::authorize::{AuthorizationRequest, ErrorRedirect, Prompt, error_redirect_url};
use idp::domain::client::Client;
use idp::domain::grant::authorization_code::CodeGrant;
use idp::domain::scope::OFFLINE_ACCESS;
use idp::domain::token::id_token::IdTokenClaims;
use idp::sessions::Session;

use crate::hosted::cookies::{CookiePolicy, browser_binding};
use crate::hosted::error::PageError;
use crate::hosted::interaction::{self, Interaction};
use crate::hosted::render::secure_headers;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// A 302 to `location` with the page headers (and `no-store`).
pub fn found(location: &str) -> HttpResponse {
    let mut builder = HttpResponse::Found();
    secure_headers(&mut builder).insert_header((LOCATION, location));
    builder.finish()
}

/// The error redirect `error` for `request`, with `state` and `iss`.
pub fn error_redirect(
    state: &AppState,
    tenant: &CurrentTenant,
    request: &AuthorizationRequest,
    error: &'static str,
    description: &'static str,
) -> Result<HttpResponse, PageError> {
    let redirect = ErrorRedirect {
        redirect_uri: request.redirect_uri.clone(),
        error,
        description,
        state: request.state.clone(),
    };
    let url = error_redirect_url(&redirect, &issuer(state, tenant)).ok_or(PageError::Internal(
        "registered redirect URI does not parse".into(),
    ))?;
    Ok(found(&url))
}

/// The tenant's issuer.
pub fn issuer(state: &AppState, tenant: &CurrentTenant) -> String {
    tenant
        .snapshot
        .tenant
        .issuer(&state.platform.config.http.public_url)
}

/// Cookie settings of this deployment.
pub fn cookie_policy(state: &AppState) -> CookiePolicy {
    CookiePolicy::for_public_url(&state.platform.config.http.public_url)
}

/// The live SSO session of this tenant in `req`, with its cookie value.
pub async fn current_session(
    state: &AppState,
    tenant: &CurrentTenant,
    req: &HttpRequest,
) -> Result<Option<(String, Session)>, PageError> {
    let name = cookie_policy(state).session_name(&tenant.snapshot.tenant.slug);
    let Some(cookie) = req.cookie(&name).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    let session = crate::sso::resume(tenant, &cookie).await?;
    Ok(session.map(|s| (cookie, s)))
}

/// The `sub` of a valid `id_token_hint`: an ID token this tenant signed
/// (expired ones included, OIDC Core §3.1.2.1), `None` otherwise.
pub fn hinted_subject(state: &AppState, tenant: &CurrentTenant, hint: &str) -> Option<String> {
    let snapshot = &tenant.snapshot;
    let now = state.platform.clock.now_secs();
    let verified = idp::crypto::jwt::verify::<IdTokenClaims>(&snapshot.keys, hint, now)?;
    if verified.typ.as_deref() == Some("at+jwt") || verified.claims.iss != issuer(state, tenant) {
        return None;
    }
    Some(verified.claims.sub)
}

/// Continues a valid request: to the login page, the consent page, or the
/// client with a code.
pub async fn proceed(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Arc<Client>,
    request: AuthorizationRequest,
    req: &HttpRequest,
) -> Result<HttpResponse, PageError> {
    let session = current_session(state, tenant, req).await?;
    let hint_subject = match &request.id_token_hint {
        None => None,
        Some(hint) => match hinted_subject(state, tenant, hint) {
            Some(sub) => Some(sub),
            None => {
                return error_redirect(
                    state,
                    tenant,
                    &request,
                    "invalid_request",
                    "id_token_hint is not a valid ID token of this issuer",
                );
            }
        },
    };
    let now = state.platform.clock.now_secs();
    let signed_in = session.as_ref().filter(|(_, s)| {
        !request.prompts.contains(&Prompt::Login)
            && request.max_age.is_none_or(|age| now - s.auth_time <= age)
            && hint_subject.as_ref().is_none_or(|sub| *sub == s.user_id)
    });
    match signed_in {
        Some((_, session)) => consent_or_code(state, tenant, client, request, session, req).await,
        None if request.prompts.contains(&Prompt::None) => error_redirect(
            state,
            tenant,
            &request,
            "login_required",
            "the user must sign in",
        ),
        None => {
            let (browser, cookie) = browser_binding(req, cookie_policy(state));
            let pending = Interaction::new(client.id.to_string(), request, browser);
            let id =
                interaction::create(&state.platform, tenant.snapshot.tenant.id, &pending).await?;
            let location = format!("{}/login?interaction={id}", page_base(tenant));
            Ok(with_cookie(found(&location), cookie))
        }
    }
}

/// The signed-in user's next step: the consent page when something is not
/// yet granted (or `prompt=consent`), otherwise a code.
pub async fn consent_or_code(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Arc<Client>,
    request: AuthorizationRequest,
    session: &Session,
    req: &HttpRequest,
) -> Result<HttpResponse, PageError> {
    let snapshot = &tenant.snapshot;
    let granted = idp::consents::granted(
        &state.platform,
        snapshot.tenant.id,
        &session.user_id,
        client.id.as_str(),
    )
    .await?;
    let missing = idp::consents::missing(&granted, &request.scopes);
    // Offline access is asked even of first-party clients (OIDC Core §11).
    let ask = request.prompts.contains(&Prompt::Consent)
        || (!client.settings.first_party && !missing.is_empty())
        || missing.iter().any(|s| s == OFFLINE_ACCESS);
    if !ask {
        return code_redirect(state, tenant, client, &request, session).await;
    }
    if request.prompts.contains(&Prompt::None) {
        return error_redirect(
            state,
            tenant,
            &request,
            "consent_required",
            "the user must consent",
        );
    }
    let (browser, cookie) = browser_binding(req, cookie_policy(state));
    let mut pending = Interaction::new(client.id.to_string(), request, browser);
    pending.user_id = Some(session.user_id.clone());
    let id = interaction::create(&state.platform, snapshot.tenant.id, &pending).await?;
    let location = format!("{}/consent?interaction={id}", page_base(tenant));
    Ok(with_cookie(found(&location), cookie))
}

/// Issues a code for `request` and redirects to the client with `code`,
/// `state` and `iss` appended to the registered URI's own query.
pub async fn code_redirect(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    request: &AuthorizationRequest,
    session: &Session,
) -> Result<HttpResponse, PageError> {
    let snapshot = &tenant.snapshot;
    let grant = CodeGrant {
        client_id: client.id.to_string(),
        redirect_uri: request.redirect_uri.clone(),
        redirect_uri_sent: request.redirect_uri_sent,
        code_challenge: request
            .code_challenge
            .as_ref()
            .map(|c| c.as_str().to_owned()),
        nonce: request.nonce.clone(),
        scopes: request.scopes.clone(),
        user_id: session.user_id.clone(),
        auth_time: session.auth_time,
        session_id: session.sid.clone(),
        amr: session.amr.clone(),
    };
    let code = idp::codes::issue(
        &state.platform,
        snapshot.tenant.id,
        &grant,
        snapshot.tenant.policy.code_ttl_secs,
    )
    .await?;
    let mut url = url::Url::parse(&request.redirect_uri)
        .map_err(|e| PageError::Internal(format!("registered redirect URI: {e}")))?;
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("code", code.expose());
        if let Some(value) = &request.state {
            query.append_pair("state", value);
        }
        query.append_pair("iss", &issuer(state, tenant));
    }
    Ok(found(url.as_str()))
}

/// `/t/{slug}` of the tenant, as a path.
pub fn page_base(tenant: &CurrentTenant) -> String {
    format!("/t/{}", tenant.snapshot.tenant.slug)
}

/// `response` with `cookie` added, if any.
pub fn with_cookie(mut response: HttpResponse, cookie: Option<Cookie<'static>>) -> HttpResponse {
    if let Some(cookie) = cookie
        && let Err(e) = response.add_cookie(&cookie)
    {
        tracing::error!(error = %e, "cookie not set");
    }
    response
}
