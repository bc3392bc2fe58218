//! `idp-server`: the authorization server binary.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use idp::clock::Clock;
use idp::config::Config;
use idp_server::{admin_child, boot, demo};

/// The OAuth 2.0 / OpenID Connect authorization server.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// TOML configuration file (also IDP_CONFIG).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Create the `demo` tenant if absent and print how to try it.
    #[arg(long)]
    demo: bool,
}

fn main() -> ExitCode {
    idp::logging::init();
    let args = Args::parse();
    let config = match Config::load(args.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("idp-server: {e}");
            return ExitCode::from(2);
        }
    };
    match actix_rt::System::new().block_on(run(config, args.config.as_deref(), args.demo)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("idp-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(
    config: Config,
    config_file: Option<&std::path::Path>,
    with_demo: bool,
) -> Result<(), String> {
    let listener = TcpListener::bind(&config.http.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.http.bind))?;
    let admin_bind = config.admin.bind.clone();
    let opened = boot::open(config, Clock::default())
        .await
        .map_err(|e| e.to_string())?;
    // The demo is set up before the server answers, and only then mounted.
    let demo = if with_demo {
        Some(
            demo::ensure_demo(&opened.state)
                .await
                .map_err(|e| e.to_string())?,
        )
    } else {
        None
    };
    let web = demo.as_ref().map(|d| d.web.clone());
    let (running, server) = boot::serve(opened, listener, move |cfg| {
        if let Some(web) = &web {
            demo::mount(cfg, web.clone());
        }
    })
    .map_err(|e| e.to_string())?;
    tracing::info!(addr = %running.addr, "listening");
    // Kept alive (and killed on drop) for as long as the server runs.
    let admin = match with_demo {
        true => Some(admin_child::spawn(config_file, &admin_bind)),
        false => None,
    };
    if let Some(Ok(child)) = &admin {
        child
            .wait_listening(&admin_bind, std::time::Duration::from_secs(5))
            .await;
    }
    if let Some(created) = &demo {
        println!("{}", demo::banner(&running.state, created));
    }
    match &admin {
        Some(Ok(child)) => println!("{}", demo::admin_banner(&child.url, &child.command)),
        Some(Err(why)) => println!("\nAdmin service not started: {why}"),
        None => {}
    }
    server.await.map_err(|e| e.to_string())
}
