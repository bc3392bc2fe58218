//! The real `idp-server` binary, started the way the README does, for smoke
//! tests and for two processes racing on one database.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Backend, TEST_MASTER_KEY, eventually};

/// Path of the debug server binary, built if it is missing.
pub fn server_binary() -> PathBuf {
    debug_binary("idp-server")
}

/// Path of the debug admin binary, built if it is missing.
pub fn admin_binary() -> PathBuf {
    debug_binary("idp-admin")
}

fn debug_binary(name: &str) -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    let binary = target.join("debug").join(name);
    if !binary.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", name, "--bin", name])
            .current_dir(&workspace)
            .status()
            .expect("cargo build runs");
        assert!(status.success(), "building {name} failed");
    }
    binary
}

/// `binary` configured like [`ServerProcess::spawn`] does it: the run's
/// backend (`database` overriding the database URL), logs at warn.
pub fn command(binary: &Path, cwd: &Path, database: Option<&str>) -> Command {
    let mut command = Command::new(binary);
    command
        .current_dir(cwd)
        .env_remove("PUBLIC_URL")
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("RUST_LOG", "warn");
    if let Backend::Services {
        database: db,
        redis,
    } = Backend::from_env()
    {
        command
            .env("DATABASE_URL", database.unwrap_or(&db))
            .env("REDIS_URL", redis)
            .env("IDP_SECRETS__MASTER_KEY", TEST_MASTER_KEY);
    } else if let Some(db) = database {
        command.env("DATABASE_URL", db);
    }
    command
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A running server process; killed on drop.
pub struct ServerProcess {
    child: Child,
    pub url: String,
    pub stdout: Arc<Mutex<String>>,
    /// Its log (stderr), also echoed to the test's own output.
    pub stderr: Arc<Mutex<String>>,
}

impl ServerProcess {
    /// Starts `idp-server args…` in `cwd` on `port`, on the run's backend
    /// (`database` overrides the database URL).
    pub fn spawn(cwd: &Path, port: u16, args: &[&str], database: Option<&str>) -> Self {
        Self::spawn_env(cwd, port, args, database, &[])
    }

    /// [`Self::spawn`] with `env` added (`RUST_LOG=info` for the log lines).
    pub fn spawn_env(
        cwd: &Path,
        port: u16,
        args: &[&str],
        database: Option<&str>,
        env: &[(&str, &str)],
    ) -> Self {
        let mut command = command(&server_binary(), cwd, database);
        command.envs(env.iter().copied());
        command
            .args(args)
            .env("IDP_HTTP__BIND", format!("127.0.0.1:{port}"))
            // `--demo` starts the admin service: on a port of its own, so
            // parallel tests do not meet on the default one.
            .env("IDP_ADMIN__BIND", format!("127.0.0.1:{}", free_port()))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Self::start(command, port)
    }

    /// Starts `idp-admin serve` in `cwd` on `port`, beside the server on
    /// `server_port`, with `env` added.
    pub fn spawn_admin(
        cwd: &Path,
        port: u16,
        server_port: u16,
        database: Option<&str>,
        env: &[(&str, &str)],
    ) -> Self {
        let mut command = command(&admin_binary(), cwd, database);
        command.envs(env.iter().copied());
        command
            .arg("serve")
            .env("IDP_HTTP__BIND", format!("127.0.0.1:{server_port}"))
            .env("IDP_ADMIN__BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Self::start(command, port)
    }

    fn start(mut command: Command, port: u16) -> Self {
        let mut child = command.spawn().expect("the process starts");
        let stdout = Arc::new(Mutex::new(String::new()));
        if let Some(out) = child.stdout.take() {
            let sink = Arc::clone(&stdout);
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    let mut text = sink.lock().expect("lock");
                    text.push_str(&line);
                    text.push('\n');
                }
            });
        }
        let stderr = Arc::new(Mutex::new(String::new()));
        if let Some(err) = child.stderr.take() {
            let sink = Arc::clone(&stderr);
            std::thread::spawn(move || {
                for line in BufReader::new(err).lines().map_while(Result::ok) {
                    eprintln!("{line}");
                    let mut text = sink.lock().expect("lock");
                    text.push_str(&line);
                    text.push('\n');
                }
            });
        }
        Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            stdout,
            stderr,
        }
    }

    /// Waits until `/health/ready` answers 200.
    pub async fn wait_ready(&mut self, within: Duration) {
        self.wait_path("/health/ready", within).await;
    }

    /// Waits until `path` answers 2xx.
    pub async fn wait_path(&mut self, path: &str, within: Duration) {
        let client = reqwest::Client::new();
        let url = format!("{}{path}", self.url);
        let child = &mut self.child;
        eventually(within, "server process ready", || {
            let exited = child.try_wait().ok().flatten();
            assert!(exited.is_none(), "the process exited early: {exited:?}");
            let request = client.get(&url).send();
            async move { request.await.is_ok_and(|r| r.status().is_success()) }
        })
        .await;
    }

    /// What the process printed on stdout once it includes `needle`.
    pub async fn wait_printed(&self, needle: &str, within: Duration) -> String {
        eventually(
            within,
            &format!("the process prints {needle:?}"),
            || async { self.printed().contains(needle) },
        )
        .await;
        self.printed()
    }

    /// What the process printed on stdout so far.
    pub fn printed(&self) -> String {
        self.stdout.lock().expect("lock").clone()
    }

    /// Stops the process.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
