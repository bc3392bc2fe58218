//! A real browser for the e2e tests: Debian's headless chromium driven through
//! its chromedriver (installed by `scripts/browser-deps`) with fantoccini.
//! Each [`Browser`] has its own chromedriver on a free port and its own
//! profile folder, so browser tests run in parallel like the others.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use url::Url;

/// The driver `scripts/browser-deps` installs.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The real chromium binary (`/usr/bin/chromium` is only a wrapper script).
pub const CHROMIUM: &str = "/usr/lib/chromium/chromium";
/// Window height every browser uses; [`Browser::set_width`] keeps it.
pub const WINDOW_HEIGHT: u32 = 900;
/// Window width a browser starts with.
pub const WINDOW_WIDTH: u32 = 1280;

/// A headless chromium session; its chromedriver (and the browser under it)
/// is killed when this is dropped. Call [`Browser::close`] to end it cleanly.
pub struct Browser {
    client: Client,
    driver: Child,
    screenshots: PathBuf,
    /// The browser's profile folder, fresh for each browser.
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a browser; `test` names the folder its
    /// screenshots go to (`target/screenshots/<test>/`).
    pub async fn start(test: &str) -> Self {
        assert!(
            Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
            "{CHROMEDRIVER} or {CHROMIUM} is missing: run scripts/browser-deps"
        );
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so Drop can end the browser under it too.
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let mut browser = Guard(Some(driver));
        wait_for_port(&mut browser, port).await;

        let profile = tempfile::tempdir().expect("profile tempdir");
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={WINDOW_WIDTH},{WINDOW_HEIGHT}"),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({ "binary": CHROMIUM, "args": args }),
        );
        let client = ClientBuilder::rustls()
            .expect("rustls connector")
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("chromedriver opens a chromium session");
        Self {
            client,
            driver: browser.0.take().expect("driver still owned"),
            screenshots: target_dir().join("screenshots").join(sanitize(test)),
            _profile: profile,
        }
    }

    /// The fantoccini client, for whatever the helpers here don't cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Resizes the window to `px` wide (and [`WINDOW_HEIGHT`] high).
    pub async fn set_width(&self, px: u32) {
        self.client
            .set_window_size(px, WINDOW_HEIGHT)
            .await
            .unwrap_or_else(|e| panic!("resize to {px}px: {e}"));
    }

    /// Writes a PNG of the viewport to `target/screenshots/<test>/<name>.png`
    /// and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot taken");
        std::fs::create_dir_all(&self.screenshots).expect("screenshot folder");
        let path = self.screenshots.join(format!("{}.png", sanitize(name)));
        std::fs::write(&path, png).expect("screenshot written");
        path
    }

    /// Replaces the value of the element matching `css` with `text`.
    pub async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Clicks the element matching `css`. After a click that submits a form,
    /// use [`Browser::wait_for_url`] rather than trusting navigation.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// The URL the browser is on.
    pub async fn current_url(&self) -> Url {
        self.client.current_url().await.expect("current URL")
    }

    /// The current page's HTML as the browser serialises it.
    pub async fn source(&self) -> String {
        self.client.source().await.expect("page source")
    }

    /// Polls the URL every 25 ms until `predicate` holds or `timeout` passes
    /// (then panics with the last URL); returns the matching URL.
    pub async fn wait_for_url(
        &self,
        mut predicate: impl FnMut(&Url) -> bool,
        timeout: Duration,
    ) -> Url {
        let start = Instant::now();
        loop {
            let url = self.current_url().await;
            if predicate(&url) {
                return url;
            }
            assert!(
                start.elapsed() < timeout,
                "URL did not match within {timeout:?}; still on {url}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Whether the page fits the window's width (no horizontal scrolling).
    pub async fn no_horizontal_scroll(&self) -> bool {
        let fits = self
            .script(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                "width check",
            )
            .await;
        fits.as_bool().expect("width check returns a boolean")
    }

    /// The names (else ids, else types) of visible inputs, other than
    /// hidden fields and buttons, with no `<label for>`, wrapping label,
    /// `aria-label` or `aria-labelledby`.
    pub async fn unlabelled_inputs(&self) -> Vec<String> {
        const SCRIPT: &str = r#"
            const skip = ["hidden", "submit", "button", "reset", "image"];
            return Array.from(document.querySelectorAll("input"))
                .filter(el => !skip.includes((el.getAttribute("type") || "text").toLowerCase()))
                .filter(el => el.getClientRects().length > 0
                    && getComputedStyle(el).visibility !== "hidden")
                .filter(el => (!el.labels || el.labels.length === 0)
                    && !(el.getAttribute("aria-label") || "").trim()
                    && !(el.getAttribute("aria-labelledby") || "").trim())
                .map(el => el.name || el.id || ("<input type=" + el.type + ">"));
        "#;
        let names = self.script(SCRIPT, "label check").await;
        serde_json::from_value(names).expect("label check returns strings")
    }

    /// Ends the browser session, then the driver.
    pub async fn close(self) {
        self.client
            .clone()
            .close()
            .await
            .expect("browser session closes");
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    /// The distinct top edges (whole pixels) of the buttons in each
    /// `.buttons` row: one value per row when the row is aligned.
    pub async fn button_row_tops(&self) -> Vec<Vec<i64>> {
        const SCRIPT: &str = r#"
            return Array.from(document.querySelectorAll(".buttons")).map(row =>
                [...new Set(Array.from(row.querySelectorAll("button"))
                    .map(b => Math.round(b.getBoundingClientRect().top)))]);
        "#;
        let rows = self.script(SCRIPT, "button rows").await;
        serde_json::from_value(rows).expect("rows of tops")
    }

    async fn script(&self, script: &str, what: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

/// Kills a driver that failed to start properly.
struct Guard(Option<Child>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            kill_group(child);
        }
    }
}

/// Kills chromedriver's process group (the driver and any chromium it
/// started), then reaps the driver.
fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Waits up to 10 s for chromedriver to accept connections on `port`.
async fn wait_for_port(driver: &mut Guard, port: u16) {
    let start = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        if let Some(child) = driver.0.as_mut() {
            let exited = child.try_wait().expect("chromedriver status");
            assert!(exited.is_none(), "chromedriver exited early: {exited:?}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "chromedriver not listening on {port} within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A loopback port nothing listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port()
}

/// The workspace's target folder: `CARGO_TARGET_DIR` (relative to the
/// workspace) when set, else `<workspace>/target`.
fn target_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    }
}

/// `name` as a single safe path component.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
