//! `idp-admin login`: signs a person in through the system tenant's hosted
//! pages (authorization code with PKCE S256 and a loopback redirect, RFC
//! 8252) and prints an admin access token to export.

use std::time::Duration;

use clap::Args;
use idp::crypto::{b64url, sha256};
use idp::secret::random_bytes;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::state::{ADMIN_AUDIENCE, ADMIN_SCOPE, CLI_CLIENT_ID};

/// Where to sign in.
#[derive(Debug, Clone, Args)]
pub struct Login {
    /// The system tenant's token endpoint (its issuer is the same URL
    /// without `/token`).
    #[arg(
        long,
        env = "IDP_ADMIN_TOKEN_URL",
        default_value = "http://127.0.0.1:8080/t/system/token"
    )]
    pub token_url: String,
    /// How long to wait for the browser, in seconds.
    #[arg(long, default_value_t = 300)]
    pub wait_secs: u64,
}

const DONE_PAGE: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
    Cache-Control: no-store\r\nConnection: close\r\n\r\n\
    <!doctype html><title>Signed in</title><p>Signed in. You can close this tab \
    and go back to the terminal.</p>";

/// Runs the flow and prints `export IDP_ADMIN_TOKEN=...`.
pub async fn run(login: Login) -> Result<(), String> {
    let issuer = login
        .token_url
        .strip_suffix("/token")
        .ok_or("the token URL should end in /token")?
        .to_owned();
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let verifier = b64url(&random_bytes::<32>());
    let challenge = b64url(&sha256(verifier.as_bytes()));
    let state = b64url(&random_bytes::<16>());
    let mut url = url::Url::parse(&format!("{issuer}/authorize")).map_err(|e| e.to_string())?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLI_CLIENT_ID)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("scope", ADMIN_SCOPE)
        .append_pair("resource", ADMIN_AUDIENCE)
        .append_pair("state", &state)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    println!("Open this URL in a browser and sign in:\n{url}");
    let query = tokio::time::timeout(Duration::from_secs(login.wait_secs), callback(&listener))
        .await
        .map_err(|_| "no sign-in arrived in time".to_owned())??;
    let param = |name: &str| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if param("state").as_deref() != Some(state.as_str()) {
        return Err("the answer does not belong to this sign-in (state differs)".into());
    }
    if param("iss").is_some_and(|iss| iss != issuer) {
        return Err("the answer comes from another issuer".into());
    }
    let code = match (param("code"), param("error")) {
        (Some(code), _) => code,
        (None, Some(error)) => return Err(format!("sign-in failed: {error}")),
        (None, None) => return Err("the answer carries no code".into()),
    };
    let body: Value = reqwest::Client::new()
        .post(&login.token_url)
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", CLI_CLIENT_ID),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let token = body
        .get("access_token")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no token: {body}"))?;
    println!("export IDP_ADMIN_TOKEN={token}");
    Ok(())
}

/// Waits for the browser's `GET /callback?...` and returns its query.
async fn callback(listener: &TcpListener) -> Result<String, String> {
    loop {
        let (mut stream, _) = listener.accept().await.map_err(|e| e.to_string())?;
        let mut buffer = vec![0_u8; 8192];
        let read = stream.read(&mut buffer).await.map_err(|e| e.to_string())?;
        let request = String::from_utf8_lossy(buffer.get(..read).unwrap_or_default()).to_string();
        let target = request
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("GET "))
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or_default()
            .to_owned();
        let Some(query) = target.strip_prefix("/callback?") else {
            let _ = stream
                .write_all(b"HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n")
                .await;
            continue;
        };
        let _ = stream.write_all(DONE_PAGE.as_bytes()).await;
        return Ok(query.to_owned());
    }
}
