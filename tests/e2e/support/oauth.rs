//! Helpers for the machine-to-machine endpoints: an API and clients made
//! through the library, form posts with either client authentication method,
//! and checks every error body must pass (SECURITY.md TOK-03, TOK-05).

use idp::domain::client::{AuthMethod, NewClient, TokenFormat};
use idp::domain::tenant::Tenant;
use serde_json::Value;

use super::TestServer;

pub const API: &str = "https://api.example.test";

/// Client credentials as issued.
#[derive(Clone, Debug)]
pub struct Creds {
    pub id: String,
    pub secret: String,
}

/// How a request authenticates.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    Basic(&'a Creds),
    Post(&'a Creds),
    /// A public client: `client_id` in the body, no secret.
    PublicId(&'a str),
    None,
}

impl TestServer {
    /// The tenant's default API, with scopes `read` and `write`.
    pub async fn api(&self, tenant: &Tenant) {
        self.api_with(tenant, API, true).await;
    }

    pub async fn api_with(&self, tenant: &Tenant, identifier: &str, default: bool) {
        let scopes = idp::apis::scopes(&[("read", "Read"), ("write", "Write")]);
        idp::apis::create(
            self.platform(),
            tenant.id,
            identifier,
            "API",
            scopes,
            default,
        )
        .await
        .expect("api created");
    }

    /// A confidential client_credentials client with `format` tokens.
    pub async fn machine(&self, tenant: &Tenant, format: TokenFormat) -> Creds {
        self.client(
            tenant,
            NewClient {
                token_format: format,
                ..NewClient::machine("machine", &["read", "write"])
            },
        )
        .await
    }

    pub async fn client(&self, tenant: &Tenant, new: NewClient) -> Creds {
        let created = idp::clients::create(self.platform(), tenant.id, new)
            .await
            .expect("client created");
        Creds {
            id: created.client.id.to_string(),
            secret: created
                .secret
                .map(|s| s.expose().clone())
                .unwrap_or_default(),
        }
    }

    /// A client that authenticates with `method`.
    pub async fn client_with_method(&self, tenant: &Tenant, method: AuthMethod) -> Creds {
        self.client(
            tenant,
            NewClient {
                auth_method: method,
                ..NewClient::machine("machine", &["read", "write"])
            },
        )
        .await
    }

    /// POSTs a form to `path` with `auth`; returns status, headers and JSON.
    pub async fn post_form(
        &self,
        path: &str,
        auth: Auth<'_>,
        params: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut form: Vec<(&str, &str)> = params.to_vec();
        let client = reqwest::Client::new();
        let mut request = client.post(format!("{}{path}", self.url));
        match auth {
            Auth::Basic(creds) => {
                request = request.header("authorization", basic(&creds.id, &creds.secret))
            }
            Auth::Post(creds) => {
                form.push(("client_id", &creds.id));
                form.push(("client_secret", &creds.secret));
            }
            Auth::PublicId(id) => form.push(("client_id", id)),
            Auth::None => {}
        }
        let response = request.form(&form).send().await.expect("sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status >= 400 {
            assert_error_shape(status, &headers, &body);
        }
        (status, headers, body)
    }

    /// client_credentials with Basic; returns the token response.
    pub async fn token(
        &self,
        tenant: &Tenant,
        creds: &Creds,
        params: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut form = vec![("grant_type", "client_credentials")];
        form.extend_from_slice(params);
        let (status, headers, body) = self
            .post_form(
                &format!("/t/{}/token", tenant.slug),
                Auth::Basic(creds),
                &form,
            )
            .await;
        assert_eq!(
            headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "TOK-03"
        );
        (status, body)
    }

    /// An access token, or a panic.
    pub async fn access_token(&self, tenant: &Tenant, creds: &Creds) -> String {
        let (status, body) = self.token(tenant, creds, &[]).await;
        assert_eq!(status, 200, "{body}");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// Introspection by `caller`.
    pub async fn introspect(&self, tenant: &Tenant, caller: &Creds, token: &str) -> Value {
        let (status, headers, body) = self
            .post_form(
                &format!("/t/{}/introspect", tenant.slug),
                Auth::Basic(caller),
                &[("token", token)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "TOK-03"
        );
        body
    }

    /// Revocation by `caller`.
    pub async fn revoke(&self, tenant: &Tenant, caller: &Creds, token: &str) -> u16 {
        self.post_form(
            &format!("/t/{}/revoke", tenant.slug),
            Auth::Basic(caller),
            &[("token", token)],
        )
        .await
        .0
    }
}

/// `Authorization: Basic` with RFC 6749 §2.3.1 form-encoding.
pub fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let raw = format!("{}:{}", encode(id), encode(secret));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// RFC 6749 §5.2 shape: JSON with `error`, a description in the allowed
/// characters (App. A.7), `no-store`, and 401 only for `invalid_client`.
pub fn assert_error_shape(status: u16, headers: &reqwest::header::HeaderMap, body: &Value) {
    if status == 503 || status == 405 || status == 404 {
        return;
    }
    if status == 429 {
        assert!(
            headers.get("retry-after").is_some(),
            "429 carries Retry-After"
        );
        return;
    }
    let error = body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("JSON error body: {body}"));
    if let Some(description) = body["error_description"].as_str() {
        assert!(
            description.chars().all(
                |c| matches!(c, '\u{20}'..='\u{21}' | '\u{23}'..='\u{5B}' | '\u{5D}'..='\u{7E}')
            ),
            "TOK-05: {description:?}"
        );
    }
    assert_eq!(
        headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "TOK-03 on {error}"
    );
    if error == "invalid_client" {
        assert_eq!(status, 401);
    } else {
        assert_eq!(status, 400, "{error}");
    }
}
