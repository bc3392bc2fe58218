//! The hosted consent page: the client's name, where the user will be sent,
//! and each scope not yet granted with its description. The decision acts on
//! the stored interaction only; form fields other than the decision are
//! ignored, so they cannot widen what was requested.

use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::authorize::Prompt;
use idp::domain::scope;
use serde::{Deserialize, Serialize};

use crate::endpoints::login::{EXPIRED, InteractionQuery, load_bound};
use crate::flow::{self, cookie_policy};
use crate::hosted::cookies::current_binding;
use crate::hosted::error::PageError;
use crate::hosted::interaction::{self, Interaction};
use crate::hosted::render::Page;
use crate::state::AppState;
use crate::tenant::{self, CurrentTenant};

/// The consent form.
#[derive(Deserialize)]
pub struct ConsentForm {
    interaction: String,
    csrf: Option<String>,
    decision: Option<String>,
}

#[derive(Serialize)]
struct ScopeLine {
    name: String,
    description: String,
}

/// The signed-in session of the user the interaction asks consent of.
async fn session_for(
    state: &AppState,
    tenant: &CurrentTenant,
    req: &HttpRequest,
    pending: &Interaction,
) -> Result<idp::sessions::Session, PageError> {
    flow::current_session(state, tenant, req)
        .await?
        .map(|(_, session)| session)
        .filter(|s| pending.user_id.as_deref() == Some(s.user_id.as_str()))
        .ok_or(PageError::BadRequest(EXPIRED))
}

fn describe(tenant: &CurrentTenant, name: &str) -> String {
    scope::builtin(name)
        .map(|s| s.description.to_owned())
        .or_else(|| {
            tenant.snapshot.apis.iter().find_map(|api| {
                api.scopes
                    .iter()
                    .find(|s| s.name == name)
                    .map(|s| s.description.clone())
            })
        })
        .unwrap_or_else(|| name.to_owned())
}

/// `GET /t/{slug}/consent?interaction=…`.
pub async fn get_consent(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    query: web::Query<InteractionQuery>,
) -> Result<HttpResponse, PageError> {
    let tenant = tenant::resolve(&state, &slug).await?;
    let pending = load_bound(&state, &tenant, &req, &query.interaction).await?;
    let session = session_for(&state, &tenant, &req, &pending).await?;
    let snapshot = &tenant.snapshot;
    let client = tenant::find_client(
        &state,
        &tenant,
        &idp::ids::ClientId::new(pending.client_id.as_str()),
    )
    .await?
    .filter(|c| c.enabled)
    .ok_or(PageError::BadRequest(EXPIRED))?;
    let granted = idp::consents::granted(
        &state.platform,
        snapshot.tenant.id,
        &session.user_id,
        client.id.as_str(),
    )
    .await?;
    let asked = if pending.request.prompts.contains(&Prompt::Consent) {
        pending.request.scopes.clone()
    } else {
        idp::consents::missing(&granted, &pending.request.scopes)
    };
    let scopes: Vec<ScopeLine> = asked
        .iter()
        .map(|name| ScopeLine {
            name: name.clone(),
            description: describe(&tenant, name),
        })
        .collect();
    let user = idp::users::find(
        &state.platform,
        snapshot.tenant.id,
        &idp::domain::user::UserId::new(session.user_id.as_str()),
    )
    .await?
    .ok_or(PageError::BadRequest(EXPIRED))?;
    let user_label = user
        .email
        .clone()
        .or(user.username.clone())
        .unwrap_or_else(|| user.id.as_str().to_owned());
    let redirect_host = url::Url::parse(&pending.request.redirect_uri)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    Ok(
        Page::for_tenant("consent.html", "Allow access", &snapshot.tenant)
            .with("action", format!("{}/consent", flow::page_base(&tenant)))
            .with("client_name", &client.name)
            .with("redirect_host", redirect_host)
            .with("user_label", user_label)
            .with("scopes", scopes)
            .with("interaction", &query.interaction)
            .with("csrf", &pending.csrf)
            .response(),
    )
}

/// `POST /t/{slug}/consent`.
pub async fn post_consent(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: web::Form<ConsentForm>,
) -> Result<HttpResponse, PageError> {
    let tenant = tenant::resolve(&state, &slug).await?;
    let snapshot = &tenant.snapshot;
    let platform = &state.platform;
    let Some(pending) = interaction::load(platform, snapshot.tenant.id, &form.interaction).await?
    else {
        return Err(PageError::BadRequest(EXPIRED));
    };
    let browser = current_binding(&req, cookie_policy(&state));
    if !pending.accepts(browser.as_deref(), form.csrf.as_deref()) {
        return Err(PageError::Forbidden(
            "This form was not sent from the consent page. Go back and try again.",
        ));
    }
    let session = session_for(&state, &tenant, &req, &pending).await?;
    // One decision per interaction, even when the form is posted twice at once.
    let Some(pending) = interaction::take(platform, snapshot.tenant.id, &form.interaction).await?
    else {
        return Err(PageError::BadRequest(EXPIRED));
    };
    let request = pending.request;
    if form.decision.as_deref() != Some("approve") {
        return flow::error_redirect(
            &state,
            &tenant,
            &request,
            "access_denied",
            "the user denied the request",
        );
    }
    let client = tenant::find_client(
        &state,
        &tenant,
        &idp::ids::ClientId::new(pending.client_id.as_str()),
    )
    .await?
    .filter(|c| c.enabled)
    .ok_or(PageError::BadRequest(EXPIRED))?;
    idp::consents::grant(
        platform,
        snapshot.tenant.id,
        &session.user_id,
        client.id.as_str(),
        &request.scopes,
    )
    .await?;
    flow::code_redirect(&state, &tenant, &client, &request, &session).await
}
