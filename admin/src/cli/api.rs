//! The CLI's HTTP side: gets an admin token (or uses the one given) and
//! calls the admin API, turning error bodies into messages.

use clap::Args;
use reqwest::Method;
use serde_json::Value;

/// Where the admin API is and how to authenticate to it.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// Base URL of the admin service.
    #[arg(long, env = "IDP_ADMIN_URL", default_value = "http://127.0.0.1:8081")]
    pub admin_url: String,
    /// An admin access token; when absent one is fetched with the client credentials.
    #[arg(long, env = "IDP_ADMIN_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The system tenant's token endpoint.
    #[arg(
        long,
        env = "IDP_ADMIN_TOKEN_URL",
        default_value = "http://127.0.0.1:8080/t/system/token"
    )]
    pub token_url: String,
    /// Admin client id (printed by `bootstrap`).
    #[arg(long, env = "IDP_ADMIN_CLIENT_ID")]
    pub client_id: Option<String>,
    /// Admin client secret (printed by `bootstrap`).
    #[arg(long, env = "IDP_ADMIN_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// Print the JSON the API returned instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

/// An authenticated client of the admin API.
pub struct AdminApi {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl AdminApi {
    /// Connects: uses the given token, or gets one with client_credentials.
    pub async fn connect(conn: &Connection) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        let token = match &conn.token {
            Some(token) => token.clone(),
            None => fetch_token(&http, conn).await?,
        };
        Ok(Self {
            http,
            base: conn.admin_url.trim_end_matches('/').to_owned(),
            token,
        })
    }

    /// Calls `method path` with an optional JSON body; returns the JSON
    /// answer (`null` for 204), or the API's message.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<(Value, Option<String>), String> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.map_err(|e| e.to_string())?;
        let value: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        if status.is_success() {
            Ok((value, etag))
        } else {
            let message = value
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("no message");
            Err(format!(
                "{} ({status}): {message}",
                value
                    .get("error")
                    .and_then(Value::as_str)
                    .unwrap_or("error")
            ))
        }
    }

    /// GET.
    pub async fn get(&self, path: &str) -> Result<Value, String> {
        Ok(self.call(Method::GET, path, None, None).await?.0)
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, String> {
        Ok(self.call(Method::POST, path, Some(body), None).await?.0)
    }

    /// GET the object, then PATCH it with its ETag.
    pub async fn patch(&self, path: &str, body: &Value) -> Result<Value, String> {
        let (_, etag) = self.call(Method::GET, path, None, None).await?;
        Ok(self
            .call(Method::PATCH, path, Some(body), etag.as_deref())
            .await?
            .0)
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> Result<Value, String> {
        Ok(self.call(Method::DELETE, path, None, None).await?.0)
    }
}

async fn fetch_token(http: &reqwest::Client, conn: &Connection) -> Result<String, String> {
    let (Some(id), Some(secret)) = (&conn.client_id, &conn.client_secret) else {
        return Err(
            "no credentials: set IDP_ADMIN_TOKEN, or IDP_ADMIN_CLIENT_ID and \
             IDP_ADMIN_CLIENT_SECRET (printed by `idp-admin bootstrap`)"
                .into(),
        );
    };
    // RFC 6749 §2.3.1: Basic with form-urlencoded id and secret.
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let response = http
        .post(&conn.token_url)
        .basic_auth(encode(id), Some(encode(secret)))
        .form(&[
            ("grant_type", "client_credentials"),
            ("resource", crate::state::ADMIN_AUDIENCE),
            ("scope", crate::state::ADMIN_SCOPE),
        ])
        .send()
        .await
        .map_err(|e| format!("token endpoint {}: {e}", conn.token_url))?;
    let status = response.status();
    let body: Value = response.json().await.map_err(|e| e.to_string())?;
    body.get("access_token")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("token endpoint answered {status}: {body}"))
}
