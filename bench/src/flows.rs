//! Load driver of the sign-in flow benchmarks: a browser-like HTTP client
//! (cookies kept, redirects not followed: every hop is checked) per worker.
//!
//! `idp-bench-flows MODE BASE_URL SLUG CLIENT_ID DURATION_SECS CONCURRENCY`
//!
//! - `sso`: each worker signs in once, then loops authorize → code → token
//!   (PKCE S256); the authorize request must answer with the code straight
//!   away (session cookie, nothing to consent to). One loop is one flow.
//! - `login`: each iteration starts with an empty cookie jar: authorize →
//!   login page → POST login → code → token. One iteration is one flow.
//! - `refresh`: each worker gets a refresh token once, then loops refresh
//!   rotations, always presenting the newest refresh token.
//!
//! The client is the seeder's public first-party web client; users are
//! `bench-user-{n}` (n below `IDP_BENCH_USERS`, default 64). Every answer
//! that is not the expected status, redirect, code or set of tokens counts as
//! an error. Output, one JSON object on stdout: completed, errors, seconds,
//! per_second, p50_ms, p99_ms (of one whole flow or refresh).
//!
//! With `IDP_BENCH_SYNC` set, the driver prints `ready` once every worker is
//! set up and starts the clock only when a line arrives on stdin, so the
//! caller can read CPU counters around the measured part alone.
//!
//! `idp-bench-flows argon2 ITERATIONS`: times ITERATIONS single-threaded
//! verifications of one password with the server's own hasher (argon2id,
//! same parameters) and prints the median and minimum in ms.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use idp::crypto::password::PasswordHasher;
use idp::crypto::{b64url, sha256};
use idp::secret::{Secret, random_bytes};
use idp_bench::{DEFAULT_USERS, PASSWORD, REDIRECT_URI, SCOPE, user_name};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderValue, LOCATION};
use reqwest::{Client, Response, Url};
use serde_json::{Value, json};

/// Error messages kept for the report.
const SAMPLES: usize = 5;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("argon2") => argon2(&args),
        _ => match Args::parse(&args) {
            Ok(parsed) => run(parsed).await,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
    };
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("idp-bench-flows: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: idp-bench-flows sso|login|refresh BASE_URL SLUG CLIENT_ID DURATION_SECS CONCURRENCY\n       idp-bench-flows argon2 ITERATIONS";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sso,
    Login,
    Refresh,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Self::Sso => "sso",
            Self::Login => "login",
            Self::Refresh => "refresh",
        }
    }
}

struct Args {
    mode: Mode,
    target: Target,
    duration: Duration,
    concurrency: usize,
}

impl Args {
    fn parse(args: &[String]) -> Result<Self, String> {
        let [mode, base, slug, client_id, duration, concurrency] = args else {
            return Err(USAGE.to_owned());
        };
        let mode = match mode.as_str() {
            "sso" => Mode::Sso,
            "login" => Mode::Login,
            "refresh" => Mode::Refresh,
            _ => return Err(USAGE.to_owned()),
        };
        let duration = duration
            .parse::<f64>()
            .ok()
            .filter(|d| *d > 0.0)
            .ok_or("DURATION_SECS: a positive number of seconds")?;
        let concurrency = concurrency
            .parse::<usize>()
            .ok()
            .filter(|c| *c > 0)
            .ok_or("CONCURRENCY: a positive integer")?;
        let users = match std::env::var("IDP_BENCH_USERS") {
            Ok(users) => users
                .parse::<usize>()
                .ok()
                .filter(|u| *u > 0)
                .ok_or("IDP_BENCH_USERS: a positive integer")?,
            Err(_) => DEFAULT_USERS,
        };
        Ok(Self {
            mode,
            target: Target {
                base: base.trim_end_matches('/').to_owned(),
                tenant: format!("/t/{slug}"),
                client_id: client_id.clone(),
                users,
                next_user: AtomicUsize::new(0),
            },
            duration: Duration::from_secs_f64(duration),
            concurrency,
        })
    }
}

/// The server, tenant, client and users under test.
struct Target {
    base: String,
    tenant: String,
    client_id: String,
    users: usize,
    next_user: AtomicUsize,
}

impl Target {
    fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.base)
        } else {
            path.to_owned()
        }
    }

    /// The next user, round robin.
    fn user(&self) -> String {
        user_name(self.next_user.fetch_add(1, Ordering::Relaxed) % self.users)
    }
}

/// A cookie jar that can be emptied: a fresh browser without a fresh
/// connection pool.
#[derive(Default)]
struct ResettableJar(RwLock<Arc<Jar>>);

impl ResettableJar {
    fn current(&self) -> Arc<Jar> {
        match self.0.read() {
            Ok(jar) => Arc::clone(&jar),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn clear(&self) {
        let fresh = Arc::new(Jar::default());
        match self.0.write() {
            Ok(mut jar) => *jar = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }
}

impl CookieStore for ResettableJar {
    fn set_cookies(&self, headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        self.current().set_cookies(headers, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        self.current().cookies(url)
    }
}

/// One response, read whole.
struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Page {
    async fn read(response: Response) -> Result<Self, String> {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.text().await.map_err(|e| e.to_string())?;
        Ok(Self {
            status,
            location,
            body,
        })
    }

    /// The `Location` of a 302.
    fn redirect(&self, step: &str) -> Result<&str, String> {
        match (&self.location, self.status) {
            (Some(location), 302) => Ok(location),
            _ => Err(format!("{step}: expected a 302, got {}", self.excerpt())),
        }
    }

    /// The value of the hidden input `name`.
    fn hidden(&self, name: &str) -> Result<&str, String> {
        let marker = format!("name=\"{name}\" value=\"");
        self.body
            .find(&marker)
            .map(|at| at + marker.len())
            .and_then(|start| {
                let rest = self.body.get(start..)?;
                rest.get(..rest.find('"')?)
            })
            .ok_or_else(|| format!("no hidden input {name} in the page"))
    }

    fn excerpt(&self) -> String {
        let body: String = self.body.chars().take(200).collect();
        format!("{} {body}", self.status)
    }
}

/// A PKCE pair and a state value, fresh for each flow.
struct FlowSecrets {
    verifier: String,
    challenge: String,
    state: String,
}

impl FlowSecrets {
    fn new() -> Self {
        let verifier = b64url(&random_bytes::<32>());
        let challenge = b64url(&sha256(verifier.as_bytes()));
        Self {
            verifier,
            challenge,
            state: b64url(&random_bytes::<16>()),
        }
    }
}

/// Tokens of a successful token response.
struct Tokens {
    refresh_token: String,
}

/// One simulated browser (and app backend).
struct Browser {
    http: Client,
    jar: Arc<ResettableJar>,
    target: Arc<Target>,
}

impl Browser {
    fn new(target: Arc<Target>) -> Result<Self, String> {
        let jar = Arc::new(ResettableJar::default());
        let http = Client::builder()
            .cookie_provider(Arc::clone(&jar))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self { http, jar, target })
    }

    async fn get(&self, url: &str) -> Result<Page, String> {
        let response = self
            .http
            .get(self.target.url(url))
            .send()
            .await
            .map_err(|e| format!("GET: {e}"))?;
        Page::read(response).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<Page, String> {
        let response = self
            .http
            .post(self.target.url(path))
            .form(form)
            .send()
            .await
            .map_err(|e| format!("POST: {e}"))?;
        Page::read(response).await
    }

    /// `GET /authorize` for a fresh PKCE pair; the `Location` it answers.
    async fn authorize(&self, secrets: &FlowSecrets) -> Result<String, String> {
        let target = &self.target;
        let mut url = Url::parse(&format!("{}{}/authorize", target.base, target.tenant))
            .map_err(|e| e.to_string())?;
        url.query_pairs_mut().extend_pairs([
            ("response_type", "code"),
            ("client_id", target.client_id.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", SCOPE),
            ("state", secrets.state.as_str()),
            ("code_challenge", secrets.challenge.as_str()),
            ("code_challenge_method", "S256"),
        ]);
        let page = self.get(url.as_str()).await?;
        page.redirect("authorize").map(str::to_owned)
    }

    /// Opens the page at `location` and posts its form with `fields`.
    async fn submit(
        &self,
        location: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Result<String, String> {
        let page = self.get(location).await?;
        if page.status != 200 {
            return Err(format!("{action} page: {}", page.excerpt()));
        }
        let mut form = vec![
            ("interaction", page.hidden("interaction")?),
            ("csrf", page.hidden("csrf")?),
        ];
        form.extend_from_slice(fields);
        let path = format!("{}/{action}", self.target.tenant);
        let answer = self.post(&path, &form).await?;
        answer.redirect(action).map(str::to_owned)
    }

    /// Walks from `location` to the client's redirect URI, signing in as
    /// `user` (and approving consent) when asked; returns the code.
    async fn follow(
        &self,
        mut location: String,
        user: &str,
        secrets: &FlowSecrets,
    ) -> Result<String, String> {
        for _ in 0..3 {
            if location.starts_with(REDIRECT_URI) {
                return code_of(&location, &secrets.state);
            }
            location = if location.contains("/login?") {
                self.submit(
                    &location,
                    "login",
                    &[("login", user), ("password", PASSWORD)],
                )
                .await?
            } else if location.contains("/consent?") {
                self.submit(&location, "consent", &[("decision", "approve")])
                    .await?
            } else {
                return Err(format!("unexpected redirect to {location}"));
            };
        }
        Err("the flow did not reach the client".to_owned())
    }

    /// `POST /token` with `form` and the public client's id; the tokens.
    async fn token(&self, form: &[(&str, &str)]) -> Result<Tokens, String> {
        let mut all = form.to_vec();
        all.push(("client_id", self.target.client_id.as_str()));
        let path = format!("{}/token", self.target.tenant);
        let page = self.post(&path, &all).await?;
        if page.status != 200 {
            return Err(format!("token: {}", page.excerpt()));
        }
        let body: Value = serde_json::from_str(&page.body).map_err(|e| format!("token: {e}"))?;
        let text = |name: &str| {
            body.get(name)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| format!("token response without {name}"))
        };
        text("access_token")?;
        text("id_token")?;
        Ok(Tokens {
            refresh_token: text("refresh_token")?,
        })
    }

    /// Redeems `code` with the flow's verifier.
    async fn redeem(&self, code: &str, secrets: &FlowSecrets) -> Result<Tokens, String> {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", secrets.verifier.as_str()),
        ])
        .await
    }

    /// A whole flow from authorize to tokens, signing in as `user` if asked.
    async fn full_flow(&self, user: &str) -> Result<Tokens, String> {
        let secrets = FlowSecrets::new();
        let location = self.authorize(&secrets).await?;
        let code = self.follow(location, user, &secrets).await?;
        self.redeem(&code, &secrets).await
    }

    /// A flow on an existing session: authorize must answer with the code.
    async fn sso_flow(&self) -> Result<(), String> {
        let secrets = FlowSecrets::new();
        let location = self.authorize(&secrets).await?;
        if !location.starts_with(REDIRECT_URI) {
            return Err(format!("authorize with a session redirected to {location}"));
        }
        let code = code_of(&location, &secrets.state)?;
        self.redeem(&code, &secrets).await.map(drop)
    }

    /// A flow in a fresh browser: authorize must ask for a login.
    async fn login_flow(&self) -> Result<(), String> {
        self.jar.clear();
        let secrets = FlowSecrets::new();
        let location = self.authorize(&secrets).await?;
        if !location.contains("/login?") {
            return Err(format!(
                "authorize without a session redirected to {location}"
            ));
        }
        let code = self.follow(location, &self.target.user(), &secrets).await?;
        self.redeem(&code, &secrets).await.map(drop)
    }

    /// Rotates `refresh_token`; the new one.
    async fn refresh(&self, refresh_token: &str) -> Result<String, String> {
        let tokens = self
            .token(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ])
            .await?;
        if tokens.refresh_token == refresh_token {
            return Err("the refresh token was not rotated".to_owned());
        }
        Ok(tokens.refresh_token)
    }
}

/// The `code` of a redirect to the client, after checking `state` and `iss`.
fn code_of(location: &str, state: &str) -> Result<String, String> {
    let url = Url::parse(location).map_err(|e| format!("redirect to the client: {e}"))?;
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    if let Some(error) = query.get("error") {
        return Err(format!("the client got error={error}"));
    }
    if query.get("state").map(String::as_str) != Some(state) {
        return Err("the client got another state".to_owned());
    }
    if !query.contains_key("iss") {
        return Err("the client got no iss".to_owned());
    }
    query
        .get("code")
        .filter(|c| !c.is_empty())
        .cloned()
        .ok_or_else(|| "the client got no code".to_owned())
}

/// What one worker measured.
#[derive(Default)]
struct Tally {
    latencies_ms: Vec<f64>,
    errors: usize,
    samples: Vec<String>,
}

impl Tally {
    fn record(&mut self, started: Instant, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self
                .latencies_ms
                .push(started.elapsed().as_secs_f64() * 1000.0),
            Err(e) => {
                self.errors += 1;
                if self.samples.len() < SAMPLES {
                    self.samples.push(e);
                }
            }
        }
    }
}

/// What a worker keeps between iterations.
enum Held {
    Nothing,
    /// The newest refresh token.
    RefreshToken(String),
}

/// Prepares a worker: a session (`sso`) or a refresh token (`refresh`).
async fn set_up(browser: &Browser, mode: Mode) -> Result<Held, String> {
    match mode {
        Mode::Login => Ok(Held::Nothing),
        Mode::Sso => {
            browser.full_flow(&browser.target.user()).await?;
            Ok(Held::Nothing)
        }
        Mode::Refresh => {
            let tokens = browser.full_flow(&browser.target.user()).await?;
            Ok(Held::RefreshToken(tokens.refresh_token))
        }
    }
}

/// One measured iteration.
async fn iterate(browser: &Browser, mode: Mode, held: &mut Held) -> Result<(), String> {
    match (mode, &*held) {
        (Mode::Sso, _) => browser.sso_flow().await,
        (Mode::Login, _) => browser.login_flow().await,
        (Mode::Refresh, Held::RefreshToken(current)) => {
            let next = browser.refresh(current).await?;
            *held = Held::RefreshToken(next);
            Ok(())
        }
        (Mode::Refresh, Held::Nothing) => Err("no refresh token".to_owned()),
    }
}

async fn worker(
    browser: Browser,
    mode: Mode,
    mut held: Held,
    mut start: tokio::sync::watch::Receiver<Option<Instant>>,
) -> Tally {
    let mut tally = Tally::default();
    let deadline = match start.wait_for(Option::is_some).await {
        Ok(deadline) => *deadline,
        Err(_) => None,
    };
    let Some(deadline) = deadline else {
        return tally;
    };
    while Instant::now() < deadline {
        let started = Instant::now();
        let outcome = iterate(&browser, mode, &mut held).await;
        let failed = outcome.is_err();
        tally.record(started, outcome);
        // A failure may have spent the session or the token family: set up
        // again (unmeasured, but inside the measured window).
        if failed && mode != Mode::Login {
            match set_up(&browser, mode).await {
                Ok(fresh) => held = fresh,
                Err(e) => tally.record(Instant::now(), Err(format!("set-up again: {e}"))),
            }
        }
    }
    tally
}

/// The `q` quantile of sorted `values`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1).min(sorted.len() - 1))
        .copied()
        .unwrap_or(f64::NAN)
}

async fn run(args: Args) -> Result<Value, String> {
    let target = Arc::new(args.target);
    // Set up every worker first (concurrently), outside the measured part.
    let mut setups = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency {
        let browser = Browser::new(Arc::clone(&target))?;
        let mode = args.mode;
        setups.spawn(async move {
            let held = set_up(&browser, mode).await;
            (browser, held)
        });
    }
    let (start, started) = tokio::sync::watch::channel(None);
    let mut workers = tokio::task::JoinSet::new();
    while let Some(joined) = setups.join_next().await {
        let (browser, held) = joined.map_err(|e| e.to_string())?;
        let held = held.map_err(|e| format!("set-up: {e}"))?;
        workers.spawn(worker(browser, args.mode, held, started.clone()));
    }
    if std::env::var_os("IDP_BENCH_SYNC").is_some() {
        println!("ready");
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map(drop)
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("stdin: {e}"))?;
    }
    let began = Instant::now();
    start
        .send(Some(began + args.duration))
        .map_err(|e| e.to_string())?;
    let mut all = Tally::default();
    while let Some(joined) = workers.join_next().await {
        let tally = joined.map_err(|e| e.to_string())?;
        all.latencies_ms.extend(tally.latencies_ms);
        all.errors += tally.errors;
        let room = SAMPLES.saturating_sub(all.samples.len());
        all.samples.extend(tally.samples.into_iter().take(room));
    }
    let seconds = began.elapsed().as_secs_f64();
    all.latencies_ms.sort_by(f64::total_cmp);
    let completed = all.latencies_ms.len();
    Ok(json!({
        "mode": args.mode.name(),
        "concurrency": args.concurrency,
        "completed": completed,
        "errors": all.errors,
        "seconds": seconds,
        "per_second": completed as f64 / seconds,
        "p50_ms": quantile(&all.latencies_ms, 0.50),
        "p99_ms": quantile(&all.latencies_ms, 0.99),
        "error_samples": all.samples,
    }))
}

/// Times single-threaded argon2id verifications with the server's hasher.
fn argon2(args: &[String]) -> Result<Value, String> {
    let iterations = args
        .get(1)
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .ok_or(USAGE)?;
    let hasher = PasswordHasher::new().map_err(|e| e.to_string())?;
    let stored = hasher
        .hash(&Secret::new(PASSWORD.to_owned()))
        .map_err(|e| e.to_string())?;
    let mut times_ms = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        if !hasher.verify(PASSWORD, Some(&stored)) {
            return Err("the password did not verify".to_owned());
        }
        times_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times_ms.sort_by(f64::total_cmp);
    Ok(json!({
        "iterations": iterations,
        "verify_ms_median": quantile(&times_ms, 0.5),
        "verify_ms_min": times_ms.first().copied().unwrap_or(f64::NAN),
        "params": stored.split('$').nth(3).unwrap_or_default(),
    }))
}
