//! The demo web client's callback page (served only for the `demo` tenant,
//! and only when the server was started with the demo): it redeems the code
//! through the same grant code the token endpoint runs, then shows the
//! decoded ID token, the userinfo claims and the token response.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use idp::domain::user::UserId;
use idp::ids::ClientId;

use crate::demo::{DEMO_SLUG, DEMO_WEB_CLIENT};
use crate::endpoints::token::authorization_code;
use crate::endpoints::userinfo::release;
use crate::extract::form::OAuthForm;
use crate::hosted::error::PageError;
use crate::hosted::render::Page;
use crate::state::AppState;
use crate::tenant;

fn page(tenant_name: &str) -> Page {
    Page::new("demo_callback.html", "Demo app: signed in", tenant_name)
}

fn decode_payload(jwt: &str) -> Option<serde_json::Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `GET /t/demo/demo/callback`.
pub async fn get_callback(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let Some(demo) = state.demo.get() else {
        return Err(PageError::NotFound);
    };
    let tenant = tenant::resolve(&state, DEMO_SLUG).await?;
    let name = tenant.snapshot.tenant.display_name.clone();
    let query: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    let get = |key: &str| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    if let Some(error) = get("error") {
        let text = format!(
            "The sign-in ended with `{error}`: {}",
            get("error_description").unwrap_or("")
        );
        return Ok(page(&name)
            .with("error", text)
            .status(StatusCode::BAD_REQUEST)
            .response());
    }
    let Some(code) = get("code") else {
        return Ok(page(&name).with("error", "You are signed out.").response());
    };
    // What a client must check before redeeming (RFC 6749 §10.12, RFC 9207 §2.4).
    let issuer = crate::hosted::urls::issuer(&state, &tenant);
    if get("state") != Some(crate::demo::DEMO_STATE) || get("iss") != Some(issuer.as_str()) {
        return Ok(page(&name)
            .with(
                "error",
                "This response was not meant for the demo app (state or iss differ).",
            )
            .status(StatusCode::BAD_REQUEST)
            .response());
    }
    let client = tenant::find_client(&state, &tenant, &ClientId::new(DEMO_WEB_CLIENT))
        .await?
        .ok_or(PageError::NotFound)?;
    let redirect_uri = format!(
        "{}{}",
        state.platform.config.http.public_url,
        crate::demo::callback_path()
    );
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("code_verifier", &demo.verifier)
        .finish();
    let form =
        OAuthForm::parse(body.as_bytes()).map_err(|_| PageError::Internal("demo form".into()))?;
    let tokens = match authorization_code::grant(&state, &tenant, &client, &form).await {
        Ok(tokens) => tokens,
        Err(e) => {
            tracing::info!(error = %e, "demo code exchange refused");
            return Ok(page(&name)
                .with("error", "The code could not be exchanged: it was already used or has expired. Start again from the printed URL.")
                .status(StatusCode::BAD_REQUEST)
                .response());
        }
    };
    let id_claims = tokens
        .id_token
        .as_deref()
        .and_then(decode_payload)
        .unwrap_or_default();
    let sub = id_claims
        .get("sub")
        .and_then(|s| s.as_str())
        .unwrap_or_default()
        .to_owned();
    let user = idp::users::find(
        &state.platform,
        tenant.snapshot.tenant.id,
        &UserId::new(sub),
    )
    .await?;
    let scopes: Vec<&str> = tokens.scope.split(' ').collect();
    let userinfo = user.map(|u| release(&u, &scopes)).unwrap_or_default();
    let shown = serde_json::json!({
        "token_type": tokens.token_type,
        "expires_in": tokens.expires_in,
        "scope": tokens.scope,
        "access_token": format!("{}…", tokens.access_token.chars().take(24).collect::<String>()),
        "refresh_token": tokens.refresh_token.as_ref().map(|_| "(issued; not shown)"),
    });
    Ok(page(&name)
        .with("error", Option::<String>::None)
        .with("id_token", pretty(&id_claims))
        .with("userinfo", pretty(&userinfo))
        .with("token_response", pretty(&shown))
        .response())
}
