//! Carries out the sign-in state machine (`idp::domain::authorize::step`):
//! the authorization endpoint and each page gather the facts here, ask
//! [`next_step`], and [`carry_out`] the answer. A page step gets a new
//! interaction (bound to this browser, with the signed-in user once there is
//! one) and a redirect to its page; `Issue` sends a code, and `Error` the
//! error, to the client through the one redirect builder
//! ([`AuthorizationResponse::redirect_url`]), always with `state` and `iss`.
//! A new page step needs nothing here.

use actix_web::{HttpRequest, HttpResponse};
use idp::domain::authorize::step::{
    Browser, Consent, FlowPolicy, SignedIn, Step, next_step, signed_in_user,
};
use idp::domain::authorize::{AuthorizationRequest, ErrorRedirect};
use idp::domain::client::Client;
use idp::domain::grant::authorization_code::CodeGrant;
use idp::protocol::error::{AuthorizationResponse, AuthorizeError};
use idp::sessions::Session;

use crate::hosted::browser::{current_session, hint};
use crate::hosted::cookies::{browser_binding, cookie_policy, with_cookie};
use crate::hosted::error::PageError;
use crate::hosted::interaction::{self, Interaction};
use crate::hosted::render::found;
use crate::hosted::urls::{issuer, page_path};
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// The step after a valid authorization request, carried out.
pub async fn begin(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    request: AuthorizationRequest,
    req: &HttpRequest,
) -> Result<HttpResponse, PageError> {
    let session = current_session(state, tenant, req).await?;
    let now = state.platform.clock.now_secs();
    let browser = Browser {
        signed_in: session.as_ref().map(|(_, s)| SignedIn::Session {
            user_id: &s.user_id,
            age_secs: now - s.auth_time,
        }),
        hint: hint(state, tenant, &request),
    };
    let granted = granted(state, tenant, client, &request, &browser).await?;
    let step = next_step(
        &request,
        &browser,
        &Consent::Granted(&granted),
        &FlowPolicy::for_client(client),
    );
    let session = session.as_ref().map(|(_, s)| s);
    carry_out(state, tenant, client, request, step, session, req).await
}

/// The scopes the user [`signed_in_user`] accepts granted `client` before;
/// read only when there is such a user.
pub async fn granted(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    request: &AuthorizationRequest,
    browser: &Browser<'_>,
) -> Result<Vec<String>, PageError> {
    let Some(user) = signed_in_user(request, browser) else {
        return Ok(Vec::new());
    };
    let tenant_id = tenant.snapshot.tenant.id;
    Ok(idp::consents::granted(&state.platform, tenant_id, user, client.id.as_str()).await?)
}

/// Carries out `step` for `request`; `session` is the signed-in user's
/// session once there is one.
pub async fn carry_out(
    state: &AppState,
    tenant: &CurrentTenant,
    client: &Client,
    request: AuthorizationRequest,
    step: Step,
    session: Option<&Session>,
    req: &HttpRequest,
) -> Result<HttpResponse, PageError> {
    if let Some(page) = step.page() {
        let (browser, cookie) = browser_binding(req, cookie_policy(state));
        let mut pending = Interaction::new(client.id.to_string(), request, browser);
        pending.user_id = session
            .filter(|_| step.signed_in())
            .map(|s| s.user_id.clone());
        let id = interaction::create(&state.platform, tenant.snapshot.tenant.id, &pending).await?;
        let location = format!("{}?interaction={id}", page_path(tenant, page));
        return Ok(with_cookie(found(&location), cookie));
    }
    match (step, session) {
        (Step::Error(error), _) => error_redirect(state, tenant, &request, error),
        (Step::Issue, Some(session)) => {
            code_redirect(state, tenant, client, &request, session).await
        }
        (Step::Issue, None) => Err(PageError::Internal("a code without a session".into())),
        (Step::Login | Step::Consent, _) => {
            Err(PageError::Internal("a page step without a page".into()))
        }
    }
}

/// `error` for `request`, sent to the client.
pub fn error_redirect(
    state: &AppState,
    tenant: &CurrentTenant,
    request: &AuthorizationRequest,
    error: AuthorizeError,
) -> Result<HttpResponse, PageError> {
    let response = AuthorizationResponse::Error(error);
    to_client(
        state,
        tenant,
        &request.redirect_uri,
        request.state.as_deref(),
        response,
    )
}

/// An error found by request validation (`idp::domain::authorize::validate`),
/// sent to the client.
pub fn validation_error_redirect(
    state: &AppState,
    tenant: &CurrentTenant,
    redirect: &ErrorRedirect,
) -> Result<HttpResponse, PageError> {
    let response = AuthorizationResponse::Error(redirect.error);
    to_client(
        state,
        tenant,
        &redirect.redirect_uri,
        redirect.state.as_deref(),
        response,
    )
}

/// Issues a code to the user of `session` for `request` and sends it to the
/// client.
async fn code_redirect(
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
        resource: request.resource.clone(),
    };
    let code = idp::codes::issue(
        &state.platform,
        snapshot.tenant.id,
        &grant,
        snapshot.tenant.policy.code_ttl_secs,
    )
    .await?;
    let response = AuthorizationResponse::Code(code.expose());
    to_client(
        state,
        tenant,
        &request.redirect_uri,
        request.state.as_deref(),
        response,
    )
}

/// A redirect to the client's (validated) `redirect_uri` with `response`.
fn to_client(
    state: &AppState,
    tenant: &CurrentTenant,
    redirect_uri: &str,
    client_state: Option<&str>,
    response: AuthorizationResponse<'_>,
) -> Result<HttpResponse, PageError> {
    let url = response
        .redirect_url(redirect_uri, client_state, &issuer(state, tenant))
        .map_err(|e| PageError::Internal(format!("registered redirect URI: {e}")))?;
    Ok(found(&url))
}
