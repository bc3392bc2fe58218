//! Client authentication at the token, introspection and revocation
//! endpoints (RFC 6749 §2.3): `client_secret_basic` (id and secret
//! form-urlencoded before base64, §2.3.1), `client_secret_post`, and `none`
//! for public clients. Exactly one method per request; the client's
//! registered method is enforced; secrets are compared in constant time.

use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use idp::domain::client::{AuthMethod, Client};
use idp::ids::ClientId;
use idp::protocol::error::{TokenError, TokenErrorCode};

use crate::errors::TokenEndpointError;
use crate::extract::form::OAuthForm;
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// A client that proved who it is.
#[derive(Debug)]
pub struct AuthenticatedClient {
    /// The client.
    pub client: Arc<Client>,
    /// Its brute-force throttling key (client and source address).
    pub throttle_key: String,
}

const FAILED: TokenError = TokenError::new(
    TokenErrorCode::InvalidClient,
    "client authentication failed",
);

struct Presented {
    id: String,
    secret: Option<String>,
    method: AuthMethod,
}

/// Decodes one RFC 6749 §2.3.1 form-urlencoded component.
fn form_decode(part: &str) -> Option<String> {
    let spaced = part.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// `base64(form(id) ":" form(secret))` to `(id, secret)`.
fn decode_basic(credentials: &str) -> Option<(String, String)> {
    let bytes = STANDARD.decode(credentials.trim()).ok()?;
    let decoded = String::from_utf8(bytes).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    form_decode(id).zip(form_decode(secret))
}

fn presented(req: &HttpRequest, form: &OAuthForm) -> Result<Presented, TokenEndpointError> {
    // Any failure with an Authorization header answers with a Basic
    // challenge (RFC 6749 §5.2, RFC 9110 §15.5.2).
    let challenge = || TokenEndpointError::Protocol {
        error: FAILED,
        basic: true,
    };
    let header = req.headers().get(AUTHORIZATION).map(|v| v.to_str());
    if let Some(header) = header {
        let header = header.map_err(|_| challenge())?;
        let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(challenge());
        }
        if form.get("client_secret").is_some() || form.get("client_assertion").is_some() {
            return Err(TokenEndpointError::new(
                TokenErrorCode::InvalidRequest,
                "use exactly one client authentication method",
            ));
        }
        let (id, secret) = decode_basic(credentials).ok_or_else(challenge)?;
        if form.get("client_id").is_some_and(|body_id| body_id != id) {
            return Err(TokenEndpointError::new(
                TokenErrorCode::InvalidRequest,
                "client_id differs from the authenticated client",
            ));
        }
        return Ok(Presented {
            id,
            secret: Some(secret),
            method: AuthMethod::ClientSecretBasic,
        });
    }
    if form.get("client_assertion").is_some() {
        return Err(TokenEndpointError::new(
            TokenErrorCode::InvalidClient,
            "client assertions are not supported",
        ));
    }
    let id = form.get("client_id").ok_or(FAILED)?.to_owned();
    Ok(match form.get("client_secret") {
        Some(secret) => Presented {
            id,
            secret: Some(secret.to_owned()),
            method: AuthMethod::ClientSecretPost,
        },
        None => Presented {
            id,
            secret: None,
            method: AuthMethod::None,
        },
    })
}

/// Authenticates the calling client of `tenant`.
pub async fn authenticate(
    state: &AppState,
    tenant: &CurrentTenant,
    req: &HttpRequest,
    form: &OAuthForm,
) -> Result<AuthenticatedClient, TokenEndpointError> {
    let presented = presented(req, form)?;
    let basic = presented.method == AuthMethod::ClientSecretBasic;
    let failed = || TokenEndpointError::Protocol {
        error: FAILED,
        basic,
    };
    let id = ClientId::new(presented.id);
    let snapshot = &tenant.snapshot;
    let platform = &state.platform;
    // Throttled per client and source address: client ids are public, so a
    // per-client lock alone would let anyone lock a client out.
    let source = crate::client_ip::client_ip(req, &platform.config);
    let throttle_key = format!("{}@{source}", id.as_str());
    if let Some(retry_after) =
        state
            .throttle
            .retry_after(snapshot.tenant.id, &throttle_key, platform.clock.now_ms())
    {
        return Err(TokenEndpointError::Throttled(retry_after));
    }
    let client = crate::tenant::find_client(state, tenant, &id).await?;
    let Some(client) = client.filter(|c| c.enabled) else {
        // Same work as a known client, so timing does not reveal ids.
        if let Some(secret) = &presented.secret {
            let _ = platform.secrets.digest(snapshot.tenant.id, &id, secret);
        }
        return Err(failed());
    };
    if client.auth_method != presented.method {
        return Err(failed());
    }
    if let Some(secret) = &presented.secret {
        let now = platform.clock.now_secs();
        if !platform
            .secrets
            .verify(snapshot.tenant.id, &client.id, secret, &client.secrets, now)
        {
            state
                .throttle
                .record_failure(platform, snapshot.tenant.id, &throttle_key)
                .await;
            return Err(failed());
        }
    }
    Ok(AuthenticatedClient {
        client,
        throttle_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_components_are_form_decoded() {
        assert_eq!(form_decode("a%3Ab%25c%2Bd+e").as_deref(), Some("a:b%c+d e"));
        assert_eq!(form_decode("%FF"), None);
    }
}
