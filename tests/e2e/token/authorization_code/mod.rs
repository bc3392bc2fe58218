//! The authorization code grant over HTTP (SECURITY.md B and C: PKCE, code
//! single use and bindings, ID tokens, token values, and the cross-tenant
//! row X-02).
//!
//! Decided behaviour (PKC-04): a code is taken before its bindings are checked,
//! so a redemption with a wrong or missing `code_verifier` burns the code; the
//! replay that follows revokes nothing unless it proves itself (COD-03).

mod across_processes;
mod bindings;
mod entropy;
mod id_token;
mod pkce;
mod replay;
mod resource;
mod tenant_isolation;

use std::sync::Arc;
use std::time::Duration;

use idp::domain::policy::TenantPolicy;
use idp::domain::tenant::{NewTenant, Tenant};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::signin::{Browserless, CHALLENGE};
use crate::support::{TestServer, random_slug};

/// Scopes of every flow here.
const SCOPE: &str = "openid offline_access read";
/// A second registered redirect URI.
const OTHER_CALLBACK: &str = "https://app.example.test/other";

/// The claims of a JWT, unverified.
pub(crate) fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64"),
    )
    .expect("json")
}

/// A tenant of `server` created with `policy`.
pub(crate) async fn tenant_with(server: &TestServer, policy: TenantPolicy) -> Tenant {
    idp::tenants::create(
        server.platform(),
        NewTenant {
            policy,
            ..NewTenant::new(random_slug("t"), "Test tenant")
        },
    )
    .await
    .expect("tenant created")
}

/// A code for `client_id` with PKCE ([`CHALLENGE`]), signing in as alice and
/// approving consent when asked.
pub(crate) async fn code_for(browser: &Browserless, tenant: &Tenant, client_id: &str) -> String {
    code_with(
        browser,
        tenant,
        &[
            ("client_id", client_id),
            ("scope", SCOPE),
            ("state", "s"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await
}

/// A code for the authorization request `params` (without `response_type`
/// and `redirect_uri`).
pub(crate) async fn code_with(
    browser: &Browserless,
    tenant: &Tenant,
    params: &[(&str, &str)],
) -> String {
    let callback = browser.code_flow(tenant, params, "alice").await;
    callback
        .get("code")
        .cloned()
        .unwrap_or_else(|| panic!("a code: {callback:?}"))
}

/// Status and JSON of `token` at `{issuer}/userinfo`.
pub(crate) async fn userinfo(server: &TestServer, tenant: &Tenant, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/userinfo", server.issuer(tenant)))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

/// Asserts `(status, body)` is 400 `invalid_grant`.
#[track_caller]
fn assert_invalid_grant(result: &(u16, Value), row: &str) {
    assert_eq!(result.0, 400, "{row}: {}", result.1);
    assert_eq!(result.1["error"], "invalid_grant", "{row}: {}", result.1);
}

/// Sends the same `POST {path}` form to each address of `targets` at once:
/// every request is written except its last byte, then all last bytes go
/// together. Returns status and body text of each response.
pub(crate) async fn race(
    targets: &[String],
    path: &str,
    authorization: &str,
    form: &[(&str, &str)],
) -> Vec<(u16, String)> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let barrier = Arc::new(tokio::sync::Barrier::new(targets.len()));
    let mut tasks = Vec::new();
    for addr in targets {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        let barrier = barrier.clone();
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(&addr)
                .await
                .expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let (head, last) = request.as_bytes().split_at(request.len() - 1);
            stream.write_all(head).await.expect("write");
            stream.flush().await.expect("flush");
            barrier.wait().await;
            stream.write_all(last).await.expect("write");
            let mut response = Vec::new();
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
                .await
                .expect("answered in time")
                .expect("read");
            parse_response(&String::from_utf8_lossy(&response))
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}

/// Status and (de-chunked) body of a raw HTTP/1.1 response.
fn parse_response(text: &str) -> (u16, String) {
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return (status, body.to_owned());
    }
    let mut rest = body;
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    (status, out)
}
