//! The hosted consent page: the client's name, where the user will be sent,
//! and each scope not yet granted with its description. The decision acts on
//! the stored interaction only; form fields other than the decision are
//! ignored, so they cannot widen what was requested. After an approval the
//! sign-in state machine says what follows.

use actix_web::{HttpRequest, HttpResponse, web};
use idp::domain::authorize::step::{
    ACCESS_DENIED, Browser, Consent, FlowPolicy, Hint, SignedIn, next_step, scopes_to_ask,
};
use idp::domain::scope;
use serde::{Deserialize, Serialize};

use crate::hosted::browser::current_session;
use crate::hosted::error::PageError;
use crate::hosted::interaction::{
    self, EXPIRED, Interaction, InteractionQuery, client_of, load_bound,
};
use crate::hosted::render::Page;
use crate::hosted::step::{carry_out, error_redirect};
use crate::hosted::urls::page_path;
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
    current_session(state, tenant, req)
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
    let client = client_of(&state, &tenant, &pending).await?;
    let granted = idp::consents::granted(
        &state.platform,
        snapshot.tenant.id,
        &session.user_id,
        client.id.as_str(),
    )
    .await?;
    let scopes: Vec<ScopeLine> = scopes_to_ask(&pending.request, &granted)
        .into_iter()
        .map(|name| ScopeLine {
            description: describe(&tenant, &name),
            name,
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
            .with("action", page_path(&tenant, "consent"))
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
    let pending = interaction::load_posted(
        &state,
        &tenant,
        &req,
        &form.interaction,
        form.csrf.as_deref(),
        "This form was not sent from the consent page. Go back and try again.",
    )
    .await?;
    let session = session_for(&state, &tenant, &req, &pending).await?;
    // One decision per interaction, even when the form is posted twice at once.
    let Some(pending) = interaction::take(platform, snapshot.tenant.id, &form.interaction).await?
    else {
        return Err(PageError::BadRequest(EXPIRED));
    };
    if form.decision.as_deref() != Some("approve") {
        return error_redirect(&state, &tenant, &pending.request, ACCESS_DENIED);
    }
    let client = client_of(&state, &tenant, &pending).await?;
    let request = pending.request;
    idp::consents::grant(
        platform,
        snapshot.tenant.id,
        &session.user_id,
        client.id.as_str(),
        &request.scopes,
    )
    .await?;
    // The step that made this interaction accepted its user; the
    // id_token_hint was checked then.
    let browser = Browser {
        signed_in: Some(SignedIn::Accepted {
            user_id: &session.user_id,
        }),
        hint: Hint::Absent,
    };
    let policy = FlowPolicy::for_client(&client);
    let step = next_step(&request, &browser, &Consent::GivenNow, &policy);
    carry_out(
        &state,
        &tenant,
        &client,
        request,
        step,
        Some(&session),
        &req,
    )
    .await
}
