//! Load driver of the admin-service benchmarks.
//!
//! `idp-bench-admin ADMIN_URL TOKEN_URL CLIENT_ID CLIENT_SECRET SERVER_URLS CHANGES SECONDS CONCURRENCY`
//!
//! With an admin client's credentials (from `idp-admin bootstrap`) it makes
//! a tenant, an API and a machine client through the admin API, then:
//!
//! - **propagation**: CHANGES times, after a random pause of 0 to 300 ms
//!   (so changes fall at random points of the servers' poll cycle), flips
//!   the client's `enabled` flag (GET for the ETag, PATCH) and polls the token endpoint of every server
//!   process in SERVER_URLS (comma-separated) every 2 ms until each answers
//!   as the change requires (401 when disabled, 200 when enabled). A
//!   change's time is from the PATCH answer to the last server honouring it.
//! - **reads**: CONCURRENCY workers read the client for SECONDS.
//! - **writes**: CONCURRENCY workers create users (no password) for SECONDS.
//!
//! Output, one JSON object on stdout: propagation p50/p99/max in ms,
//! reads and writes per second, and errors.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{Value, json};

const USAGE: &str = "usage: idp-bench-admin ADMIN_URL TOKEN_URL CLIENT_ID CLIENT_SECRET SERVER_URLS CHANGES SECONDS CONCURRENCY";

struct Args {
    admin: String,
    token_url: String,
    client_id: String,
    client_secret: String,
    servers: Vec<String>,
    changes: usize,
    seconds: u64,
    concurrency: usize,
}

fn parse() -> Result<Args, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [
        admin,
        token_url,
        client_id,
        client_secret,
        servers,
        changes,
        seconds,
        concurrency,
    ] = args.as_slice()
    else {
        return Err(USAGE.into());
    };
    let number = |s: &str| s.parse::<usize>().map_err(|_| USAGE.to_owned());
    Ok(Args {
        admin: admin.trim_end_matches('/').to_owned(),
        token_url: token_url.clone(),
        client_id: client_id.clone(),
        client_secret: client_secret.clone(),
        servers: servers.split(',').map(str::to_owned).collect(),
        changes: number(changes)?,
        seconds: u64::try_from(number(seconds)?).map_err(|_| USAGE.to_owned())?,
        concurrency: number(concurrency)?,
    })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args = match parse() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("idp-bench-admin: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Api {
    http: Client,
    base: String,
    token: String,
}

impl Api {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<(u16, Value, Option<String>), String> {
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
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.json().await.unwrap_or(Value::Null);
        Ok((status, body, etag))
    }

    async fn expect(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        status: u16,
    ) -> Result<Value, String> {
        let (got, body, _) = self.send(method, path, Some(body), None).await?;
        if got == status {
            Ok(body)
        } else {
            Err(format!("{path}: {got} {body}"))
        }
    }
}

async fn admin_token(http: &Client, args: &Args) -> Result<String, String> {
    let body: Value = http
        .post(&args.token_url)
        .basic_auth(&args.client_id, Some(&args.client_secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("resource", "urn:idp:admin"),
            ("scope", "admin"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    body.get("access_token")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("no admin token: {body}"))
}

async fn run(args: Args) -> Result<Value, String> {
    let http = Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(64)
        .build()
        .map_err(|e| e.to_string())?;
    let api = Arc::new(Api {
        token: admin_token(&http, &args).await?,
        http: http.clone(),
        base: args.admin.clone(),
    });
    let slug = format!(
        "bench-admin-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    );
    let post = reqwest::Method::POST;
    api.expect(
        post.clone(),
        "/v1/tenants",
        &json!({ "slug": slug, "display_name": "Admin bench" }),
        201,
    )
    .await?;
    let tenant = format!("/v1/tenants/{slug}");
    api.expect(
        post.clone(),
        &format!("{tenant}/apis"),
        &json!({ "identifier": "https://api.bench.example", "name": "API", "scopes": [{ "name": "read" }], "is_default": true }),
        201,
    )
    .await?;
    let client = api
        .expect(
            post.clone(),
            &format!("{tenant}/clients"),
            &json!({ "name": "probe", "grant_types": ["client_credentials"], "scopes": ["read"] }),
            201,
        )
        .await?;
    let id = client
        .get("client_id")
        .and_then(Value::as_str)
        .ok_or("client id")?
        .to_owned();
    let secret = client
        .get("client_secret")
        .and_then(Value::as_str)
        .ok_or("client secret")?
        .to_owned();
    let client_path = format!("{tenant}/clients/{id}");
    let token_urls: Vec<String> = args
        .servers
        .iter()
        .map(|s| format!("{}/t/{slug}/token", s.trim_end_matches('/')))
        .collect();
    // Every server knows the client before the first change.
    for url in &token_urls {
        wait_status(&http, url, &id, &secret, 200, Duration::from_secs(5)).await?;
    }

    let mut times = Vec::with_capacity(args.changes);
    let mut enabled = true;
    for _ in 0..args.changes {
        // A random pause, so changes do not lock onto the servers' poll phase.
        let jitter = u64::from(uuid::Uuid::new_v4().as_bytes()[0]) * 300 / 255;
        tokio::time::sleep(Duration::from_millis(jitter)).await;
        let (_, _, etag) = api
            .send(reqwest::Method::GET, &client_path, None, None)
            .await?;
        enabled = !enabled;
        let (status, body, _) = api
            .send(
                reqwest::Method::PATCH,
                &client_path,
                Some(&json!({ "enabled": enabled })),
                etag.as_deref(),
            )
            .await?;
        if status != 200 {
            return Err(format!("PATCH: {status} {body}"));
        }
        let start = Instant::now();
        let want = if enabled { 200 } else { 401 };
        for url in &token_urls {
            wait_status(&http, url, &id, &secret, want, Duration::from_secs(5)).await?;
        }
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(index).copied().unwrap_or(f64::NAN)
    };

    let reads = load(&api, args.seconds, args.concurrency, {
        let path = client_path.clone();
        move |api, _| {
            let path = path.clone();
            async move {
                api.send(reqwest::Method::GET, &path, None, None)
                    .await
                    .is_ok_and(|(s, _, _)| s == 200)
            }
        }
    })
    .await;
    let writes = load(&api, args.seconds, args.concurrency, {
        let path = format!("{tenant}/users");
        move |api, n| {
            let path = path.clone();
            async move {
                let body = json!({ "username": format!("u{n}") });
                api.send(reqwest::Method::POST, &path, Some(&body), None)
                    .await
                    .is_ok_and(|(s, _, _)| s == 201)
            }
        }
    })
    .await;
    Ok(json!({
        "changes": times.len(),
        "propagation_p50_ms": pick(0.5),
        "propagation_p99_ms": pick(0.99),
        "propagation_max_ms": times.last().copied().unwrap_or(f64::NAN),
        "reads_per_second": reads.0,
        "read_errors": reads.1,
        "writes_per_second": writes.0,
        "write_errors": writes.1,
    }))
}

/// Polls `url` with client_credentials every 2 ms until it answers `want`.
async fn wait_status(
    http: &Client,
    url: &str,
    id: &str,
    secret: &str,
    want: u16,
    within: Duration,
) -> Result<(), String> {
    let start = Instant::now();
    loop {
        let status = http
            .post(url)
            .basic_auth(id, Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        if status == want {
            return Ok(());
        }
        if start.elapsed() > within {
            return Err(format!("{url} never answered {want} (last {status})"));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Runs `op` on `concurrency` workers for `seconds`; returns successes per
/// second and failures.
async fn load<F, Fut>(api: &Arc<Api>, seconds: u64, concurrency: usize, op: F) -> (f64, usize)
where
    F: Fn(Arc<Api>, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let (ok, failed, counter) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (api, op, ok, failed, counter) = (
                Arc::clone(api),
                op.clone(),
                Arc::clone(&ok),
                Arc::clone(&failed),
                Arc::clone(&counter),
            );
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    if op(Arc::clone(&api), n).await {
                        ok.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    (
        ok.load(Ordering::Relaxed) as f64 / elapsed,
        failed.load(Ordering::Relaxed),
    )
}
