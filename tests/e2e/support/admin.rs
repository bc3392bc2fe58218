//! The admin service beside a server, on one database: booted in process
//! through [`idp_admin::boot::start`], with helpers for admin tokens and calls.

use std::net::TcpListener;
use std::time::Duration;

use idp::clock::Clock;
use idp::domain::client::NewClient;
use idp::domain::tenant::Tenant;
use idp::store::queries::admin_grants;
use idp_admin::state::{ADMIN_AUDIENCE, ADMIN_SCOPE};
use reqwest::Method;
use serde_json::Value;

use super::oauth::Creds;
use super::{DataDir, TestServer, test_config};

/// A server and an admin service sharing a database.
pub struct AdminService {
    pub server: TestServer,
    pub url: String,
    _running: idp_admin::boot::Running,
    http: reqwest::Client,
}

/// An admin API answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub etag: Option<String>,
}

impl AdminService {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Both services with `tweak` applied to their configurations.
    pub async fn start_with(tweak: impl Fn(&mut idp::config::Config)) -> Self {
        let data = DataDir::new();
        let server = TestServer::start_with(&data, &tweak).await;
        Self::beside(server, &data, tweak).await
    }

    /// An admin service beside `server`, on its data folder.
    pub async fn beside(
        server: TestServer,
        data: &DataDir,
        tweak: impl Fn(&mut idp::config::Config),
    ) -> Self {
        let mut config = test_config(data);
        tweak(&mut config);
        config.http.public_url = server.url.clone();
        config.validate().expect("config");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (running, http_server) = idp_admin::boot::start(config, Clock::default(), listener)
            .await
            .expect("admin service starts");
        actix_rt::spawn(http_server);
        idp_admin::bootstrap::run(&running.state.platform)
            .await
            .expect("system tenant");
        Self {
            server,
            url: format!("http://{addr}"),
            _running: running,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("client"),
        }
    }

    /// The admin service's own clock.
    pub fn admin_clock(&self) -> &Clock {
        &self._running.state.platform.clock
    }

    pub async fn system_tenant(&self) -> Tenant {
        let slug = idp::ids::TenantSlug::parse("system").expect("slug");
        idp::tenants::find_by_slug(self.server.platform(), &slug)
            .await
            .expect("db")
            .expect("system tenant")
    }

    /// A new system-tenant client holding admin rights over `tenant` (`*`: all).
    pub async fn admin_client(&self, tenant: &str) -> Creds {
        let system = self.system_tenant().await;
        let mut new = NewClient::machine("test admin", &[ADMIN_SCOPE]);
        new.apis = vec![ADMIN_AUDIENCE.to_owned()];
        let creds = self.server.client(&system, new).await;
        let subject = format!("client:{}", creds.id);
        let tenant = tenant.to_owned();
        self.server
            .platform()
            .db
            .run(move |conn| admin_grants::insert(conn, &subject, &tenant, 0))
            .await
            .expect("grant");
        creds
    }

    /// An admin token for `creds` from the system tenant.
    pub async fn token_for(&self, creds: &Creds) -> String {
        let system = self.system_tenant().await;
        let (status, body) = self
            .server
            .token(
                &system,
                creds,
                &[("resource", ADMIN_AUDIENCE), ("scope", ADMIN_SCOPE)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().expect("token").to_owned()
    }

    /// A system admin's token.
    pub async fn system_token(&self) -> String {
        let creds = self.admin_client(admin_grants::ALL_TENANTS).await;
        self.token_for(&creds).await
    }

    /// A token of an admin of `tenant` only.
    pub async fn tenant_admin_token(&self, tenant: &Tenant) -> String {
        let creds = self.admin_client(&tenant.id.to_string()).await;
        self.token_for(&creds).await
    }

    pub async fn call(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.json().await.unwrap_or(Value::Null);
        Reply { status, body, etag }
    }

    pub async fn get(&self, token: &str, path: &str) -> Reply {
        self.call(Some(token), Method::GET, path, None, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Reply {
        self.call(Some(token), Method::POST, path, Some(body), None)
            .await
    }

    pub async fn patch(
        &self,
        token: &str,
        path: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> Reply {
        self.call(Some(token), Method::PATCH, path, Some(body), if_match)
            .await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Reply {
        self.call(Some(token), Method::DELETE, path, None, None)
            .await
    }

    /// Audit rows of `tenant` (newest first), as the system admin `token` sees them.
    pub async fn audit(&self, token: &str, tenant: &str) -> Vec<Value> {
        let reply = self
            .get(token, &format!("/v1/tenants/{tenant}/audit?limit=200"))
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body["items"].as_array().cloned().unwrap_or_default()
    }
}
