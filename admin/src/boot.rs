//! Start-up, shared by `main` and the e2e harness: open the platform, follow
//! the change feed, bind the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{HttpServer, web};
use idp::changes::ChangeFeed;
use idp::clock::Clock;
use idp::config::Config;
use idp::platform::{Platform, StartError};
use idp::store::StoreError;

use crate::app;
use crate::state::{AdminState, SystemCache};

/// A started admin service. Dropping it stops the change feed.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// Shared state (tests reach the platform through it).
    pub state: AdminState,
    /// Stops the HTTP server.
    pub handle: ServerHandle,
    _feed: ChangeFeed,
}

/// Opens the backends and binds `listener`. Must run inside an actix system.
pub async fn start(
    config: Config,
    clock: Clock,
    listener: TcpListener,
) -> Result<(Running, Server), StartError> {
    let workers = config.http.workers;
    let platform = Platform::open(config, clock).await?;
    let system = Arc::new(SystemCache::default());
    let feed_platform = platform.clone();
    let feed_system = Arc::clone(&system);
    let feed = tokio::task::spawn_blocking(move || {
        ChangeFeed::start(&feed_platform, move |_| feed_system.invalidate())
    })
    .await
    .map_err(|e| StoreError::Other(e.to_string()))??;
    let state = AdminState {
        platform,
        freshness: feed.freshness(),
        system,
        refusals: std::sync::Arc::default(),
    };
    let data = web::Data::new(state.clone());
    let addr = listener
        .local_addr()
        .map_err(|e| StoreError::Other(format!("listener: {e}")))?;
    let mut http = HttpServer::new(move || app::build(data.clone()))
        .listen(listener)
        .map_err(|e| StoreError::Other(format!("listener: {e}")))?;
    if workers > 0 {
        http = http.workers(workers.min(2));
    }
    let server = http.run();
    let running = Running {
        addr,
        state,
        handle: server.handle(),
        _feed: feed,
    };
    Ok((running, server))
}
