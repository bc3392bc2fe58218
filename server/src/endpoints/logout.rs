//! RP-Initiated Logout 1.0 (`end_session_endpoint`), GET and POST. With a
//! valid `id_token_hint` naming the current session (its `sid`) the session
//! ends at once; a hint but no cookie (a cross-site POST) ends the session the
//! hint names. The user goes back to `post_logout_redirect_uri` (with
//! `state`) only when that URI is registered for the hinted client and exactly
//! equal. Otherwise the user confirms on a page whose form carries the
//! session's CSRF token and the request, checked again on the post. Ending a
//! session revokes the refresh tokens bound to it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::authorize::Params;
use idp::ids::ClientId;
use idp::secret::constant_time_eq;
use idp::sessions::Session;

use crate::hosted::browser::{current_session, verified_id_token};
use crate::hosted::cookies::cookie_policy;
use crate::hosted::error::PageError;
use crate::hosted::render::{Page, error_page, found};
use crate::hosted::urls::page_path;
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
    let session = current_session(state, &tenant, req).await?;
    let hint = match params.first("id_token_hint") {
        None => None,
        Some(text) => match verified_id_token(state, &tenant, text) {
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
    // The signed-out page's way back: the application the request names.
    let named = hint
        .as_ref()
        .map(|h| h.aud.as_str())
        .or_else(|| params.first("client_id"));
    let home = match named {
        Some(id) => tenant::find_client(state, &tenant, &ClientId::new(id))
            .await?
            .filter(|c| c.enabled)
            .and_then(|c| c.home_page().map(|url| (c.name.clone(), url))),
        None => None,
    };
    let back = Return {
        target,
        state: params.first("state").map(str::to_owned),
        home,
    };
    let confirmed = |s: &Session| {
        posted
            && !s.csrf.is_empty()
            && constant_time_eq(
                params.first("csrf").unwrap_or_default().as_bytes(),
                s.csrf.as_bytes(),
            )
    };
    match (session, &hint) {
        // The user confirmed on our page, or the client's ID token names this
        // very session (RP-Initiated Logout §2): end it.
        (Some((cookie, session)), _)
            if confirmed(&session) || hint.as_ref().is_some_and(|h| h.sid == session.sid) =>
        {
            finish(state, &tenant, Ending::Session(cookie, session.sid), back).await
        }
        // A form post without this session's token changes nothing.
        (Some(_), None) if posted => Err(PageError::Forbidden(
            "This form was not sent from the sign-out page. Go back and try again.",
        )),
        // Otherwise the user confirms; the request rides along, checked again.
        (Some((_, session)), _) => Ok(Page::for_tenant("logout.html", "Sign out", name)
            .with("action", page_path(&tenant, "logout"))
            .with("csrf", &session.csrf)
            .with("id_token_hint", params.first("id_token_hint"))
            .with("client_id", params.first("client_id"))
            .with("post_logout_redirect_uri", back.target.as_deref())
            .with("state", back.state.as_deref())
            .response()),
        // No cookie (a cross-site POST does not carry the SameSite=Lax cookie):
        // the ID token names the session to end on the server.
        (None, Some(claims)) => finish(state, &tenant, Ending::Sid(claims.sid.clone()), back).await,
        (None, None) => finish(state, &tenant, Ending::Nothing, back).await,
    }
}

/// Where the user goes after signing out: a registered URI with `state`;
/// without one, the signed-out page links to the application's home page.
struct Return {
    target: Option<String>,
    state: Option<String>,
    /// The named application's name and home page.
    home: Option<(String, String)>,
}

/// Which session a logout ends.
enum Ending {
    /// The browser's session: its cookie and public id.
    Session(String, String),
    /// The session with this public id, without its cookie.
    Sid(String),
    /// None (already signed out).
    Nothing,
}

/// Ends the session (and the refresh tokens bound to it), then sends the
/// user to the registered target with `state`, or shows the signed-out page.
async fn finish(
    state: &AppState,
    tenant: &CurrentTenant,
    ending: Ending,
    back: Return,
) -> Result<HttpResponse, PageError> {
    let snapshot = &tenant.snapshot;
    let policy = cookie_policy(state);
    let ended = match &ending {
        Ending::Session(cookie, sid) => Some((Some(cookie.as_str()), sid.as_str())),
        Ending::Sid(sid) => Some((None, sid.as_str())),
        Ending::Nothing => None,
    };
    if let Some((cookie, sid)) = ended {
        crate::sso::end(tenant, cookie, sid).await?;
        apply_locally(state, snapshot.tenant.id).await?;
    }
    let mut response = match back.target {
        Some(uri) => {
            let mut url = url::Url::parse(&uri)
                .map_err(|e| PageError::Internal(format!("registered logout URI: {e}")))?;
            if let Some(value) = &back.state {
                url.query_pairs_mut().append_pair("state", value);
            }
            found(url.as_str())
        }
        None => {
            let (name, url) = back.home.unzip();
            Page::for_tenant("logged_out.html", "Signed out", &snapshot.tenant)
                .with("back_name", name)
                .with("back_url", url)
                .response()
        }
    };
    if matches!(ending, Ending::Session(..)) {
        let removal = policy.removal(policy.session_name(&snapshot.tenant.slug));
        if let Err(e) = response.add_cookie(&removal) {
            tracing::error!(error = %e, "session cookie not removed");
        }
    }
    Ok(response)
}
