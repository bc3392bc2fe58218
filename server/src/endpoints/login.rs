//! The hosted login page of an interaction. A successful login starts a new
//! SSO session (a fresh id: no fixation) and continues the flow; every
//! failure shows the same generic message, and failures count towards the
//! lockout of the user and the throttling of the source address.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::users::SignInError;
use serde::Deserialize;

use crate::flow::{self, cookie_policy, with_cookie};
use crate::hosted::cookies::current_binding;
use crate::hosted::error::PageError;
use crate::hosted::interaction::{self, Interaction};
use crate::hosted::render::Page;
use crate::login_guard;
use crate::state::AppState;
use crate::tenant::{self, CurrentTenant};

/// Shown for every failed login, whatever the cause.
pub const FAILED: &str =
    "The username or password is incorrect, or the account cannot sign in right now.";

/// Shown when an interaction is missing, expired or from another browser.
pub const EXPIRED: &str = "This sign-in request has expired or was opened in another browser. Go back to the application and start again.";

/// `?interaction=` of the page URLs.
#[derive(Deserialize)]
pub struct InteractionQuery {
    /// The interaction id.
    pub interaction: String,
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    interaction: String,
    csrf: Option<String>,
    login: Option<String>,
    password: Option<String>,
}

/// Loads interaction `id` for the browser of `req`.
pub async fn load_bound(
    state: &AppState,
    tenant: &CurrentTenant,
    req: &HttpRequest,
    id: &str,
) -> Result<Interaction, PageError> {
    let found = interaction::load(&state.platform, tenant.snapshot.tenant.id, id).await?;
    let browser = current_binding(req, cookie_policy(state));
    found
        .filter(|i| browser.as_deref() == Some(i.browser.as_str()))
        .ok_or(PageError::BadRequest(EXPIRED))
}

fn login_page(
    tenant: &CurrentTenant,
    client_name: &str,
    id: &str,
    pending: &Interaction,
    login: &str,
    error: Option<&str>,
) -> Page {
    Page::for_tenant("login.html", "Sign in", &tenant.snapshot.tenant)
        .with("action", format!("{}/login", flow::page_base(tenant)))
        .with("client_name", client_name)
        .with("interaction", id)
        .with("csrf", &pending.csrf)
        .with("login_hint", login)
        .with("error", error)
}

/// `GET /t/{slug}/login?interaction=…`.
pub async fn get_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<InteractionQuery>,
) -> Result<HttpResponse, PageError> {
    let tenant = tenant::resolve(&state, &slug).await?;
    let pending = load_bound(&state, &tenant, &req, &query.interaction).await?;
    let client = client_of(&state, &tenant, &pending).await?;
    let hint = pending.request.login_hint.clone().unwrap_or_default();
    Ok(login_page(
        &tenant,
        &client.name,
        &query.interaction,
        &pending,
        &hint,
        None,
    )
    .response())
}

async fn client_of(
    state: &AppState,
    tenant: &CurrentTenant,
    pending: &Interaction,
) -> Result<std::sync::Arc<idp::domain::client::Client>, PageError> {
    tenant::find_client(
        state,
        tenant,
        &idp::ids::ClientId::new(pending.client_id.as_str()),
    )
    .await?
    .filter(|c| c.enabled)
    .ok_or(PageError::BadRequest(EXPIRED))
}

/// `POST /t/{slug}/login`.
pub async fn post_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let tenant = tenant::resolve(&state, &slug).await?;
    let snapshot = &tenant.snapshot;
    let platform = &state.platform;
    let Some(mut pending) =
        interaction::load(platform, snapshot.tenant.id, &form.interaction).await?
    else {
        return Err(PageError::BadRequest(EXPIRED));
    };
    let browser = current_binding(&req, cookie_policy(&state));
    if !pending.accepts(browser.as_deref(), form.csrf.as_deref()) {
        return Err(PageError::Forbidden(
            "This form was not sent from the sign-in page. Go back and try again.",
        ));
    }
    let client = client_of(&state, &tenant, &pending).await?;
    let source = crate::client_ip::client_ip(&req, &platform.config);
    if let Some(retry) =
        login_guard::source_retry_after(platform, snapshot.tenant.id, &source).await
    {
        return Err(PageError::Throttled(retry));
    }
    let login = form.login.as_deref().unwrap_or_default().trim();
    let password = form.password.as_deref().unwrap_or_default();
    let failure_page = || {
        login_page(
            &tenant,
            &client.name,
            &form.interaction,
            &pending,
            login,
            Some(FAILED),
        )
        .status(StatusCode::OK)
        .response()
    };
    // Counted before the password is checked, so parallel guesses cannot all
    // get in before the lock is written. The password is checked even past
    // the limit, so timing does not tell a locked account apart.
    let epoch = snapshot.watermarks.login_epoch(login);
    let rules = &snapshot.tenant.policy.sign_in;
    let attempt = login_guard::admit(platform, snapshot.tenant.id, login, epoch, rules).await;
    let signed_in = idp::users::sign_in(platform, snapshot.tenant.id, login, password).await;
    let user = match signed_in {
        // An admin unlock this process has not heard of yet counts.
        Ok(user) if attempt.allowed || user.unlocked_after(epoch) => user,
        Err(SignInError::Store(e)) => return Err(e.into()),
        Ok(user) => {
            login_guard::failed(
                platform,
                snapshot.tenant.id,
                &source,
                Some(&user.id),
                true,
                rules,
            )
            .await;
            return Ok(failure_page());
        }
        Err(error) => {
            let user = match &error {
                SignInError::WrongPassword(id) => Some(id),
                _ => None,
            };
            login_guard::failed(
                platform,
                snapshot.tenant.id,
                &source,
                user,
                attempt.last,
                rules,
            )
            .await;
            return Ok(failure_page());
        }
    };
    login_guard::succeeded(platform, snapshot.tenant.id, login, epoch, rules).await;
    // The interaction is spent before a session starts: of two posts of this
    // form, one signs in.
    if interaction::take(platform, snapshot.tenant.id, &form.interaction)
        .await?
        .is_none()
    {
        return Err(PageError::BadRequest(EXPIRED));
    }
    // An id_token_hint names who the client expects (OIDC Core §3.1.2.1).
    if let Some(hint) = &pending.request.id_token_hint
        && flow::hinted_subject(&state, &tenant, hint).as_deref() != Some(user.id.as_str())
    {
        return flow::error_redirect(
            &state,
            &tenant,
            &pending.request,
            "login_required",
            "the signed-in user is not the one the client named",
        );
    }
    // A fresh session id at every login; the previous session ends.
    let policy = cookie_policy(&state);
    let cookie_name = policy.session_name(&snapshot.tenant.slug);
    let replaces = req.cookie(&cookie_name).map(|c| c.value().to_owned());
    let (cookie, session) =
        crate::sso::start(&tenant, user.id.as_str(), vec!["pwd".to_owned()], replaces).await?;
    pending.user_id = Some(user.id.as_str().to_owned());
    let session_cookie = policy.cookie(cookie_name, cookie.expose().clone());
    let next =
        flow::consent_or_code(&state, &tenant, &client, pending.request, &session, &req).await?;
    Ok(with_cookie(next, Some(session_cookie)))
}
