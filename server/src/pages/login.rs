//! The hosted login page of an interaction. A successful login starts a new
//! SSO session (a fresh id: no fixation), then the sign-in state machine says
//! what follows; every failure shows the same generic message, and failures
//! count towards the lockout of the user and the throttling of the source
//! address.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::authorize::step::{Browser, Consent, FlowPolicy, SignedIn, Step, next_step};
use idp::users::SignInError;
use serde::Deserialize;

use crate::hosted::browser::hint;
use crate::hosted::cookies::{cookie_policy, with_cookie};
use crate::hosted::error::PageError;
use crate::hosted::interaction::{
    self, EXPIRED, Interaction, InteractionQuery, client_of, load_bound,
};
use crate::hosted::render::Page;
use crate::hosted::step::{carry_out, error_redirect, granted};
use crate::hosted::urls::page_path;
use crate::login_guard;
use crate::state::AppState;
use crate::tenant::{self, CurrentTenant};

/// Shown for every failed login, whatever the cause.
pub const FAILED: &str =
    "The username or password is incorrect, or the account cannot sign in right now.";

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    interaction: String,
    csrf: Option<String>,
    login: Option<String>,
    password: Option<String>,
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
        .with("action", page_path(tenant, "login"))
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
    let pending = interaction::load_posted(
        &state,
        &tenant,
        &req,
        &form.interaction,
        form.csrf.as_deref(),
        "This form was not sent from the sign-in page. Go back and try again.",
    )
    .await?;
    let client = client_of(&state, &tenant, &pending).await?;
    let source = crate::client_ip::client_ip(&req, &platform.config);
    let tenant_id = snapshot.tenant.id;
    // Counted before anything is checked, so parallel guesses from one
    // address cannot all get in before it is refused.
    match login_guard::admit_source(platform, tenant_id, &source).await {
        Ok(()) => {}
        Err(login_guard::Refused::Throttled(retry)) => return Err(PageError::Throttled(retry)),
        Err(login_guard::Refused::Unavailable(e)) => return Err(e.into()),
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
    // Counted per account (whichever of its names was typed) before the
    // password is checked, so parallel guesses cannot all get in before the
    // lock is written. The password is checked even past the limit, so
    // timing does not tell a locked account apart.
    let candidate = idp::users::find_for_sign_in(platform, tenant_id, login).await?;
    let account = candidate.as_ref().map(|c| c.user.id.clone());
    let counted = match &account {
        Some(id) => login_guard::Counted::Account(id),
        None => login_guard::Counted::UnknownName(login),
    };
    let epoch = counted.epoch(&snapshot.watermarks);
    let rules = &snapshot.tenant.policy.sign_in;
    let attempt = login_guard::admit(platform, tenant_id, counted, epoch, rules).await?;
    let user = match idp::users::check_password(platform, candidate, password).await {
        // An admin unlock this process has not heard of yet counts.
        Ok(user) if attempt.allowed || user.unlocked_after(epoch) => user,
        Err(SignInError::Store(e)) => return Err(e.into()),
        Ok(user) => {
            login_guard::lock(platform, tenant_id, &user.id, rules).await;
            return Ok(failure_page());
        }
        Err(SignInError::WrongPassword(id)) if attempt.last => {
            login_guard::lock(platform, tenant_id, &id, rules).await;
            return Ok(failure_page());
        }
        Err(_) => return Ok(failure_page()),
    };
    login_guard::succeeded(platform, tenant_id, &source, &user.id, epoch, rules).await;
    // The interaction is spent before a session starts: of two posts of this
    // form, one signs in.
    if interaction::take(platform, snapshot.tenant.id, &form.interaction)
        .await?
        .is_none()
    {
        return Err(PageError::BadRequest(EXPIRED));
    }
    let request = pending.request;
    let browser = Browser {
        signed_in: Some(SignedIn::JustNow {
            user_id: user.id.as_str(),
        }),
        hint: hint(&state, &tenant, &request),
    };
    let granted = granted(&state, &tenant, &client, &request, &browser).await?;
    let policy = FlowPolicy::for_client(&client);
    let step = next_step(&request, &browser, &Consent::Granted(&granted), &policy);
    // No session for a user the client did not name (OIDC Core §3.1.2.1).
    if let Step::Error(error) = step {
        return error_redirect(&state, &tenant, &request, error);
    }
    // A fresh session id at every login; the previous session ends.
    let cookies = cookie_policy(&state);
    let cookie_name = cookies.session_name(&snapshot.tenant.slug);
    let replaces = req.cookie(&cookie_name).map(|c| c.value().to_owned());
    let (cookie, session) =
        crate::sso::start(&tenant, user.id.as_str(), vec!["pwd".to_owned()], replaces).await?;
    let session_cookie = cookies.cookie(cookie_name, cookie.expose().clone());
    let next = carry_out(
        &state,
        &tenant,
        &client,
        request,
        step,
        Some(&session),
        &req,
    )
    .await?;
    Ok(with_cookie(next, Some(session_cookie)))
}
