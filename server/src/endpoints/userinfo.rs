//! The UserInfo endpoint (OIDC Core §5.3), GET and POST. The access token
//! comes only in the `Authorization: Bearer` header (any case of the
//! scheme); one in the query or body is refused (RFC 6750 §2.3 discouraged).
//! Claims are released per granted scope. Errors are RFC 6750 §3 shaped.

use actix_web::http::StatusCode;
use actix_web::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, PRAGMA, WWW_AUTHENTICATE,
};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use idp::domain::scope::OPENID;
use idp::domain::user::{User, UserId};
use serde_json::{Map, Value, json};

use crate::endpoints::introspect::active_claims;
use crate::errors::{ApiError, TokenEndpointError};
use crate::state::AppState;
use crate::tenant::CurrentTenant;

/// An RFC 6750 §3.1 error.
#[derive(Debug, thiserror::Error)]
pub enum BearerError {
    /// No token: a bare challenge.
    #[error("no token")]
    Missing,
    /// Malformed request (a token outside the header).
    #[error("invalid_request")]
    InvalidRequest(&'static str),
    /// Expired, revoked, malformed or foreign token.
    #[error("invalid_token")]
    InvalidToken(&'static str),
    /// The token lacks the `openid` scope.
    #[error("insufficient_scope")]
    InsufficientScope,
    /// Backend failure.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<TokenEndpointError> for BearerError {
    fn from(error: TokenEndpointError) -> Self {
        match error {
            TokenEndpointError::Api(api) => Self::Api(api),
            _ => Self::InvalidToken("the access token is not valid"),
        }
    }
}

impl ResponseError for BearerError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Missing | Self::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            Self::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            Self::InsufficientScope => StatusCode::FORBIDDEN,
            Self::Api(api) => api.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (code, description) = match self {
            Self::Api(api) => return api.error_response(),
            Self::Missing => (None, "an access token is required"),
            Self::InvalidRequest(d) => (Some("invalid_request"), *d),
            Self::InvalidToken(d) => (Some("invalid_token"), *d),
            Self::InsufficientScope => (
                Some("insufficient_scope"),
                "the token lacks the openid scope",
            ),
        };
        let challenge = match code {
            None => "Bearer realm=\"userinfo\"".to_owned(),
            Some(code) => format!(
                "Bearer realm=\"userinfo\", error=\"{code}\", error_description=\"{description}\""
            ),
        };
        let mut response = HttpResponse::build(self.status_code());
        response
            .insert_header((WWW_AUTHENTICATE, challenge))
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header((PRAGMA, "no-cache"));
        match code {
            None => response.finish(),
            Some(code) => response.json(json!({ "error": code, "error_description": description })),
        }
    }
}

fn bearer(req: &HttpRequest) -> Result<Option<&str>, BearerError> {
    let Some(header) = req.headers().get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = header
        .to_str()
        .map_err(|_| BearerError::InvalidRequest("the Authorization header is malformed"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim()))
        }
        _ => Err(BearerError::InvalidRequest(
            "the Authorization header must be Bearer",
        )),
    }
}

fn names_token(bytes: &[u8]) -> bool {
    url::form_urlencoded::parse(bytes).any(|(k, _)| k == "access_token")
}

/// `GET` or `POST /t/{slug}/userinfo`.
pub async fn userinfo(
    req: HttpRequest,
    state: web::Data<AppState>,
    tenant: CurrentTenant,
    body: web::Bytes,
) -> Result<HttpResponse, BearerError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if names_token(req.query_string().as_bytes()) || (is_form && names_token(&body)) {
        return Err(BearerError::InvalidRequest(
            "send the access token in the Authorization header only",
        ));
    }
    let token = bearer(&req)?.ok_or(BearerError::Missing)?;
    let claims = active_claims(&state, &tenant, token)
        .await?
        .ok_or(BearerError::InvalidToken("the access token is not valid"))?;
    let scopes: Vec<&str> = claims.scope.split(' ').collect();
    if !scopes.contains(&OPENID) || claims.gid.is_none() {
        return Err(BearerError::InsufficientScope);
    }
    let user = idp::users::find(
        &state.platform,
        tenant.snapshot.tenant.id,
        &UserId::new(claims.sub.as_str()),
    )
    .await
    .map_err(ApiError::from)?
    .filter(|u| u.enabled)
    .ok_or(BearerError::InvalidToken("the access token is not valid"))?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(release(&user, &scopes)))
}

/// The claims `scopes` release about `user` (OIDC Core §5.4): `sub` always,
/// and each scope's claims that have a value.
pub fn release(user: &User, scopes: &[&str]) -> Value {
    let mut claims = Map::new();
    claims.insert("sub".into(), user.id.as_str().into());
    let profile = &user.profile;
    let mut put = |name: &str, value: Option<Value>| {
        if let Some(value) = value {
            claims.insert(name.to_owned(), value);
        }
    };
    if scopes.contains(&"profile") {
        put("name", profile.name.clone().map(Value::from));
        put("given_name", profile.given_name.clone().map(Value::from));
        put("family_name", profile.family_name.clone().map(Value::from));
        put("locale", profile.locale.clone().map(Value::from));
        put("preferred_username", user.username.clone().map(Value::from));
    }
    if scopes.contains(&"email") && user.email.is_some() {
        put("email", user.email.clone().map(Value::from));
        put("email_verified", Some(user.email_verified.into()));
    }
    if scopes.contains(&"phone") && profile.phone_number.is_some() {
        put(
            "phone_number",
            profile.phone_number.clone().map(Value::from),
        );
        put("phone_number_verified", Some(false.into()));
    }
    if scopes.contains(&"address") {
        put(
            "address",
            profile
                .address
                .clone()
                .map(|formatted| json!({ "formatted": formatted })),
        );
    }
    Value::Object(claims)
}
