//! Validation of authorization requests (RFC 6749 §4.1.1, §3.1.2; OIDC Core
//! §3.1.2.1; RFC 7636; RFC 9700). The client and its redirect URI are checked
//! first: until both are known good, errors are shown on a page and never
//! redirected (RFC 6749 §4.1.2.1, no open redirector). After that, errors go
//! back to the client with `state` and `iss` (RFC 9207).
//!
//! What follows a valid request (sign-in, consent, a code) is decided by
//! [`step::next_step`], the sign-in state machine.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::api::Api;
use crate::domain::client::Client;
use crate::domain::pkce::CodeChallenge;
use crate::domain::policy::TenantPolicy;
use crate::domain::redirect_uri;
use crate::domain::scope::OPENID;
use crate::protocol::error::{AuthorizationResponse, AuthorizeError, AuthorizeErrorCode};
use crate::protocol::params::GrantType;

pub mod step;

/// `prompt` values (OIDC Core §3.1.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Prompt {
    /// No UI: `login_required` / `consent_required` when UI would be needed.
    None,
    /// Force a fresh login.
    Login,
    /// Force the consent page.
    Consent,
}

/// A valid authorization request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    /// The registered redirect URI the response goes to.
    pub redirect_uri: String,
    /// Whether `redirect_uri` was sent (then it is required at the token endpoint).
    pub redirect_uri_sent: bool,
    /// Requested scopes, in request order, without duplicates.
    pub scopes: Vec<String>,
    /// `state`, byte-exact.
    pub state: Option<String>,
    /// `nonce`, byte-exact.
    pub nonce: Option<String>,
    /// The S256 challenge, if sent.
    pub code_challenge: Option<CodeChallenge>,
    /// `prompt` values.
    pub prompts: Vec<Prompt>,
    /// `max_age` in seconds.
    pub max_age: Option<i64>,
    /// `login_hint`.
    pub login_hint: Option<String>,
    /// `id_token_hint`, unverified.
    pub id_token_hint: Option<String>,
    /// `ui_locales`.
    pub ui_locales: Option<String>,
    /// The API named by `resource` (RFC 8707), bound to the code.
    #[serde(default)]
    pub resource: Option<String>,
}

impl AuthorizationRequest {
    /// Whether this is an OpenID Connect request.
    pub fn is_oidc(&self) -> bool {
        self.scopes.iter().any(|s| s == OPENID)
    }
}

/// An error to send back to the client's redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRedirect {
    /// Where to send it.
    pub redirect_uri: String,
    /// The error, with its fixed, client-safe description.
    pub error: AuthorizeError,
    /// `state`, byte-exact.
    pub state: Option<String>,
}

impl ErrorRedirect {
    /// The URL the error goes to (see [`AuthorizationResponse::redirect_url`]).
    pub fn url(&self, issuer: &str) -> Result<String, url::ParseError> {
        AuthorizationResponse::Error(self.error).redirect_url(
            &self.redirect_uri,
            self.state.as_deref(),
            issuer,
        )
    }
}

/// What to do with an authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeOutcome {
    /// Continue to login and consent.
    Valid(AuthorizationRequest),
    /// Redirect the error to the client.
    Redirect(ErrorRedirect),
    /// Show an error page: the client or redirect URI cannot be trusted.
    ErrorPage(&'static str),
}

/// Request parameters with repeats kept (RFC 6749 §3.1: a repeat is an error).
#[derive(Debug, Default)]
pub struct Params(HashMap<String, Vec<String>>);

impl Params {
    /// Parameters from decoded pairs; empty values count as omitted.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (key, value) in pairs {
            let value = value.into();
            if !value.is_empty() {
                map.entry(key.into()).or_default().push(value);
            }
        }
        Self(map)
    }

    fn one(&self, name: &str) -> Result<Option<&str>, ()> {
        match self.0.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.as_str())),
            Some(_) => Err(()),
        }
    }

    /// The single value of `name`, ignoring repeats (for pages that only echo).
    pub fn first(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    fn any_repeated(&self) -> bool {
        self.0.values().any(|v| v.len() > 1)
    }
}

/// Validates `params` for `client` (`None`: no such client in this tenant)
/// against the tenant's `policy` and `apis`.
pub fn validate(
    params: &Params,
    client: Option<&Client>,
    policy: &TenantPolicy,
    apis: &[Api],
) -> AuthorizeOutcome {
    use AuthorizeOutcome::ErrorPage;
    let Ok(Some(_)) = params.one("client_id") else {
        return ErrorPage("The request names no client, or names one twice.");
    };
    let Some(client) = client.filter(|c| c.enabled) else {
        return ErrorPage("The application that sent you here is not known.");
    };
    let registered = &client.settings.redirect_uris;
    let (redirect_uri, sent) = match params.one("redirect_uri") {
        Err(()) => return ErrorPage("The request names its redirect URI twice."),
        Ok(Some(presented)) => match redirect_uri::find_match(registered, presented) {
            // The exact presented value is used: for loopback the port matters.
            Some(_) => (presented.to_owned(), true),
            None => return ErrorPage("The redirect URI is not registered for this application."),
        },
        // OIDC Core §3.1.2.1 makes it required for OpenID requests.
        Ok(None) if names_openid(params) => {
            return ErrorPage("The request must name its redirect URI.");
        }
        Ok(None) => match registered.as_slice() {
            [only] => (only.clone(), false),
            _ => return ErrorPage("The request must name its redirect URI."),
        },
    };
    let state = params.first("state").map(str::to_owned);
    let redirect = |code: AuthorizeErrorCode, description: &'static str| {
        AuthorizeOutcome::Redirect(ErrorRedirect {
            redirect_uri: redirect_uri.clone(),
            error: AuthorizeError::new(code, description),
            state: state.clone(),
        })
    };
    // RFC 8707: one API per request (a repeat is not a general repeat).
    if params.0.get("resource").is_some_and(|r| r.len() > 1) {
        return redirect(
            AuthorizeErrorCode::InvalidTarget,
            "one resource per request",
        );
    }
    if params.any_repeated() {
        return redirect(
            AuthorizeErrorCode::InvalidRequest,
            "a parameter was sent more than once",
        );
    }
    match params.one("response_type") {
        Ok(Some("code")) => {}
        Ok(None) => {
            return redirect(
                AuthorizeErrorCode::InvalidRequest,
                "response_type is required",
            );
        }
        _ => {
            return redirect(
                AuthorizeErrorCode::UnsupportedResponseType,
                "only response_type=code is supported",
            );
        }
    }
    if params
        .one("response_mode")
        .ok()
        .flatten()
        .is_some_and(|m| m != "query")
    {
        return redirect(
            AuthorizeErrorCode::InvalidRequest,
            "only response_mode=query is supported",
        );
    }
    // OIDC Core §6: until request objects are supported, say so rather than
    // proceed with the outer parameters.
    if params.first("request").is_some() {
        return redirect(
            AuthorizeErrorCode::RequestNotSupported,
            "request objects are not supported",
        );
    }
    if params.first("request_uri").is_some() {
        return redirect(
            AuthorizeErrorCode::RequestUriNotSupported,
            "request_uri is not supported",
        );
    }
    if !client.may_use(GrantType::AuthorizationCode, policy) {
        return redirect(
            AuthorizeErrorCode::UnauthorizedClient,
            "this client may not use the authorization code flow",
        );
    }
    let mut scopes: Vec<String> = Vec::new();
    for scope in params
        .first("scope")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
    {
        if scope != OPENID && !client.settings.scopes.iter().any(|s| s == scope) {
            return redirect(
                AuthorizeErrorCode::InvalidScope,
                "a requested scope is not allowed for this client",
            );
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    let resource = params.first("resource");
    if let Some(resource) = resource {
        let Some(api) = apis.iter().find(|a| a.identifier == resource) else {
            return redirect(
                AuthorizeErrorCode::InvalidTarget,
                "resource is not an API of this tenant",
            );
        };
        let apis_allowed = &client.settings.apis;
        if !apis_allowed.is_empty() && !apis_allowed.contains(&api.identifier) {
            return redirect(
                AuthorizeErrorCode::InvalidTarget,
                "this client may not get tokens for that resource",
            );
        }
        let foreign = scopes
            .iter()
            .any(|s| crate::domain::scope::builtin(s).is_none() && !api.defines(s));
        if foreign {
            return redirect(
                AuthorizeErrorCode::InvalidScope,
                "a requested scope is not defined by the requested resource",
            );
        }
    }
    let code_challenge = match params.first("code_challenge") {
        Some(challenge) => {
            match CodeChallenge::parse(challenge, params.first("code_challenge_method")) {
                Ok(parsed) => Some(parsed),
                Err(_) => {
                    return redirect(
                        AuthorizeErrorCode::InvalidRequest,
                        "code_challenge must be S256 of 43 characters",
                    );
                }
            }
        }
        None if !client.confidential || policy.require_pkce_for_confidential => {
            return redirect(
                AuthorizeErrorCode::InvalidRequest,
                "code_challenge is required (PKCE with S256)",
            );
        }
        // Relaxed PKCE only with nonce assurance (RFC 9700 §2.1.1).
        None if !scopes.iter().any(|s| s == OPENID) || params.first("nonce").is_none() => {
            return redirect(
                AuthorizeErrorCode::InvalidRequest,
                "code_challenge is required unless an OpenID request carries a nonce",
            );
        }
        None => None,
    };
    let mut prompts = Vec::new();
    for value in params
        .first("prompt")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
    {
        prompts.push(match value {
            "none" => Prompt::None,
            "login" => Prompt::Login,
            "consent" => Prompt::Consent,
            _ => {
                return redirect(
                    AuthorizeErrorCode::InvalidRequest,
                    "unsupported prompt value",
                );
            }
        });
    }
    if prompts.contains(&Prompt::None) && prompts.len() > 1 {
        return redirect(
            AuthorizeErrorCode::InvalidRequest,
            "prompt=none cannot be combined with other values",
        );
    }
    let max_age = match params.first("max_age").map(str::parse::<i64>) {
        None => None,
        Some(Ok(age)) if age >= 0 => Some(age),
        Some(_) => {
            return redirect(
                AuthorizeErrorCode::InvalidRequest,
                "max_age must be a non-negative integer",
            );
        }
    };
    AuthorizeOutcome::Valid(AuthorizationRequest {
        redirect_uri,
        redirect_uri_sent: sent,
        scopes,
        state,
        nonce: params.first("nonce").map(str::to_owned),
        code_challenge,
        prompts,
        max_age,
        login_hint: params.first("login_hint").map(str::to_owned),
        id_token_hint: params.first("id_token_hint").map(str::to_owned),
        ui_locales: params.first("ui_locales").map(str::to_owned),
        resource: resource.map(str::to_owned),
    })
}

fn names_openid(params: &Params) -> bool {
    params
        .first("scope")
        .is_some_and(|s| s.split(' ').any(|s| s == OPENID))
}

#[cfg(test)]
mod tests;
