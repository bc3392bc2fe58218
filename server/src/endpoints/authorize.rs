//! The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2), GET and
//! POST. The client and redirect URI are checked first: if either is bad the
//! user sees an error page and is never redirected; later errors go back to
//! the client with `state` and `iss` (RFC 9207). A valid request goes on to
//! the sign-in state machine (`crate::hosted::step`). No CORS here.

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::authorize::{AuthorizeOutcome, Params, validate};
use idp::ids::ClientId;

use crate::hosted::error::PageError;
use crate::hosted::render::error_page;
use crate::hosted::step;
use crate::state::AppState;
use crate::tenant;

/// `GET /t/{slug}/authorize`.
pub async fn get_authorize(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let params = parse(req.query_string().as_bytes());
    authorize(&req, &state, &slug, params).await
}

/// `POST /t/{slug}/authorize` with a form body (OIDC Core §3.1.2.1).
pub async fn post_authorize(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(PageError::BadRequest(
            "The sign-in request must be sent as a form.",
        ));
    }
    authorize(&req, &state, &slug, parse(&body)).await
}

fn parse(bytes: &[u8]) -> Params {
    Params::from_pairs(url::form_urlencoded::parse(bytes).into_owned())
}

async fn authorize(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    params: Params,
) -> Result<HttpResponse, PageError> {
    let tenant = tenant::resolve(state, slug).await?;
    let snapshot = &tenant.snapshot;
    let client = match params.first("client_id") {
        Some(id) => tenant::find_client(state, &tenant, &ClientId::new(id)).await?,
        None => None,
    };
    match validate(
        &params,
        client.as_deref(),
        &snapshot.tenant.policy,
        &snapshot.apis,
    ) {
        AuthorizeOutcome::ErrorPage(message) => Ok(error_page(
            StatusCode::BAD_REQUEST,
            &snapshot.tenant,
            message,
        )),
        AuthorizeOutcome::Redirect(redirect) => {
            step::validation_error_redirect(state, &tenant, &redirect)
        }
        AuthorizeOutcome::Valid(request) => match client {
            Some(client) => step::begin(state, &tenant, &client, request, req).await,
            None => Err(PageError::Internal("valid request without a client".into())),
        },
    }
}
