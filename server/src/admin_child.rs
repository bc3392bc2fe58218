//! On `--demo`, the admin service runs beside the server as its own process
//! (DESIGN: two processes on one database): the sibling `idp-admin` binary,
//! started with the same configuration and stopped with the server.

use std::path::PathBuf;

/// A started admin process; killed when dropped.
pub struct AdminChild {
    _child: tokio::process::Child,
    /// Where it listens.
    pub url: String,
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
    let mut command = tokio::process::Command::new(binary);
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
    })
}
