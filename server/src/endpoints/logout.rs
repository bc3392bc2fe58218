//! RP-Initiated Logout 1.0 (`end_session_endpoint`), GET and POST. With a
//! valid `id_token_hint` for the signed-in user the session ends at once, and
//! the user goes back to `post_logout_redirect_uri` (with `state`) only when
//! that URI is registered for the hinted client and exactly equal. Without a
//! hint the user confirms on a page whose form carries the session's CSRF
//! token. Ending a session revokes the refresh tokens bound to it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::authorize::Params;
use idp::domain::token::id_token::IdTokenClaims;
use idp::ids::ClientId;
use idp::secret::constant_time_eq;
use idp::sessions::Session;

use crate::flow::{self, cookie_policy, found};
use crate::hosted::error::PageError;
use crate::hosted::render::{Page, error_page};
use crate::state::AppState;
use crate::tenant::{self, CurrentTenant, apply_locally};

/// `GET /t/{slug}/logout`.
pub async fn get_logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let params =
        Params::from_pairs(url::form_urlencoded::parse(req.query_string().as_bytes()).into_owned());
    logout(&req, &state, &slug, &params, false).await
}

/// `POST /t/{slug}/logout` (an RP's form, or the confirmation form).
pub async fn post_logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let params = Params::from_pairs(url::form_urlencoded::parse(&body).into_owned());
    logout(&req, &state, &slug, &params, true).await
}

fn hinted(state: &AppState, tenant: &CurrentTenant, hint: &str) -> Option<IdTokenClaims> {
    let snapshot = &tenant.snapshot;
    let now = state.platform.clock.now_secs();
    let verified = idp::crypto::jwt::verify::<IdTokenClaims>(&snapshot.keys, hint, now)?;
    (verified.typ.as_deref() != Some("at+jwt")
        && verified.claims.iss == flow::issuer(state, tenant))
    .then_some(verified.claims)
}

async fn logout(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    params: &Params,
    posted: bool,
) -> Result<HttpResponse, PageError> {
    let tenant = tenant::resolve(state, slug).await?;
    let name = &tenant.snapshot.tenant;
    let bad = |message: &str| Ok(error_page(StatusCode::BAD_REQUEST, name, message));
    let session = flow::current_session(state, &tenant, req).await?;
    let hint = match params.first("id_token_hint") {
        None => None,
        Some(text) => match hinted(state, &tenant, text) {
            Some(claims) => Some(claims),
            None => {
                return bad("The sign-out request is not valid: its ID token was not issued here.");
            }
        },
    };
    if let (Some(claims), Some(client_id)) = (&hint, params.first("client_id"))
        && claims.aud != client_id
    {
        return bad("The sign-out request names two different applications.");
    }
    let target = match params.first("post_logout_redirect_uri") {
        None => None,
        Some(uri) => {
            let Some(claims) = &hint else {
                return bad("The sign-out request must identify the application to return to.");
            };
            let client =
                tenant::find_client(state, &tenant, &ClientId::new(claims.aud.as_str())).await?;
            if !client.is_some_and(|c| {
                c.settings
                    .post_logout_redirect_uris
                    .iter()
                    .any(|r| r == uri)
            }) {
                return bad(
                    "The address to return to after sign-out is not registered for this application.",
                );
            }
            Some(uri.to_owned())
        }
    };
    let same_user = |s: &Session| hint.as_ref().is_some_and(|c| c.sub == s.user_id);
    match session {
        None => finish(state, &tenant, None, target, params.first("state")).await,
        Some((cookie, session)) if same_user(&session) => {
            finish(
                state,
                &tenant,
                Some((cookie, session)),
                target,
                params.first("state"),
            )
            .await
        }
        Some((cookie, session)) if posted && params.first("id_token_hint").is_none() => {
            let csrf = params.first("csrf").unwrap_or_default();
            if !constant_time_eq(csrf.as_bytes(), session.csrf.as_bytes())
                || session.csrf.is_empty()
            {
                return Err(PageError::Forbidden(
                    "This form was not sent from the sign-out page. Go back and try again.",
                ));
            }
            finish(state, &tenant, Some((cookie, session)), None, None).await
        }
        Some((_, session)) => Ok(Page::for_tenant("logout.html", "Sign out", name)
            .with("action", format!("{}/logout", flow::page_base(&tenant)))
            .with("csrf", &session.csrf)
            .with("state", Option::<String>::None)
            .response()),
    }
}

/// Ends the session (if any) and its refresh tokens, then sends the user to
/// `target` with `state`, or shows the signed-out page.
async fn finish(
    state: &AppState,
    tenant: &CurrentTenant,
    session: Option<(String, Session)>,
    target: Option<String>,
    logout_state: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let snapshot = &tenant.snapshot;
    let policy = cookie_policy(state);
    if let Some((cookie, session)) = &session {
        crate::sso::end(tenant, cookie, session).await?;
        apply_locally(state, snapshot.tenant.id).await?;
    }
    let mut response = match target {
        Some(uri) => {
            let mut url = url::Url::parse(&uri)
                .map_err(|e| PageError::Internal(format!("registered logout URI: {e}")))?;
            if let Some(value) = logout_state {
                url.query_pairs_mut().append_pair("state", value);
            }
            found(url.as_str())
        }
        None => Page::for_tenant("logged_out.html", "Signed out", &snapshot.tenant).response(),
    };
    let removal = policy.removal(policy.session_name(&snapshot.tenant.slug));
    if let Err(e) = response.add_cookie(&removal) {
        tracing::error!(error = %e, "session cookie not removed");
    }
    Ok(response)
}
