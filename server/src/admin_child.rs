//! On `--demo`, the admin service runs beside the server as its own process
//! (DESIGN: two processes on one database): the sibling `idp-admin` binary,
//! started with the same configuration and stopped with the server.

use std::path::PathBuf;

/// A started admin process; killed when dropped.
pub struct AdminChild {
    _child: tokio::process::Child,
    /// Where it listens.
    pub url: String,
    /// How to run the binary from the current folder (for the banner).
    pub command: String,
}

/// The `idp-admin` binary next to this executable, if it was built.
fn sibling() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe.with_file_name(format!("idp-admin{}", std::env::consts::EXE_SUFFIX));
    path.is_file().then_some(path)
}

/// Starts `idp-admin serve` with `config_file`, or says why it could not.
pub fn spawn(config_file: Option<&std::path::Path>, bind: &str) -> Result<AdminChild, String> {
    let binary = sibling().ok_or_else(|| {
        "the admin service binary is not built (cargo build --release -p idp-admin)".to_owned()
    })?;
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            binary
                .strip_prefix(cwd)
                .ok()
                .map(std::path::Path::to_path_buf)
        })
        .unwrap_or_else(|| binary.clone());
    let mut command = tokio::process::Command::new(&binary);
    if let Some(file) = config_file {
        command.arg("--config").arg(file);
    }
    command
        .arg("serve")
        .arg("--exit-with")
        .arg(std::process::id().to_string())
        .kill_on_drop(true);
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start the admin service: {e}"))?;
    Ok(AdminChild {
        _child: child,
        url: format!("http://{bind}"),
        command: shown.display().to_string(),
    })
}

impl AdminChild {
    /// Waits until the admin service accepts connections (at most `within`),
    /// so its start-up log lines come before the banner, not inside it.
    pub async fn wait_listening(&self, bind: &str, within: std::time::Duration) {
        let deadline = tokio::time::Instant::now() + within;
        while tokio::time::Instant::now() < deadline {
            if tokio::net::TcpStream::connect(bind).await.is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}
