//! `idp-admin`: the admin service and its command line.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use idp::clock::Clock;
use idp::config::Config;
use idp::platform::Platform;
use idp_admin::cli::commands::{self, Remote};
use idp_admin::{boot, bootstrap};

/// Admin service and CLI of the identity platform.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// TOML configuration file (also IDP_CONFIG); shared with the server.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the admin service (the default).
    Serve {
        /// Exit when the process with this id ends (set by `idp-server --demo`).
        #[arg(long, hide = true)]
        exit_with: Option<u32>,
    },
    /// Create the system tenant and the first admin client if absent, and
    /// print the client's credentials once.
    Bootstrap,
    /// Call the admin API (see `idp-admin api --help`).
    #[command(flatten)]
    Remote(Box<Remote>),
}

fn main() -> ExitCode {
    idp::logging::init();
    let args = Args::parse();
    match args.command.unwrap_or(Command::Serve { exit_with: None }) {
        Command::Remote(remote) => {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    eprintln!("idp-admin: {e}");
                    return ExitCode::FAILURE;
                }
            };
            match runtime.block_on(commands::run(*remote)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("idp-admin: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        local => {
            let config = match Config::load(args.config.as_deref()) {
                Ok(config) => config,
                Err(e) => {
                    eprintln!("idp-admin: {e}");
                    return ExitCode::from(2);
                }
            };
            if let Command::Serve {
                exit_with: Some(parent),
            } = local
            {
                exit_with(parent);
            }
            let outcome = actix_rt::System::new().block_on(async move {
                match local {
                    Command::Bootstrap => run_bootstrap(config).await,
                    _ => serve(config).await,
                }
            });
            match outcome {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("idp-admin: {message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Exits this process once `parent` is gone (checked through `/proc`, so
/// only where it exists), so a killed server leaves no admin behind.
fn exit_with(parent: u32) {
    let proc_dir = std::path::PathBuf::from(format!("/proc/{parent}"));
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let watcher = std::thread::Builder::new()
        .name("parent-watch".to_owned())
        .spawn(move || {
            while proc_dir.exists() {
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
            std::process::exit(0);
        });
    if let Err(e) = watcher {
        tracing::warn!(error = %e, "cannot watch the parent process");
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let listener = TcpListener::bind(&config.admin.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.admin.bind))?;
    let (running, server) = boot::start(config, Clock::default(), listener)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(addr = %running.addr, "admin service listening");
    server.await.map_err(|e| e.to_string())
}

async fn run_bootstrap(config: Config) -> Result<(), String> {
    let admin_url = format!("http://{}", config.admin.bind);
    let database = match config.database.kind() {
        idp::config::DatabaseKind::Sqlite => {
            let path = std::path::PathBuf::from(config.database_url());
            let shown = std::fs::canonicalize(path.parent().unwrap_or(&path))
                .map(|dir| dir.join(path.file_name().unwrap_or_default()))
                .unwrap_or(path);
            format!("SQLite file {}", shown.display())
        }
        idp::config::DatabaseKind::Postgres => "PostgreSQL (DATABASE_URL)".to_owned(),
    };
    let platform = Platform::open(config, Clock::default())
        .await
        .map_err(|e| e.to_string())?;
    let done = bootstrap::run(&platform).await.map_err(|e| e.to_string())?;
    let token_url = format!(
        "{}/token",
        done.tenant.issuer(&platform.config.http.public_url)
    );
    println!("Database: {database} (the server must use the same one).");
    match done.created {
        Some((id, secret)) => {
            println!("Bootstrapped: system tenant, admin API and a system-admin client.");
            println!("The secret is shown only now; it is stored as a digest.\n");
            println!("export IDP_ADMIN_URL={admin_url}");
            println!("export IDP_ADMIN_TOKEN_URL={token_url}");
            println!("export IDP_ADMIN_CLIENT_ID={id}");
            println!("export IDP_ADMIN_CLIENT_SECRET={}", secret.expose());
        }
        None => {
            println!("Already bootstrapped: a system admin exists; nothing was created.");
            println!("Token endpoint: {token_url}");
        }
    }
    Ok(())
}
