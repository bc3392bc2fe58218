//! The harness: boots the real server in-process on port 0 through the same
//! [`idp_server::boot::start`] that `main` uses. PostgreSQL + Redis when
//! `DATABASE_URL` / `REDIS_URL` are set, otherwise SQLite in a temp folder and
//! the in-process store. Every test makes its own tenants (random slugs), so
//! tests run in parallel and repeatedly against the same services.

pub mod admin;
pub mod binary;
pub mod browser;
pub mod fresh_db;
pub mod oauth;
pub mod proxy;
pub mod raw_http;
pub mod signin;

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use idp::clock::Clock;
use idp::config::Config;
use idp::domain::tenant::{NewTenant, Tenant};
use idp::ids::TenantSlug;
use idp::platform::Platform;
use idp::secret::Secret;
use idp_server::boot::{self, Running};

/// Master key every test server shares, so servers on one database agree.
pub const TEST_MASTER_KEY: &str = "dGVzdC1tYXN0ZXIta2V5LW9mLTMyLWJ5dGVzLWxvbmc=";

/// Which backends this run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// SQLite + in-process store.
    Embedded,
    /// PostgreSQL + Redis at these URLs.
    Services { database: String, redis: String },
}

impl Backend {
    /// From the environment. One of the two URLs without the other is a
    /// misconfigured run and fails loudly.
    pub fn from_env() -> Self {
        let database = std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty());
        let redis = std::env::var("REDIS_URL").ok().filter(|v| !v.is_empty());
        match (database, redis) {
            (None, None) => Self::Embedded,
            (Some(database), Some(redis)) => Self::Services {
                database: without_tls(database),
                redis,
            },
            _ => panic!("set both DATABASE_URL and REDIS_URL, or neither"),
        }
    }

    /// The service URLs, or `None` on the embedded default (the caller's test
    /// then has nothing to exercise and says so).
    pub fn services() -> Option<(String, String)> {
        match Self::from_env() {
            Self::Embedded => None,
            Self::Services { database, redis } => Some((database, redis)),
        }
    }
}

/// Loopback test databases need no TLS, and libpq's OpenSSL clean-up at
/// process exit can crash a test process whose pool is still connecting.
fn without_tls(url: String) -> String {
    if url.contains("sslmode=") {
        url
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

/// A random slug no other test uses.
pub fn random_slug(prefix: &str) -> TenantSlug {
    let id = uuid::Uuid::new_v4().simple().to_string();
    TenantSlug::parse(&format!("{prefix}-{}", &id[..12])).expect("valid slug")
}

/// Where a test server keeps its data; on the embedded default a temp folder
/// that several servers of one test may share.
#[derive(Clone)]
pub struct DataDir {
    pub path: PathBuf,
    _keep: std::sync::Arc<tempfile::TempDir>,
}

impl DataDir {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        Self {
            path: dir.path().to_path_buf(),
            _keep: std::sync::Arc::new(dir),
        }
    }
}

/// A configuration for a test server on `data` (and the run's backend).
pub fn test_config(data: &DataDir) -> Config {
    let mut config = Config {
        data_dir: data.path.clone(),
        ..Config::default()
    };
    if let Backend::Services { database, redis } = Backend::from_env() {
        config.database.url = Some(database);
        config.redis.url = Some(redis);
    }
    config.secrets.master_key = Some(Secret::new(TEST_MASTER_KEY.to_owned()));
    config.http.workers = 2;
    config.database.pool_size = 4;
    config
}

/// A running in-process server.
pub struct TestServer {
    pub running: Running,
    pub url: String,
    http: reqwest::Client,
    /// Keeps a temporary data folder alive as long as the server.
    _data: DataDir,
}

impl TestServer {
    /// A server with the test defaults.
    pub async fn start() -> Self {
        Self::start_with(&DataDir::new(), |_| {}).await
    }

    /// A server on `data`, with `tweak` applied to its configuration.
    pub async fn start_with(data: &DataDir, tweak: impl FnOnce(&mut Config)) -> Self {
        let mut config = test_config(data);
        tweak(&mut config);
        Self::start_config(data, config, Clock::default()).await
    }

    /// A server with exactly `config` and `clock`.
    /// A server on `data` with exactly `config` and `clock`.
    pub async fn start_config(data: &DataDir, mut config: Config, clock: Clock) -> Self {
        // Server logs show up in a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn,idp=info,idp_server=info")
            .with_test_writer()
            .try_init();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        config.http.bind = addr.to_string();
        // Processes behind one load balancer share a public URL; a test may set it.
        if config.http.public_url.is_empty() {
            config.http.public_url = format!("http://{addr}");
        }
        config.validate().expect("valid test config");
        let url = config.http.public_url.clone();
        let (running, server) = boot::start(config, clock, listener)
            .await
            .expect("server starts (are the services of this run up?)");
        actix_rt::spawn(server);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        Self {
            running,
            url,
            http,
            _data: data.clone(),
        }
    }

    pub fn platform(&self) -> &Platform {
        &self.running.state.platform
    }

    /// A new tenant with a random slug and the default policy.
    pub async fn tenant(&self) -> Tenant {
        idp::tenants::create(
            self.platform(),
            NewTenant::new(random_slug("t"), "Test tenant"),
        )
        .await
        .expect("tenant created")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(serde_json::Value::Null);
        (status, body)
    }

    pub fn issuer(&self, tenant: &Tenant) -> String {
        format!("{}/t/{}", self.url, tenant.slug)
    }

    pub async fn stop(self) {
        self.running.handle.stop(false).await;
    }
}

/// Polls `check` every 25 ms until it returns true or `within` passes;
/// returns how long it took, or panics with `what`.
pub async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < within, "not within {within:?}: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
